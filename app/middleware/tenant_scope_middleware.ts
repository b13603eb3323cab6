import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type Tenant from '#models/tenant'
import TenantMembership, { type TenantRole } from '#models/tenant_membership'
import OrganizationMembership from '#models/organization_membership'
import type User from '#models/user'
import { rescope, withTenantScope } from '#tenancy/tenant_context'
import { provisionalTenantId, tenantFromHost, tenantFromSlug } from '#tenancy/tenant_resolver'
import { cachedTenant } from '#tenancy/tenant_cache'
import { WORKSPACE_SESSION_KEY, type Workspace } from '#tenancy/workspace'
import NotFoundException from '#exceptions/not_found_exception'
import { wantsJson } from '#controllers/respond'
import { routeArea } from '#plugin_engine/plugin_routes'

/**
 * Resolves who and what a request acts for, then runs the rest of the request inside one
 * transaction of the runtime role scoped with set_config (see app/tenancy/tenant_context.ts):
 * - public pages: the tenant of the host, or of the /t/:tenant path;
 * - citizen portal: the citizen's home tenant;
 * - admin: the workspace (tenant or provider organisation) chosen in the session, among the
 *   person's memberships, which row-level security lets them read;
 * - platform admin: the platform scope, for platform admins only.
 * The area is the first segment of the route name, or for a plugin route
 * (`plugins.<id>.<area>.…`) the segment after the plugin id.
 */
export default class TenantScopeMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const area = routeArea(ctx.route?.name)
    const user = (await ctx.auth.check()) ? ctx.auth.user! : null
    const hostname = ctx.request.hostname()
    const slug: string | undefined = ctx.params.tenant

    // The portal runs in the citizen's home tenant from the start (no second set_config).
    const portalHome = area === 'portal' && user?.homeTenantId ? user.homeTenantId : null
    // The transaction opens with the tenant the last known tenants give (tenants are cached in
    // the process, app/tenancy/tenant_cache.ts); the cache is checked inside the transaction,
    // and in the rare case the answer changed the scope is written again before any tenant
    // data is read.
    const opened = portalHome ?? provisionalTenantId(hostname, slug)
    const scope = {
      tenantId: opened,
      userId: user?.id ?? null,
      platform: area === 'platform' && !!user?.isPlatformAdmin,
    }
    ctx.tenant = null
    ctx.workspace = null
    ctx.workspaces = []
    return withTenantScope(scope, async () => {
      let tenant = await tenantFromHost(hostname)
      if (slug) {
        tenant = await tenantFromSlug(slug)
        if (!tenant || tenant.status === 'pending') throw new NotFoundException()
      }
      ctx.tenant = tenant
      const tenantId = portalHome ?? tenant?.id ?? null
      if (tenantId !== opened) await rescope({ tenantId })
      // Workspaces choose the admin scope and feed the page menu; an API call outside the admin
      // renders no menu, so it skips the membership queries.
      if (user && (area === 'admin' || area === 'account' || !wantsJson(ctx))) {
        await this.loadWorkspaces(ctx, user)
      }
      if (area === 'admin' && ctx.workspace?.kind === 'tenant') {
        await rescope({ tenantId: ctx.workspace.tenant.id, staff: true })
      }
      if (portalHome) ctx.tenant = await cachedTenant(portalHome)
      return next()
    })
  }

  /** Lists the person's workspaces and picks the current one (session choice, else first). */
  protected async loadWorkspaces(ctx: HttpContext, user: User) {
    const memberships = await TenantMembership.query().where('userId', user.id).preload('tenant')
    const byTenant = new Map<string, { tenant: Tenant; roles: TenantRole[] }>()
    for (const m of memberships) {
      if (m.tenant.status === 'suspended' && !user.isPlatformAdmin) continue
      const entry = byTenant.get(m.tenantId) ?? { tenant: m.tenant, roles: [] }
      entry.roles.push(m.role)
      byTenant.set(m.tenantId, entry)
    }
    const orgs = await OrganizationMembership.query()
      .where('userId', user.id)
      .preload('organization')
    const workspaces: Workspace[] = [
      ...[...byTenant.values()]
        .sort((a, b) => a.tenant.name.localeCompare(b.tenant.name))
        .map((e) => ({
          kind: 'tenant' as const,
          key: `tenant:${e.tenant.id}`,
          tenant: e.tenant,
          roles: e.roles.sort(),
        })),
      ...orgs.map((m) => ({
        kind: 'organization' as const,
        key: `organization:${m.organizationId}`,
        organization: m.organization,
        role: m.role,
      })),
    ]
    ctx.workspaces = workspaces
    const chosen = ctx.session.get(WORKSPACE_SESSION_KEY)
    ctx.workspace = workspaces.find((w) => w.key === chosen) ?? workspaces[0] ?? null
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    tenant: Tenant | null
    workspace: Workspace | null
    workspaces: Workspace[]
  }
}
