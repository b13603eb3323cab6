/*
 * The engine's entry point: evaluate a rule (or a compiled rule) over facts, optionally with a trace of
 * every condition. Pure: no database, no clock (dates come from the facts), no I/O.
 */
import { type CompiledRule, type RawTraceNode, compile, isCompiledRule } from './compile.js'
import { EligibilityEvaluationError, type EvaluationErrorCode } from './errors.js'
import { type PluginFactTypes, type ProgramParam, lookupFact, paramValues } from './fact_catalog.js'
import { truthy } from './operators.js'
import type { Facts, Locale } from './types.js'

/** A fact an evaluated condition read, with its catalogue label in the requested locale. */
export interface FactRef {
  path: string
  label: string
}

/** One evaluated condition: operator, operand values, result, pass/fail and the facts it read. */
export interface TraceNode extends Omit<RawTraceNode, 'facts'> {
  facts: FactRef[]
}

/** What `evaluate` needs besides the rule and the facts. */
export interface EvaluateOptions {
  /** Record every condition (slower; needed for explanations). */
  trace?: boolean
  /** The language of the trace's fact labels (default Czech). */
  locale?: Locale
  /**
   * The program version's parameters (declarations with values): used to validate a raw rule and, when
   * the facts have no `params`, as `facts.params`.
   */
  params?: Readonly<Record<string, ProgramParam>>
  /** The plugin facts a raw rule may read (`<plugin>.<name>`; see ValidateOptions). */
  pluginFacts?: PluginFactTypes
  /** Cache key when a raw rule is compiled (e.g. the program version id). */
  key?: string
  /**
   * `fail` (default): a number, money or date fact the rule reads without a default must be present,
   * otherwise the result is not eligible with `missing` set (JSON Logic would coerce null to 0 and could
   * let `income <= limit` pass). `allow`: plain JSON Logic semantics.
   */
  missingFacts?: 'fail' | 'allow'
}

/** The outcome of one evaluation. */
export interface EvaluationResult {
  /** JSON Logic truthiness of the value, and no missing facts, and no evaluation error. */
  eligible: boolean
  /** The rule's value (what json-logic-js `apply` returns). */
  value: unknown
  /** The compiled rule's key: stored with the decision so that it can be replayed. */
  ruleKey: string
  trace?: TraceNode[]
  /** Required facts that were absent (see `missingFacts`). */
  missing?: string[]
  /** Why the evaluation stopped (the result is then not eligible). */
  error?: { code: EvaluationErrorCode; values: Record<string, string | number> }
}

/** Returns the compiled form of a rule, compiling (and caching) a raw JSON Logic rule. */
export function toCompiled(
  rule: unknown,
  options: Pick<EvaluateOptions, 'params' | 'pluginFacts' | 'key'> = {}
): CompiledRule {
  return isCompiledRule(rule)
    ? rule
    : compile(rule, { params: options.params, pluginFacts: options.pluginFacts, key: options.key })
}

/** Facts with the program's parameter values under `params` (unless the facts already have them). */
export function withParams(facts: Facts, params?: Readonly<Record<string, ProgramParam>>): Facts {
  if (!params || Object.hasOwn(facts, 'params')) return facts
  return { ...facts, params: paramValues(params) }
}

/** Adds catalogue labels (in a locale) to a raw trace. */
export function labelTrace(
  compiled: CompiledRule,
  trace: RawTraceNode[],
  locale: Locale
): TraceNode[] {
  return trace.map((node) => ({
    ...node,
    facts: node.facts.map((path) => ({
      path,
      label: lookupFact(path, compiled.params, compiled.pluginFacts)?.label[locale] ?? path,
    })),
  }))
}

/**
 * Evaluates a rule over facts: `eligible` is the JSON Logic truthiness of the value (failing closed on
 * missing facts and evaluation errors), with a trace of every condition when asked.
 */
export function evaluate(
  rule: unknown,
  facts: Facts,
  options: EvaluateOptions = {}
): EvaluationResult {
  const compiled = toCompiled(rule, options)
  const data = withParams(facts, options.params)
  const missing = options.missingFacts === 'allow' ? [] : compiled.missingFacts(data)
  const result: EvaluationResult = { eligible: false, value: null, ruleKey: compiled.key }
  if (missing.length > 0) result.missing = missing
  try {
    if (options.trace) {
      const { value, trace } = compiled.runTraced(data)
      result.value = value
      result.trace = labelTrace(compiled, trace, options.locale ?? 'cs')
    } else {
      result.value = compiled.run(data)
    }
  } catch (error) {
    if (!(error instanceof EligibilityEvaluationError)) throw error
    result.error = { code: error.code, values: error.values }
    return result
  }
  result.eligible = missing.length === 0 && truthy(result.value)
  return result
}
