import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import type { CensusFileProblem } from '#verification/census_file'

/** How many line errors are listed; the rest are counted. */
export const LISTED_LINE_ERRORS = 20

interface Message {
  field: string
  rule: string
  message: string
  line?: number
}

/**
 * A census file that cannot be used (not CSV, too large, wrong columns, bad lines). Answered
 * like a validation error, 422: the field `file` carries the summary and `lines.<n>` the first
 * line errors, each translated; nothing is stored.
 */
export default class CensusFileInvalid extends Exception {
  static status = 422

  constructor(public problem: CensusFileProblem) {
    super(`census file refused: ${problem.code}`, { status: 422, code: 'E_VALIDATION_ERROR' })
  }

  messages(t: (key: string, values?: Record<string, unknown>) => string): Message[] {
    const problem = this.problem
    const values: Record<string, unknown> = {}
    if (problem.code === 'too_large') values.max = Math.round(problem.maxBytes / (1024 * 1024))
    if (problem.code === 'too_many_rows') values.max = problem.maxRows
    if (problem.code === 'invalid_lines') values.count = problem.errors.length
    const messages: Message[] = [
      {
        field: 'file',
        rule: `census.${problem.code}`,
        message: t(`errors.census.${problem.code}`, values),
      },
    ]
    if (problem.code !== 'invalid_lines') return messages
    problem.errors.slice(0, LISTED_LINE_ERRORS).forEach((error, index) => {
      messages.push({
        field: `lines.${index}`,
        rule: `census.line.${error.code}`,
        line: error.line,
        message: t(`errors.census.line.${error.code}`, {
          line: error.line,
          column: error.column ? t(`errors.census.columns.${error.column}`) : '',
        }),
      })
    })
    const more = problem.errors.length - LISTED_LINE_ERRORS
    if (more > 0) {
      messages.push({
        field: `lines.${LISTED_LINE_ERRORS}`,
        rule: 'census.more_errors',
        message: t('errors.census.more_errors', { count: more }),
      })
    }
    return messages
  }

  async handle(error: this, ctx: HttpContext) {
    const messages = error.messages((key, values) => ctx.i18n.t(key, values))
    const wantsJson =
      !ctx.request.header('x-inertia') && ctx.request.accepts(['html', 'json']) === 'json'
    if (wantsJson) return ctx.response.status(422).send({ errors: messages })
    ctx.session.flashValidationErrors({ code: 'E_VALIDATION_ERROR', messages } as any, false)
    return ctx.response.redirect().back()
  }
}
