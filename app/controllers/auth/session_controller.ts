import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import User from '#models/user'
import PublicPolicy from '#policies/public_policy'
import { loginValidator } from '#validators/auth'
import { done, render, wantsJson } from '#controllers/respond'
import DomainError from '#exceptions/domain_error'

/**
 * Sign in (throttled per address and IP) and sign out.
 */
export default class SessionController {
  async create(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('authenticate')
    return render(ctx, 'auth/login', {})
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('authenticate')
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    const key = `login_${ctx.request.ip()}_${User.normalizeEmail(email)}`
    const throttle = limiter.use({ requests: 5, duration: '1 min', blockDuration: '15 mins' })
    let result
    try {
      result = await throttle.penalize(key, () =>
        User.verifyCredentials(User.normalizeEmail(email), password)
      )
    } catch (failure: any) {
      if (failure?.code === 'E_INVALID_CREDENTIALS')
        throw new DomainError('auth.invalid_credentials', 'email')
      throw failure
    }
    const [error, user] = result
    if (error) {
      throw new DomainError('auth.too_many_attempts', 'email', {
        minutes: Math.ceil(error.response.availableIn / 60),
      })
    }
    if (!user) throw new DomainError('auth.invalid_credentials', 'email')
    await ctx.auth.use('web').login(user)
    if (wantsJson(ctx)) return ctx.response.send({ ok: true, id: user.id })
    return ctx.response.redirect('/home')
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('ownAccount')
    await ctx.auth.use('web').logout()
    return done(ctx, '/', 'auth.logged_out')
  }
}
