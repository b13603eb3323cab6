import type { HttpContext } from '@adonisjs/core/http'
import PlatformPolicy from '#policies/platform_policy'
import Tenant from '#models/tenant'
import TenantMembership from '#models/tenant_membership'
import { tenantStatusValidator } from '#validators/admin'
import { done, render } from '#controllers/respond'
import { tenantSummary } from '#transformers/shared_props'
import { recordAudit } from '#actions/audit'

/**
 * The platform operator's view of tenants: list, detail, approve or suspend.
 */
export default class PlatformTenantsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(PlatformPolicy).authorize('access')
    const tenants = await Tenant.query().orderBy('status').orderBy('name')
    return render(ctx, 'platform/tenants/index', {
      tenants: tenants.map((t) => ({ id: t.id, ...tenantSummary(t)! })),
    })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(PlatformPolicy).authorize('access')
    const tenant = await Tenant.findOrFail(ctx.params.id)
    const staff = await TenantMembership.query().where('tenantId', tenant.id).preload('user')
    return render(ctx, 'platform/tenants/show', {
      detail: {
        id: tenant.id,
        ...tenantSummary(tenant)!,
        legalName: tenant.legalName,
        locales: tenant.locales,
      },
      staff: staff.map((m) => ({
        id: m.id,
        role: m.role,
        fullName: m.user.fullName,
        email: m.user.email,
      })),
    })
  }

  async updateStatus(ctx: HttpContext) {
    await ctx.bouncer.with(PlatformPolicy).authorize('access')
    const tenant = await Tenant.findOrFail(ctx.params.id)
    const { status } = await ctx.request.validateUsing(tenantStatusValidator)
    const before = tenant.status
    tenant.status = status
    await tenant.save()
    await recordAudit({
      tenantId: tenant.id,
      actorUserId: ctx.auth.user!.id,
      action: 'tenant.status_changed',
      data: { from: before, to: status },
    })
    return done(ctx, `/platform/tenants/${tenant.id}`, 'platform.status_saved')
  }
}
