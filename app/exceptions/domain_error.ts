import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * A business rule said no. Carries a translation key (namespace `errors`) and the form field
 * it concerns; answered as a field error on the form (browser) or 422 JSON (API), with
 * nothing changed (the request's transaction rolls back).
 */
export default class DomainError extends Exception {
  static status = 422

  constructor(
    public key: string,
    public field: string = 'form',
    public values: Record<string, unknown> = {}
  ) {
    super(key, { status: 422, code: 'E_DOMAIN' })
  }

  async handle(error: this, ctx: HttpContext) {
    const message = ctx.i18n.t(`errors.${error.key}`, error.values)
    const wantsJson =
      !ctx.request.header('x-inertia') && ctx.request.accepts(['html', 'json']) === 'json'
    if (wantsJson) {
      return ctx.response
        .status(422)
        .send({ errors: [{ field: error.field, rule: error.key, message }] })
    }
    ctx.session.flashValidationErrors({
      code: 'E_DOMAIN',
      messages: [{ field: error.field, message }],
    } as any)
    return ctx.response.redirect().back()
  }
}
