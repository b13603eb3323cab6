/*
 * Errors of the eligibility engine. Both carry machine-readable codes; texts live in messages.ts.
 */
import type { ValidationError } from './validate.js'

/** Thrown by `compile` when a rule does not pass validation; `errors` lists every problem found. */
export class RuleValidationError extends Error {
  readonly errors: readonly ValidationError[]

  /** Wraps the validation errors of a refused rule. */
  constructor(errors: readonly ValidationError[]) {
    super(`Invalid eligibility rule: ${errors.map((e) => `${e.code} at "${e.path}"`).join(', ')}`)
    this.name = 'RuleValidationError'
    this.errors = errors
  }
}

/** Why an evaluation stopped: the engine fails closed (not eligible) on each of these. */
export type EvaluationErrorCode = 'invalid_date' | 'array_too_long' | 'iteration_budget'

/** Thrown while evaluating a compiled rule when the facts are unusable or the work bound is hit. */
export class EligibilityEvaluationError extends Error {
  readonly code: EvaluationErrorCode
  readonly values: Record<string, string | number>

  /** Creates an evaluation error with a code and the values its message needs. */
  constructor(code: EvaluationErrorCode, values: Record<string, string | number> = {}) {
    super(`Eligibility evaluation failed: ${code} ${JSON.stringify(values)}`)
    this.name = 'EligibilityEvaluationError'
    this.code = code
    this.values = values
  }
}
