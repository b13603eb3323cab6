import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { wantsJson } from '#controllers/respond'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Global exception handler. Browsers get the app's own 403, 404, 500 and 503 pages
 * (Inertia); API clients get JSON with a translated message. In development a crash shows
 * the debug page instead of the 500 page.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (_, ctx) => this.page(ctx, 'errors/forbidden', 403),
    '404': (_, ctx) => this.page(ctx, 'errors/not_found', 404),
    '503': (_, ctx) => this.page(ctx, 'errors/unavailable', 503),
    '500..502': (_, ctx) => this.page(ctx, 'errors/server_error', 500),
  }

  protected async page(ctx: HttpContext, component: string, status: number) {
    ctx.response.status(status)
    return (ctx.inertia as any).render(component, {})
  }

  async handle(error: any, ctx: HttpContext) {
    const status = error?.status ?? 500
    if (wantsJson(ctx) && status >= 400 && status !== 422) {
      // A body the parser could not read (malformed, or nested beyond what it can scan).
      const unreadable = status === 400 && (!error?.code || error.code === 'E_SERVER_ERROR')
      const code = unreadable
        ? 'E_BAD_REQUEST'
        : (error?.code ?? (status === 404 ? 'E_NOT_FOUND' : 'E_SERVER_ERROR'))
      // Errors raised before the locale middleware ran (the body parser's) have no ctx.i18n.
      const i18n =
        ctx.i18n ??
        i18nManager.locale(i18nManager.getSupportedLocaleFor(ctx.request.languages()) ?? 'cs')
      const fallback = status >= 500 || unreadable ? code : (error?.message ?? code)
      const message = i18n.t(`errors.${code}`, {}, fallback)
      return ctx.response.status(status).send({ errors: [{ code, message }] })
    }
    // Bouncer's error answers itself in plain text; browsers get the app's 403 page.
    if (error?.code === 'E_AUTHORIZATION_FAILURE' && ctx.inertia) {
      return ctx.response.send(await this.page(ctx, 'errors/forbidden', 403))
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
