/*
 * Everything an application's page shows besides the application row, in one statement
 * (docs/decisions/0018-fewer-statements-per-request.md): the program version (by reference, its
 * contents from the version cache), the child, the documents, the history and the decisions, each
 * read under the row-level security of the scope. The tenant comes from the tenant cache.
 */
import type Application from '#models/application'
import ApplicationDecision from '#models/application_decision'
import ApplicationDocument from '#models/application_document'
import ApplicationEvent from '#models/application_event'
import Child from '#models/child'
import NotFoundException from '#exceptions/not_found_exception'
import { scopedClient } from '#tenancy/tenant_context'
import { cachedTenant } from '#tenancy/tenant_cache'
import { fromJsonRow, fromJsonRows } from '#services/json_rows'
import { versionFor } from '#programs/version_cache'

/** The version, tenant, child, documents, events and decisions of an application. */
export async function applicationParts(application: Application) {
  const result = await scopedClient().rawQuery(
    `select
       (select json_build_object('tenant_id', v.tenant_id, 'id', v.id, 'xmin', v.xmin::text,
                 'own', coalesce(v.xmin = pg_current_xact_id_if_assigned()::xid, false))
          from program_versions v
         where v.tenant_id = :tenant and v.program_id = :program and v.version = :version) as version,
       (select row_to_json(c) from children c where c.id = :child) as child,
       (select coalesce(json_agg(d order by d.created_at), '[]') from application_documents d
         where d.tenant_id = :tenant and d.application_id = :id) as documents,
       (select coalesce(json_agg(e order by e.seq), '[]') from application_events e
         where e.tenant_id = :tenant and e.application_id = :id) as events,
       (select coalesce(json_agg(x order by x.decided_at), '[]') from application_decisions x
         where x.tenant_id = :tenant and x.application_id = :id) as decisions`,
    {
      tenant: application.tenantId,
      id: application.id,
      program: application.programId,
      version: application.programVersion,
      // A null binding is a SQL NULL (knex's types do not say so): no child row then.
      child: (application.childId ?? null) as string,
    }
  )
  const row = result.rows[0]
  const ref = row.version
  const version = await versionFor(
    ref ? { tenantId: ref.tenant_id, id: ref.id, xmin: ref.xmin, own: ref.own === true } : null
  )
  const tenant = await cachedTenant(application.tenantId)
  // As a missing row in a findOrFail() would: not found.
  if (!version || !tenant) throw new NotFoundException()
  return {
    version,
    tenant,
    child: fromJsonRow(Child, row.child),
    documents: fromJsonRows(ApplicationDocument, row.documents),
    events: fromJsonRows(ApplicationEvent, row.events),
    decisions: fromJsonRows(ApplicationDecision, row.decisions),
  }
}
