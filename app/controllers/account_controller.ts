import type { HttpContext } from '@adonisjs/core/http'
import PublicPolicy from '#policies/public_policy'
import Tenant from '#models/tenant'
import { accountValidator, localeValidator } from '#validators/auth'
import { done, render, wantsJson } from '#controllers/respond'
import { tenantSummary } from '#transformers/shared_props'
import { LOCALE_COOKIE } from '#middleware/detect_user_locale_middleware'

/**
 * A person's own account, and the language switch.
 */
export default class AccountController {
  async edit(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('ownAccount')
    const user = ctx.auth.getUserOrFail()
    const home = user.homeTenantId ? await Tenant.find(user.homeTenantId) : null
    return render(ctx, 'account/edit', {
      account: {
        fullName: user.fullName,
        email: user.email,
        locale: user.locale,
        citizenship: user.citizenship,
      },
      homeTenant: tenantSummary(home),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('ownAccount')
    const payload = await ctx.request.validateUsing(accountValidator)
    const user = ctx.auth.getUserOrFail()
    user.merge(payload)
    await user.save()
    ctx.response.plainCookie(LOCALE_COOKIE, payload.locale, { maxAge: '1y', httpOnly: false })
    return done(ctx, '/account', 'account.saved')
  }

  /** Language switch: remembered in a cookie, and on the account when signed in. */
  async locale(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const { locale } = await ctx.request.validateUsing(localeValidator)
    ctx.response.plainCookie(LOCALE_COOKIE, locale, { maxAge: '1y', httpOnly: false })
    if (ctx.auth.user) {
      ctx.auth.user.locale = locale
      await ctx.auth.user.save()
    }
    if (wantsJson(ctx)) return ctx.response.send({ ok: true, locale })
    return ctx.response.redirect().back()
  }
}
