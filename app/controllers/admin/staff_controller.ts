import type { HttpContext } from '@adonisjs/core/http'
import AdminPolicy from '#policies/admin_policy'
import TenantMembership from '#models/tenant_membership'
import { AddStaffMember, ChangeStaffRole, RemoveStaffMember } from '#actions/staff/staff_actions'
import { addStaffValidator, changeStaffRoleValidator } from '#validators/admin'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'

function present(m: TenantMembership) {
  return {
    id: m.id,
    role: m.role,
    fullName: m.user.fullName,
    email: m.user.email,
    since: m.createdAt.toISODate(),
  }
}

/**
 * A tenant's staff (tenant admins only). Another tenant's staff answer 404: row-level
 * security hides them and the query also names the current tenant.
 */
export default class StaffController {
  protected async find(ctx: HttpContext) {
    const workspace = ctx.workspace
    if (workspace?.kind !== 'tenant') throw new NotFoundException()
    const membership = await TenantMembership.query()
      .where('tenantId', workspace.tenant.id)
      .where('id', ctx.params.id)
      .preload('user')
      .first()
    if (!membership) throw new NotFoundException()
    return { workspace, membership }
  }

  async index(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageStaff', ctx.workspace)
    const tenantId = ctx.workspace!.kind === 'tenant' ? ctx.workspace!.tenant.id : ''
    const staff = await TenantMembership.query()
      .where('tenantId', tenantId)
      .preload('user')
      .orderBy('createdAt')
    return render(ctx, 'admin/staff/index', { staff: staff.map(present) })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageStaff', ctx.workspace)
    const payload = await ctx.request.validateUsing(addStaffValidator)
    const workspace = ctx.workspace!
    if (workspace.kind !== 'tenant') throw new NotFoundException()
    const membership = await new AddStaffMember().handle({
      tenant: workspace.tenant,
      actor: ctx.auth.getUserOrFail(),
      ...payload,
    })
    return done(ctx, '/admin/staff', 'staff.added', { id: membership.id })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageStaff', ctx.workspace)
    const { membership } = await this.find(ctx)
    return render(ctx, 'admin/staff/show', { member: present(membership) })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageStaff', ctx.workspace)
    const { workspace, membership } = await this.find(ctx)
    const { role } = await ctx.request.validateUsing(changeStaffRoleValidator)
    await new ChangeStaffRole().handle({
      tenant: workspace.tenant,
      actor: ctx.auth.getUserOrFail(),
      membership,
      role,
    })
    return done(ctx, `/admin/staff/${membership.id}`, 'staff.updated')
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('manageStaff', ctx.workspace)
    const { workspace, membership } = await this.find(ctx)
    await new RemoveStaffMember().handle({
      tenant: workspace.tenant,
      actor: ctx.auth.getUserOrFail(),
      membership,
    })
    return done(ctx, '/admin/staff', 'staff.removed')
  }
}
