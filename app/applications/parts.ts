/*
 * Everything an application's page shows besides the application row, in one statement
 * (docs/decisions/0018-fewer-statements-per-request.md): the program version (by reference, its
 * contents from the version cache), the child, the documents, the history and the decisions, each
 * read under the row-level security of the scope. The tenant comes from the tenant cache. The
 * applicant's own page reads the application row in the same statement.
 */
import Application from '#models/application'
import ApplicationDecision from '#models/application_decision'
import ApplicationDocument from '#models/application_document'
import ApplicationEvent from '#models/application_event'
import Child from '#models/child'
import NotFoundException from '#exceptions/not_found_exception'
import { scopedClient } from '#tenancy/tenant_context'
import { cachedTenant } from '#tenancy/tenant_cache'
import { fromJsonRow, fromJsonRows } from '#services/json_rows'
import { versionFor } from '#programs/version_cache'

/** The columns of an application's parts, for an application given by these SQL expressions. */
function partsColumns(of: {
  tenant: string
  id: string
  program: string
  version: string
  child: string
}) {
  return `
       (select json_build_object('tenant_id', v.tenant_id, 'id', v.id, 'xmin', v.xmin::text,
                 'own', coalesce(v.xmin = pg_current_xact_id_if_assigned()::xid, false))
          from program_versions v
         where v.tenant_id = ${of.tenant} and v.program_id = ${of.program} and v.version = ${of.version}) as version,
       (select row_to_json(c) from children c where c.id = ${of.child}) as child,
       (select coalesce(json_agg(d order by d.created_at), '[]') from application_documents d
         where d.tenant_id = ${of.tenant} and d.application_id = ${of.id}) as documents,
       (select coalesce(json_agg(e order by e.seq), '[]') from application_events e
         where e.tenant_id = ${of.tenant} and e.application_id = ${of.id}) as events,
       (select coalesce(json_agg(x order by x.decided_at), '[]') from application_decisions x
         where x.tenant_id = ${of.tenant} and x.application_id = ${of.id}) as decisions`
}

async function partsFrom(application: Application, row: Record<string, any>) {
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

/** What applicationParts() returns. */
export type ApplicationParts = Awaited<ReturnType<typeof partsFrom>>

/** The version, tenant, child, documents, events and decisions of an application. */
export async function applicationParts(application: Application): Promise<ApplicationParts> {
  const result = await scopedClient().rawQuery(
    `select ${partsColumns({
      tenant: ':tenant',
      id: ':id',
      program: ':program',
      version: ':version',
      child: ':child',
    })}`,
    {
      tenant: application.tenantId,
      id: application.id,
      program: application.programId,
      version: application.programVersion,
      // A null binding is a SQL NULL (knex's types do not say so): no child row then.
      child: (application.childId ?? null) as string,
    }
  )
  return partsFrom(application, result.rows[0])
}

/**
 * An application of this applicant with its parts (see applicationParts), in one statement; null
 * when this scope cannot read such an application.
 */
export async function ownApplicationWithParts(
  id: string,
  applicantUserId: string
): Promise<{ application: Application; parts: ApplicationParts } | null> {
  const result = await scopedClient().rawQuery(
    `select row_to_json(a) as application, ${partsColumns({
      tenant: 'a.tenant_id',
      id: 'a.id',
      program: 'a.program_id',
      version: 'a.program_version',
      child: 'a.child_id',
    })}
       from applications a where a.id = :id and a.applicant_user_id = :user`,
    { id, user: applicantUserId }
  )
  const row = result.rows[0]
  const application = row ? fromJsonRow(Application, row.application) : null
  if (!application) return null
  return { application, parts: await partsFrom(application, row) }
}
