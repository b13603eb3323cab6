import env from '#start/env'
import Tenant from '#models/tenant'
import db from '@adonisjs/lucid/services/db'

/**
 * Finds the tenant a public request is for: by host (a tenant's own or custom domain, or
 * <slug>.<PLATFORM_DOMAIN>), falling back to the /t/:tenant path in development.
 */
export async function tenantFromHost(hostname: string | null | undefined): Promise<Tenant | null> {
  if (!hostname) return null
  const host = hostname.toLowerCase()
  const row = await db
    .connection('app')
    .from('tenant_domains')
    .where('host', host)
    .select('tenant_id')
    .first()
  if (row) return Tenant.find(row.tenant_id)
  const platformDomain = env.get('PLATFORM_DOMAIN')
  if (platformDomain && host.endsWith(`.${platformDomain}`)) {
    const label = host.slice(0, -platformDomain.length - 1)
    if (!label.includes('.')) return Tenant.findBy('slug', label)
  }
  return null
}

/** The tenant named by a path segment (/t/:tenant), active or not. */
export async function tenantFromSlug(slug: string | undefined): Promise<Tenant | null> {
  if (!slug) return null
  return Tenant.findBy('slug', slug)
}
