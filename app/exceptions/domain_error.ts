import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * A business rule said no. Carries a translation key (namespace `errors`) and the form field
 * it concerns; answered as a field error on the form (browser) or 422 JSON (API), with
 * nothing changed (the request's transaction rolls back).
 */
export default class DomainError extends Exception {
  static status = 422

  declare key: string
  declare field: string
  declare values: Record<string, unknown>

  constructor(key: string, field: string = 'form', values: Record<string, unknown> = {}) {
    // An expected refusal, answered to the person, never a bug to trace: made without a stack
    // trace, which is most of what creating an error costs (offers make several per request to
    // say why a program is closed to someone).
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      super(key, { status: 422, code: 'E_DOMAIN' })
    } finally {
      Error.stackTraceLimit = limit
    }
    this.key = key
    this.field = field
    this.values = values
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
