import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import PublicPolicy from '#policies/public_policy'
import { render } from '#controllers/respond'
import { tenantSummary } from '#transformers/shared_props'

/**
 * The platform's public site and tenants' public sites.
 */
export default class PublicController {
  /** Platform home, or the tenant's site when the host belongs to a tenant. */
  async home(ctx: HttpContext) {
    if (ctx.tenant) return this.tenantSite(ctx)
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const count = await Tenant.query().where('status', 'active').count('* as n')
    return render(ctx, 'public/home', { activeTenants: Number(count[0].$extras.n) })
  }

  /** The list of cities, districts and NGOs on the platform. */
  async tenants(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const tenants = await Tenant.query().where('status', 'active').orderBy('name')
    return render(ctx, 'public/tenants', { tenants: tenants.map((t) => tenantSummary(t)) })
  }

  /** A tenant's branded public site. */
  async tenantSite(ctx: HttpContext) {
    if (!(await ctx.bouncer.with(PublicPolicy).allows('viewTenant', ctx.tenant))) {
      ctx.response.status(503)
      return render(ctx, 'errors/unavailable', { tenant: tenantSummary(ctx.tenant) })
    }
    return render(ctx, 'public/tenant_site', { site: tenantSummary(ctx.tenant) })
  }

  /** Sends a signed-in person to where they work. */
  async afterLogin(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('ownAccount')
    const user = ctx.auth.getUserOrFail()
    // A pure redirect: keep the flash message for the page it leads to.
    ctx.session.reflash()
    if (ctx.workspaces.length > 0) return ctx.response.redirect('/admin')
    if (user.isPlatformAdmin) return ctx.response.redirect('/platform')
    return ctx.response.redirect('/portal')
  }
}
