import { randomBytes } from 'node:crypto'
import User from '#models/user'
import type Tenant from '#models/tenant'
import TenantMembership, { type TenantRole } from '#models/tenant_membership'
import IssueUserToken from '#actions/auth/issue_user_token'
import { sendTemplatedMail } from '#services/mailer'
import { recordAudit } from '#actions/audit'
import DomainError from '#exceptions/domain_error'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Gives a person a role in a tenant. A person without an account gets one and an
 * invitation e-mail with a link to set their password.
 */
export class AddStaffMember {
  async handle(input: {
    tenant: Tenant
    actor: User
    email: string
    fullName: string
    role: TenantRole
  }) {
    let user = await User.findBy('emailNormalized', User.normalizeEmail(input.email))
    let invited = false
    if (!user) {
      user = await User.create({
        email: input.email.trim(),
        fullName: input.fullName,
        password: randomBytes(24).toString('base64url'),
        locale: input.tenant.defaultLocale,
        isPlatformAdmin: false,
      })
      invited = true
    }
    const existing = await TenantMembership.query()
      .where('tenantId', input.tenant.id)
      .where('userId', user.id)
      .where('role', input.role)
      .first()
    if (existing) throw new DomainError('staff.already_has_role', 'role')

    const membership = await TenantMembership.create({
      tenantId: input.tenant.id,
      userId: user.id,
      role: input.role,
    })
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: 'staff.added',
      subjectType: 'tenant_membership',
      subjectId: membership.id,
      data: { email: user.email, role: input.role },
    })
    const roleName = i18nManager.locale(user.locale).t(`ui.roles.${input.role}`, {}, '')
    const data: Record<string, unknown> = {
      fullName: user.fullName,
      role: input.role,
      roleName,
      inviter: input.actor.fullName,
    }
    if (invited) {
      const token = await new IssueUserToken().handle({
        user,
        purpose: 'reset_password',
        validFor: { hours: 72 },
      })
      data.path = `/reset-password/${token}`
    } else {
      data.path = '/admin'
    }
    sendTemplatedMail({
      to: user.email,
      template: 'staff_added',
      locale: user.locale,
      tenant: input.tenant,
      data,
    })
    return membership
  }
}

async function ensureAnotherAdmin(tenantId: string, membership: TenantMembership) {
  if (membership.role !== 'tenant_admin') return
  const admins = await TenantMembership.query()
    .where('tenantId', tenantId)
    .where('role', 'tenant_admin')
    .count('* as n')
  if (Number(admins[0].$extras.n) <= 1) throw new DomainError('staff.last_admin', 'role')
}

/**
 * Changes a staff member's role; the tenant always keeps at least one tenant admin.
 */
export class ChangeStaffRole {
  async handle(input: {
    tenant: Tenant
    actor: User
    membership: TenantMembership
    role: TenantRole
  }) {
    const { membership } = input
    if (membership.role === input.role) return membership
    await ensureAnotherAdmin(input.tenant.id, membership)
    const clash = await TenantMembership.query()
      .where('tenantId', input.tenant.id)
      .where('userId', membership.userId)
      .where('role', input.role)
      .first()
    if (clash) throw new DomainError('staff.already_has_role', 'role')
    const before = membership.role
    membership.role = input.role
    await membership.save()
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: 'staff.role_changed',
      subjectType: 'tenant_membership',
      subjectId: membership.id,
      data: { from: before, to: input.role },
    })
    return membership
  }
}

/**
 * Takes a role away from a staff member; the tenant always keeps at least one tenant admin.
 */
export class RemoveStaffMember {
  async handle(input: { tenant: Tenant; actor: User; membership: TenantMembership }) {
    await ensureAnotherAdmin(input.tenant.id, input.membership)
    await input.membership.delete()
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: 'staff.removed',
      subjectType: 'tenant_membership',
      subjectId: input.membership.id,
      data: { role: input.membership.role, userId: input.membership.userId },
    })
  }
}
