import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Tenant from '#models/tenant'
import type Verification from '#models/verification'
import PortalPolicy from '#policies/portal_policy'
import VerificationPolicy from '#policies/verification_policy'
import { VerifyByRegister, verificationStateOf } from '#actions/verification/verify_by_register'
import { verifyByRegisterValidator } from '#validators/verification'
import { render, wantsJson } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'

async function present(verification: Verification | null, now: DateTime) {
  if (!verification) return null
  const residentOf = verification.residentOf
    ? await Tenant.findBy('slug', verification.residentOf)
    : null
  return {
    id: verification.id,
    method: verification.method,
    status: verification.status,
    reasons: verification.reasons,
    residentOf: verification.residentOf,
    residentOfName: residentOf?.name ?? null,
    verifiedAt: verification.verifiedAt?.toISO() ?? null,
    expiresAt: verification.expiresAt?.toISO() ?? null,
    createdAt: verification.createdAt.toISO(),
    valid: verification.isValidAt(now),
    expired:
      verification.status === 'verified' &&
      !!verification.expiresAt &&
      verification.expiresAt.toMillis() <= now.toMillis(),
  }
}

/**
 * The citizen's identity verification: the current state, and verification against the home
 * tenant's population register (docs/decisions/0014-identity-verification.md).
 */
export default class VerificationController {
  protected homeTenant(ctx: HttpContext) {
    if (!ctx.tenant) throw new NotFoundException()
    return ctx.tenant
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    await ctx.bouncer.with(VerificationPolicy).authorize('verify')
    const user = ctx.auth.getUserOrFail()
    const tenant = this.homeTenant(ctx)
    const now = DateTime.now()
    const { latest, current } = await verificationStateOf(user, now)
    return render(ctx, 'portal/verification/show', {
      tenant: { slug: tenant.slug, name: tenant.name },
      fullName: user.fullName,
      registerAvailable: new VerifyByRegister().available(tenant),
      current: await present(current, now),
      latest: await present(latest, now),
      today: now.toISODate(),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PortalPolicy).authorize('access')
    await ctx.bouncer.with(VerificationPolicy).authorize('verify')
    const user = ctx.auth.getUserOrFail()
    const tenant = this.homeTenant(ctx)
    const payload = await ctx.request.validateUsing(verifyByRegisterValidator, {
      meta: { today: DateTime.now().toISODate()!, t: (key, values) => ctx.i18n.t(key, values) },
    })
    const verification = await new VerifyByRegister().handle({ user, tenant, ...payload })
    if (wantsJson(ctx)) {
      return ctx.response.send({
        ok: true,
        verification: await present(verification, DateTime.now()),
      })
    }
    if (verification.status === 'verified') {
      ctx.session.flash('success', ctx.i18n.t('ui.verification.flash_verified'))
    }
    return ctx.response.redirect('/portal/verification')
  }
}
