/*
 * The per-evaluation work budget shared by both evaluation backends (the closure tree of compile.ts and
 * the generated functions of codegen.ts): every all/some/none charges `array length × size of its
 * per-element logic` before iterating. Evaluations are synchronous, so one counter suffices; `run` and
 * `runTraced` reset it at the start of each evaluation.
 */
import { EligibilityEvaluationError } from './errors.js'

/** Most element-steps (array length × per-element logic size) one evaluation may spend in all/some/none. */
export const MAX_EVALUATION_STEPS = 1_000_000

/** Steps left in the current evaluation. */
let budget = MAX_EVALUATION_STEPS

/** Starts a new evaluation with the full budget. */
export function resetBudget(): void {
  budget = MAX_EVALUATION_STEPS
}

/** Spends `steps` of the budget; stops the evaluation (fail closed) when it is exhausted. */
export function charge(steps: number): void {
  budget -= steps
  if (budget < 0) {
    throw new EligibilityEvaluationError('iteration_budget', { max: MAX_EVALUATION_STEPS })
  }
}
