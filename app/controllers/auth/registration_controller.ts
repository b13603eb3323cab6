import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import PublicPolicy from '#policies/public_policy'
import RegisterCitizen, { SendVerificationEmail } from '#actions/auth/register_citizen'
import VerifyEmail from '#actions/auth/verify_email'
import { registerValidator, CITIZENSHIPS } from '#validators/auth'
import { done, render } from '#controllers/respond'
import { tenantSummary } from '#transformers/shared_props'
import DomainError from '#exceptions/domain_error'

/**
 * Citizen registration and e-mail verification.
 */
export default class RegistrationController {
  async create(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('authenticate')
    const tenants = await Tenant.query()
      .where('status', 'active')
      .orderBy('nationwide', 'desc')
      .orderBy('name')
    return render(ctx, 'auth/register', {
      tenants: tenants.map((t) => tenantSummary(t)),
      citizenships: CITIZENSHIPS,
      preselected: ctx.request.qs().tenant ?? null,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('authenticate')
    const payload = await ctx.request.validateUsing(registerValidator)
    let user
    try {
      user = await new RegisterCitizen().handle({
        fullName: payload.fullName,
        email: payload.email,
        password: payload.password,
        citizenship: payload.citizenship,
        homeTenantSlug: payload.homeTenant,
        locale: (ctx.i18n.locale as any) ?? 'cs',
      })
    } catch (error: any) {
      if (error?.code === '23505') throw new DomainError('auth.email_taken', 'email')
      throw error
    }
    await ctx.auth.use('web').login(user)
    return done(ctx, '/portal', 'auth.registered', { id: user.id })
  }

  /** Opens the link from the verification e-mail. */
  async verify(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const user = await new VerifyEmail().handle({ token: ctx.params.token })
    if (!user) return render(ctx, 'auth/verify_failed', {})
    ctx.session.flash('success', ctx.i18n.t('ui.auth.email_verified'))
    return ctx.response.redirect(ctx.auth.user ? '/home' : '/login')
  }

  /** Sends the verification e-mail again to the signed-in person. */
  async resend(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('ownAccount')
    const user = ctx.auth.getUserOrFail()
    if (!user.emailVerifiedAt) {
      const tenant = user.homeTenantId ? await Tenant.find(user.homeTenantId) : null
      await new SendVerificationEmail().handle({ user, tenant })
    }
    return done(ctx, '/account', 'auth.verification_sent')
  }
}
