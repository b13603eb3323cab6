import type { HttpContext } from '@adonisjs/core/http'
import type Tenant from '#models/tenant'
import type { Workspace } from '#tenancy/workspace'

/** The public face of a tenant (never the whole model). */
export function tenantSummary(tenant: Tenant | null) {
  if (!tenant) return null
  return {
    slug: tenant.slug,
    name: tenant.name,
    kind: tenant.kind,
    country: tenant.country,
    currency: tenant.currency,
    status: tenant.status,
    nationwide: tenant.nationwide,
    branding: tenant.branding ?? {},
  }
}

/** A workspace as shown in the switcher. */
export function workspaceSummary(workspace: Workspace) {
  return workspace.kind === 'tenant'
    ? { key: workspace.key, kind: 'tenant', name: workspace.tenant.name, roles: workspace.roles }
    : {
        key: workspace.key,
        kind: 'organization',
        name: workspace.organization.name,
        roles: [workspace.role],
      }
}

/** The signed-in person as the pages see them. */
export function currentUser(ctx: HttpContext) {
  const user = ctx.auth?.user
  if (!user) return null
  return {
    id: user.id,
    fullName: user.fullName,
    email: user.email,
    locale: user.locale,
    emailVerified: !!user.emailVerifiedAt,
    isPlatformAdmin: user.isPlatformAdmin,
    isCitizen: !!user.homeTenantId,
  }
}
