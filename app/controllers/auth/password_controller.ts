import type { HttpContext } from '@adonisjs/core/http'
import PublicPolicy from '#policies/public_policy'
import { RequestPasswordReset, ResetPassword } from '#actions/auth/password_reset'
import { forgotPasswordValidator, resetPasswordValidator } from '#validators/auth'
import { done, render } from '#controllers/respond'
import DomainError from '#exceptions/domain_error'

/**
 * Password reset by e-mail.
 */
export default class PasswordController {
  async forgot(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    return render(ctx, 'auth/forgot_password', {})
  }

  /** Answers the same whether or not the address has an account. */
  async sendLink(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const { email } = await ctx.request.validateUsing(forgotPasswordValidator)
    await new RequestPasswordReset().handle({ email })
    return done(ctx, '/login', 'auth.reset_link_sent')
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    return render(ctx, 'auth/reset_password', { token: ctx.params.token })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    const payload = await ctx.request.validateUsing(resetPasswordValidator)
    const user = await new ResetPassword().handle(payload)
    if (!user) throw new DomainError('auth.reset_token_invalid', 'password')
    return done(ctx, '/login', 'auth.password_changed')
  }
}
