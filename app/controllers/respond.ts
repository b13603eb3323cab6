import type { HttpContext } from '@adonisjs/core/http'

/** True when the client asked for JSON (an API client), not for an Inertia page. */
export function wantsJson(ctx: HttpContext) {
  return !ctx.request.header('x-inertia') && ctx.request.accepts(['html', 'json']) === 'json'
}

/**
 * Renders an Inertia page, or the same props as JSON for API clients: every page is also
 * an API endpoint with the same authorization.
 */
export function render(ctx: HttpContext, page: string, props: Record<string, unknown> = {}) {
  if (wantsJson(ctx)) return ctx.response.send(props)
  return (ctx.inertia as any).render(page, props)
}

/** Redirects a browser with a flash message; answers API clients with JSON. */
export function done(
  ctx: HttpContext,
  to: string,
  messageKey: string,
  body: Record<string, unknown> = {}
) {
  if (wantsJson(ctx)) return ctx.response.send({ ok: true, ...body })
  ctx.session.flash('success', ctx.i18n.t(`ui.${messageKey}`))
  return ctx.response.redirect(to)
}
