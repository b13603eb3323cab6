/*
 * Validation of a rule before it is saved or run.
 *
 * The walk is iterative (an explicit stack, no recursion), counts every node and stops at the first
 * limit it hits, so a 10 000-deep or a million-element rule is refused after a few dozen steps instead of
 * overflowing the stack or scanning everything. Every problem carries a JSON pointer into the rule, a code
 * and the values its message needs (texts in messages.ts).
 */
import {
  type FactDefinition,
  type ParamTypes,
  type PluginFactTypes,
  FORBIDDEN_SEGMENTS,
  lookupFact,
  lookupItemField,
  pluginOfPath,
} from './fact_catalog.js'
import { isIsoDate, operatorSpec } from './operators.js'

/** Size limits a rule must respect; they bound the work of one evaluation. */
export interface ValidationLimits {
  /** Deepest nesting of arrays and operations. */
  maxDepth: number
  /** Most values in the whole rule (operations, arrays, constants, paths). */
  maxNodes: number
  /** Longest array literal (and longest argument list). */
  maxArrayLength: number
  /** Longest string constant or path. */
  maxStringLength: number
  /** Deepest nesting of `all`/`some`/`none` (each level multiplies the work). */
  maxScopeDepth: number
  /** Most errors reported for one rule. */
  maxErrors: number
}

/** The limits used when the caller sets none. */
export const DEFAULT_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 2000,
  maxArrayLength: 500,
  maxStringLength: 1000,
  maxScopeDepth: 2,
  maxErrors: 50,
})

/** Machine-readable validation error codes (each has a message in every locale in messages.ts). */
export type ValidationErrorCode =
  | 'invalid_value'
  | 'non_finite_number'
  | 'string_too_long'
  | 'array_too_long'
  | 'too_deep'
  | 'too_many_nodes'
  | 'invalid_object'
  | 'unknown_operator'
  | 'arity'
  | 'var_path_not_literal'
  | 'forbidden_path'
  | 'unknown_fact'
  | 'unknown_param'
  | 'unknown_plugin_fact'
  | 'unknown_item_field'
  | 'missing_keys_not_literal'
  | 'scope_too_deep'
  | 'invalid_date'
  | 'type_mismatch'

/** One problem in a rule: where (JSON pointer), what (code) and the message key with its values. */
export interface ValidationError {
  path: string
  code: ValidationErrorCode
  message: { key: string; values: Record<string, string | number> }
}

/** The outcome of validating a rule. */
export type ValidationResult = { valid: true } | { valid: false; errors: ValidationError[] }

/** What validation needs to know besides the rule. */
export interface ValidateOptions {
  /** The program version's parameter declarations (`params.<name>` must be declared here). */
  params?: ParamTypes
  /**
   * The plugin facts a rule may read (`<plugin>.<name>`): for a program's rule, its own plugin's
   * declarations only.
   */
  pluginFacts?: PluginFactTypes
  limits?: Partial<ValidationLimits>
}

/** What `var` means where a node sits: facts at the top, an array element inside all/some/none. */
interface Scope {
  depth: number
  /** The list fact iterated over, when known (its element shape restricts the paths). */
  list?: FactDefinition
}

interface Frame {
  value: unknown
  pointer: string
  depth: number
  scope: Scope
}

const TOP: Scope = { depth: 0 }

/** Escapes one JSON pointer reference token (RFC 6901). */
export function escapePointer(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1')
}

const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text)

class Collector {
  readonly errors: ValidationError[] = []
  constructor(private readonly maxErrors: number) {}

