import { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Bouncer } from '@adonisjs/bouncer'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'

const DECIDED = Symbol('authorizationDecided')
let installed = false

/**
 * Wraps Bouncer's emitter so that each policy decision marks the current request
 * (synchronously, through the request's AsyncLocalStorage context).
 */
function installRecorder() {
  if (installed) return
  installed = true
  const original = Bouncer.emitter as any
  Bouncer.emitter = {
    emit(event: string, data: unknown) {
      const ctx = HttpContext.get()
      if (ctx && event === 'authorization:finished') (ctx as any)[DECIDED] = true
      return original?.emit(event, data)
    },
  } as any
}

/** Marks the current request as authorized by an explicit decision made outside Bouncer. */
export function markAuthorizationDecided(ctx: HttpContext) {
  ;(ctx as any)[DECIDED] = true
}

/**
 * Every route must make a Bouncer policy decision. A route that answers without one is a
 * bug: in tests and development it fails with 500 so the route tests catch it; in production
 * it is logged.
 */
export default class AuthorizationAuditMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    installRecorder()
    await next()
    // An error answered (4xx/5xx) is not a route answering on its own.
    if ((ctx as any)[DECIDED] || !ctx.route || ctx.response.getStatus() >= 400) return
    const message = `Route ${ctx.route.name ?? ctx.route.pattern} answered without an authorization decision`
    if (app.inProduction) {
      logger.error(message)
      return
    }
    ctx.response.status(500).send(message)
  }
}
