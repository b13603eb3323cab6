import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { markAuthorizationDecided } from '#middleware/authorization_audit_middleware'

/** Deepest nesting accepted in a request body (a program's rule needs far less). */
export const MAX_BODY_DEPTH = 64

/** Nesting depth of a parsed value, measured without recursion. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (current === null || typeof current !== 'object') continue
    if (depth > deepest) deepest = depth
    if (deepest > limit) return deepest
    for (const child of Object.values(current as Record<string, unknown>))
      stack.push([child, depth + 1])
  }
  return deepest
}

/**
 * Refuses request bodies nested deeper than MAX_BODY_DEPTH with 422 before any code walks
 * them recursively (validation, flashing old input into the session, logging).
 */
export default class BodyDepthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (depthOf(ctx.request.all(), MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      markAuthorizationDecided(ctx)
      const message = ctx.i18n.t('errors.E_TOO_DEEP', { max: MAX_BODY_DEPTH })
      return ctx.response.status(422).send({ errors: [{ field: 'body', rule: 'depth', message }] })
    }
    return next()
  }
}
