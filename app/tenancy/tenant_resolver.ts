import env from '#start/env'
import type Tenant from '#models/tenant'
import { cachedTenant, cachedTenantBySlug, cachedTenantIdByHost } from '#tenancy/tenant_cache'
import { lastKnownTenantId } from '#tenancy/tenant_cache'

/** The label of a host `<slug>.<PLATFORM_DOMAIN>`, or null. */
function platformLabel(host: string) {
  const platformDomain = env.get('PLATFORM_DOMAIN')
  if (platformDomain && host.endsWith(`.${platformDomain}`)) {
    const label = host.slice(0, -platformDomain.length - 1)
    if (!label.includes('.')) return label
  }
  return null
}

/**
 * Finds the tenant a public request is for: by host (a tenant's own or custom domain, or
 * <slug>.<PLATFORM_DOMAIN>), falling back to the /t/:tenant path in development. Reads the
 * tenant cache, so it runs inside a tenant scope (app/tenancy/tenant_cache.ts).
 */
export async function tenantFromHost(hostname: string | null | undefined): Promise<Tenant | null> {
  if (!hostname) return null
  const host = hostname.toLowerCase()
  const id = await cachedTenantIdByHost(host)
  if (id) return cachedTenant(id)
  const label = platformLabel(host)
  return label ? cachedTenantBySlug(label) : null
}

/** The tenant named by a path segment (/t/:tenant), active or not. */
export async function tenantFromSlug(slug: string | undefined): Promise<Tenant | null> {
  if (!slug) return null
  return cachedTenantBySlug(slug)
}

/**
 * The tenant id a request would resolve to by the last tenants this process knew, before any
 * transaction is open: the scope a request's transaction opens with. The middleware resolves
 * again inside the transaction, with the cache checked, and re-scopes in the rare case the
 * answer changed.
 */
export function provisionalTenantId(hostname: string | null | undefined, slug?: string) {
  if (slug) return lastKnownTenantId({ slug })
  if (!hostname) return null
  const host = hostname.toLowerCase()
  const label = platformLabel(host)
  return lastKnownTenantId({ host }) ?? (label !== null ? lastKnownTenantId({ slug: label }) : null)
}
