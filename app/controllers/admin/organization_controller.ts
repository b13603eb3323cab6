import type { HttpContext } from '@adonisjs/core/http'
import OrganizationPolicy from '#policies/organization_policy'
import OrganizationMembership from '#models/organization_membership'
import { organizationValidator } from '#validators/admin'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * A provider organisation's profile and people. Always the organisation of the current
 * workspace: another organisation's records answer 404.
 */
export default class OrganizationController {
  protected organization(ctx: HttpContext) {
    const workspace = ctx.workspace
    if (workspace?.kind !== 'organization') throw new NotFoundException()
    return workspace.organization
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationPolicy).authorize('view', ctx.workspace)
    const organization = this.organization(ctx)
    const members = await OrganizationMembership.query()
      .where('organizationId', organization.id)
      .preload('user')
    return render(ctx, 'admin/organization/show', {
      organization: {
        id: organization.id,
        name: organization.name,
        registrationNumber: organization.registrationNumber,
        city: organization.city,
        contactEmail: organization.contactEmail,
      },
      members: members.map((m) => ({
        userId: m.userId,
        fullName: m.user.fullName,
        email: m.user.email,
        role: m.role,
      })),
      canManage: await ctx.bouncer.with(OrganizationPolicy).allows('manage', ctx.workspace),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationPolicy).authorize('manage', ctx.workspace)
    const organization = this.organization(ctx)
    const payload = await ctx.request.validateUsing(organizationValidator)
    organization.merge({
      name: payload.name,
      registrationNumber: payload.registrationNumber ?? null,
      city: payload.city ?? null,
      contactEmail: payload.contactEmail ?? null,
    })
    await organization.save()
    return done(ctx, '/admin/organization', 'organization.saved')
  }

  async member(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationPolicy).authorize('view', ctx.workspace)
    const organization = this.organization(ctx)
    const member = await OrganizationMembership.query()
      .where('organizationId', organization.id)
      .where('userId', ctx.params.userId)
      .preload('user')
      .first()
    if (!member) throw new NotFoundException()
    return render(ctx, 'admin/organization/member', {
      member: {
        userId: member.userId,
        fullName: member.user.fullName,
        email: member.user.email,
        role: member.role,
      },
    })
  }
}
