import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import PortalPolicy from '#policies/portal_policy'
import { render } from '#controllers/respond'
import { tenantSummary } from '#transformers/shared_props'

/**
 * The citizen portal's home: home tenant, nationwide tenants, account state.
 */
export default class PortalDashboardController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    const user = ctx.auth.getUserOrFail()
    const nationwide = await Tenant.query()
      .where('nationwide', true)
      .where('status', 'active')
      .orderBy('name')
    return render(ctx, 'portal/dashboard', {
      homeTenant: tenantSummary(ctx.tenant),
      nationwide: nationwide.filter((t) => t.id !== user.homeTenantId).map((t) => tenantSummary(t)),
      emailVerified: !!user.emailVerifiedAt,
    })
  }
}
