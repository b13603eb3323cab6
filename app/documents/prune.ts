/*
 * Finds and removes stored documents no row refers to any more (docs/decisions/0014, addendum
 * "Orphaned files"): files of applications or verifications deleted by a cascade (a tenant or a
 * person erased), or written by a request whose transaction then failed before its clean-up ran.
 *
 * Only the platform's own document areas are examined: keys shaped
 * `<tenant uuid>/applications/…` or `<tenant uuid>/verifications/…`; anything else on the disk is
 * left alone. A file younger than `minAgeMs` is kept even when no row refers to it yet, since a
 * request may have written it and not committed its row.
 */
import drive from '@adonisjs/drive/services/main'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'

const DOCUMENT_KEY =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(applications|verifications)\//

export interface PruneReport {
  /** Document files examined (the platform's areas only). */
  examined: number
  /** Files no row refers to, old enough to go (removed unless a dry run). */
  orphans: string[]
  /** Files no row refers to yet, younger than the minimum age (kept). */
  young: number
  removed: number
}

async function referencedKeys(tenantId: string): Promise<Set<string>> {
  const rows = await withTenantScope({ tenantId: null, userId: null, platform: true }, () =>
    scopedClient().rawQuery(
      `select storage_key from application_documents where tenant_id = ?
       union all
       select storage_key from verification_documents where tenant_id = ?`,
      [tenantId, tenantId]
    )
  )
  return new Set(rows.rows.map((row: { storage_key: string }) => row.storage_key))
}

export async function pruneOrphanDocuments(options: {
  dryRun: boolean
  minAgeMs: number
  now?: Date
}): Promise<PruneReport> {
  const disk = drive.use()
  const byTenant = new Map<string, string[]>()
  let token: string | undefined
  do {
    const page = await disk.listAll('', { recursive: true, paginationToken: token })
    for (const object of page.objects) {
      if (!object.isFile) continue
      const match = DOCUMENT_KEY.exec(object.key)
      if (!match) continue
      const keys = byTenant.get(match[1]) ?? []
      keys.push(object.key)
      byTenant.set(match[1], keys)
    }
    token = page.paginationToken
  } while (token)

  const now = (options.now ?? new Date()).getTime()
  const report: PruneReport = { examined: 0, orphans: [], young: 0, removed: 0 }
  for (const [tenantId, keys] of byTenant) {
    const referenced = await referencedKeys(tenantId)
    for (const key of keys) {
      report.examined++
      if (referenced.has(key)) continue
      const { lastModified } = await disk.getMetaData(key)
      if (now - lastModified.getTime() < options.minAgeMs) {
        report.young++
        continue
      }
      report.orphans.push(key)
      if (!options.dryRun) {
        await disk.delete(key)
        report.removed++
      }
    }
  }
  return report
}
