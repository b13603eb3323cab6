import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { markAuthorizationDecided } from '#middleware/authorization_audit_middleware'

/**
 * Requires a signed-in person: browsers are sent to /login, API clients get 401. Sending an
 * anonymous person to sign in is itself the authorization decision for that request.
 */
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    try {
      await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    } catch (error) {
      markAuthorizationDecided(ctx)
      throw error
    }
    return next()
  }
}