  /** Adds an error; returns true when the walk must stop (too many errors). */
  add(
    path: string,
    code: ValidationErrorCode,
    values: Record<string, string | number> = {}
  ): boolean {
    this.errors.push({ path, code, message: { key: `eligibility.validation.${code}`, values } })
    return this.errors.length >= this.maxErrors
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * Validates a rule: allowed operators with the right number of arguments, `var` paths that are catalogue
 * facts (or declared params), no forbidden path segments, JSON values only, and the size limits.
 */
export function validateRule(rule: unknown, options: ValidateOptions = {}): ValidationResult {
  const limits: ValidationLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const params = options.params
  const pluginFacts = options.pluginFacts
  const out = new Collector(limits.maxErrors)
  const stack: Frame[] = [{ value: rule, pointer: '', depth: 1, scope: TOP }]
  let nodes = 0

  const done = (): ValidationResult =>
    out.errors.length === 0 ? { valid: true } : { valid: false, errors: out.errors }

  /** Checks a `var`/`missing` path; returns true when the walk must stop. */
  const checkPath = (path: string, pointer: string, scope: Scope): boolean => {
    if (path.length > limits.maxStringLength) {
      return out.add(pointer, 'string_too_long', {
        length: path.length,
        max: limits.maxStringLength,
      })
    }
    for (const segment of path.split('.')) {
      if (FORBIDDEN_SEGMENTS.has(segment))
        return out.add(pointer, 'forbidden_path', { path: shorten(path), segment })
    }
    if (scope.depth === 0) {
      if (lookupFact(path, params, pluginFacts)) return false
      if (path.startsWith('params.')) {
        return out.add(pointer, 'unknown_param', { name: shorten(path.slice('params.'.length)) })
      }
      const plugin = pluginOfPath(path)
      if (plugin !== undefined && pluginFacts && Object.hasOwn(pluginFacts, plugin)) {
        return out.add(pointer, 'unknown_plugin_fact', { path: shorten(path), plugin })
      }
      return out.add(pointer, 'unknown_fact', { path: shorten(path) })
    }
    // Inside all/some/none `var` reads the element; "" is the element itself.
    if (path === '' || !scope.list) return false
    if (scope.list.item?.type === 'object' && lookupItemField(scope.list, path)) return false
    return out.add(pointer, 'unknown_item_field', { path: shorten(path), list: scope.list.path })
  }

  /** The type of an argument when it is statically known (a constant or a top-level fact). */
  const staticType = (value: unknown, scope: Scope): string | undefined => {
    if (value === null || typeof value !== 'object')
      return typeof value === 'string' ? 'string' : describeType(value)
    if (Array.isArray(value)) return 'array'
    const keys = Object.keys(value)
    if (keys.length !== 1 || keys[0] !== 'var' || scope.depth !== 0) return undefined
    const raw = (value as Record<string, unknown>).var
    const path = Array.isArray(raw) ? raw[0] : raw
    return typeof path === 'string' ? lookupFact(path, params, pluginFacts)?.type : undefined
  }

  while (stack.length > 0) {
    const { value, pointer, depth, scope } = stack.pop()!
    nodes += 1
    if (nodes > limits.maxNodes) {
      out.add(pointer, 'too_many_nodes', { max: limits.maxNodes })
      return done()
    }
    if (depth > limits.maxDepth) {
      out.add(pointer, 'too_deep', { max: limits.maxDepth })
      return done()
    }

    if (value === null || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value) && out.add(pointer, 'non_finite_number')) return done()
      continue
    }
    if (typeof value === 'string') {
      if (
        value.length > limits.maxStringLength &&
        out.add(pointer, 'string_too_long', { length: value.length, max: limits.maxStringLength })
      ) {
        return done()
      }
      continue
    }
    if (typeof value !== 'object') {
      if (out.add(pointer, 'invalid_value', { type: typeof value })) return done()
      continue
    }

    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        out.add(pointer, 'array_too_long', { length: value.length, max: limits.maxArrayLength })
        return done()
      }
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], pointer: `${pointer}/${i}`, depth: depth + 1, scope })
      }
      continue
    }

    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      if (out.add(pointer, 'invalid_value', { type: proto?.constructor?.name ?? 'object' }))
        return done()
      continue
    }
    const keys = Object.keys(value)
    if (keys.length !== 1) {
      if (out.add(pointer, 'invalid_object', { keys: keys.length })) return done()
      continue
    }
    const operator = keys[0]
    const opPointer = `${pointer}/${escapePointer(operator)}`
    const spec = operatorSpec(operator)
    if (!spec) {
      if (out.add(opPointer, 'unknown_operator', { operator: shorten(operator) })) return done()
      continue
    }
    const raw = (value as Record<string, unknown>)[operator]
    const wrapped = !Array.isArray(raw)
    const args: unknown[] = wrapped ? [raw] : (raw as unknown[])
    const argPointer = (i: number) => (wrapped ? opPointer : `${opPointer}/${i}`)
    if (args.length > limits.maxArrayLength) {
      out.add(opPointer, 'array_too_long', { length: args.length, max: limits.maxArrayLength })
      return done()
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const stop = out.add(opPointer, 'arity', {
        operator,
        min: spec.minArgs,
        max: Number.isFinite(spec.maxArgs) ? spec.maxArgs : '∞',
        count: args.length,
      })
      if (stop) return done()
      continue
    }
    const push = (i: number, childScope: Scope = scope) =>
      stack.push({ value: args[i], pointer: argPointer(i), depth: depth + 1, scope: childScope })

    switch (operator) {
      case 'var': {
        nodes += 1
        const path = args[0]
        if (typeof path !== 'string') {
          if (out.add(argPointer(0), 'var_path_not_literal')) return done()
        } else if (checkPath(path, argPointer(0), scope)) {
          return done()
        }
        if (args.length === 2) push(1)
        break
      }
      case 'missing':
      case 'missing_some': {
        const listIndex = operator === 'missing' ? 0 : 1
        const listValue = args[listIndex]
        let listed: unknown[]
        let keyPointer: (i: number) => string
        if (operator === 'missing' && !(args.length === 1 && Array.isArray(listValue))) {
          listed = args
          keyPointer = argPointer
        } else if (Array.isArray(listValue)) {
          listed = listValue
          keyPointer = (i) => `${argPointer(listIndex)}/${i}`
        } else {
          if (out.add(argPointer(listIndex), 'missing_keys_not_literal')) return done()
          break
        }
        if (listed.length > limits.maxArrayLength) {
          out.add(argPointer(listIndex), 'array_too_long', {
            length: listed.length,
            max: limits.maxArrayLength,
          })
          return done()
        }
        nodes += listed.length
        for (const [i, key] of listed.entries()) {
          if (typeof key !== 'string') {
            if (out.add(keyPointer(i), 'missing_keys_not_literal')) return done()
          } else if (checkPath(key, keyPointer(i), scope)) {
            return done()
          }
        }
        if (operator === 'missing_some') push(0)
        break
      }
      case 'all':
      case 'some':
      case 'none': {
        if (scope.depth + 1 > limits.maxScopeDepth) {
          if (out.add(opPointer, 'scope_too_deep', { max: limits.maxScopeDepth })) return done()
          break
        }
        let list: FactDefinition | undefined
        const source = args[0]
        if (
          scope.depth === 0 &&
          source !== null &&
          typeof source === 'object' &&
          !Array.isArray(source)
        ) {
          const sourceKeys = Object.keys(source)
          const rawPath =
            sourceKeys.length === 1 && sourceKeys[0] === 'var' ? (source as any).var : undefined
          const path = Array.isArray(rawPath) ? rawPath[0] : rawPath
          const fact = typeof path === 'string' ? lookupFact(path, params, pluginFacts) : undefined
          if (fact?.type === 'list') list = fact
        }
        push(1, { depth: scope.depth + 1, list })
        push(0)
        break
      }
      case 'age_on':
      case 'months_between':
      case 'days_between':
      case 'date_before':
      case 'date_after': {
        for (let i = args.length - 1; i >= 0; i--) {
          const arg = args[i]
          const type = staticType(arg, scope)
          if (typeof arg === 'string') {
            if (!isIsoDate(arg) && out.add(argPointer(i), 'invalid_date', { value: shorten(arg) }))
              return done()
          } else if (type !== undefined && type !== 'date' && type !== 'null') {
            if (
              out.add(argPointer(i), 'type_mismatch', { operator, expected: 'date', actual: type })
            )
              return done()
          }
          push(i)
        }
        break
      }
      default:
        for (let i = args.length - 1; i >= 0; i--) push(i)
    }
  }
  return done()
}

/** Whether a rule is valid (shorthand for `validateRule(rule, options).valid`). */
export function isValidRule(rule: unknown, options: ValidateOptions = {}): boolean {
  return validateRule(rule, options).valid
}
