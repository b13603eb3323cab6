import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import PublicPolicy from '#policies/public_policy'

/**
 * Sends signed-in people away from sign-in and registration pages, to their home.
 */
export default class GuestMiddleware {
  redirectTo = '/home'

  async handle(ctx: HttpContext, next: NextFn) {
    await ctx.auth.check()
    if (await ctx.bouncer.with(PublicPolicy).denies('authenticate')) {
      return ctx.response.redirect(this.redirectTo, true)
    }
    return next()
  }
}
