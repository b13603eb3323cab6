import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import { formatValidationError } from '#eligibility/messages'
import type { ConfigProblem } from '#programs/program_config'
import type { Locale } from '#models/tenant'

/**
 * A program configuration that passed the schema but breaks a rule (eligibility rule,
 * dates, documents). Answered like a validation error: 422 with field messages in the
 * person's language; nothing is saved.
 */
export default class ConfigInvalid extends Exception {
  static status = 422

  constructor(public problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.key}`).join('; '), {
      status: 422,
      code: 'E_VALIDATION_ERROR',
    })
  }

  /** The problems as { field, message } in a locale. */
  messages(locale: Locale, t: (key: string, values: Record<string, unknown>) => string) {
    return this.problems.map((p) => ({
      field: p.field,
      message: p.ruleError
        ? formatValidationError(p.ruleError, locale)
        : t(`errors.${p.key}`, p.values),
    }))
  }

  async handle(error: this, ctx: HttpContext) {
    const messages = error.messages(ctx.i18n.locale as Locale, (key, values) =>
      ctx.i18n.t(key, values)
    )
    const wantsJson =
      !ctx.request.header('x-inertia') && ctx.request.accepts(['html', 'json']) === 'json'
    if (wantsJson) return ctx.response.status(422).send({ errors: messages })
    ctx.session.flashValidationErrors({ code: 'E_VALIDATION_ERROR', messages } as any)
    return ctx.response.redirect().back()
  }
}
