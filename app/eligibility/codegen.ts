/*
 * The code-generating backend: a validated JSON Logic rule becomes one straight-line JavaScript function,
 * built once with `new Function` and cached with the compiled rule. It is used for untraced evaluation
 * (`compiled.run`, hence `evaluate` without a trace); the closure tree of compile.ts stays for traced
 * evaluation and is the fallback whenever generation fails.
 *
 * Why: the closure tree makes one megamorphic call per node, which V8 cannot inline; a generated function
 * is a single monomorphic piece of code with fixed property names, like a hand-written check
 * (docs/decisions/0011-eligibility-engine.md, "Generated code").
 *
 * Safety rules (each enforced here; see the ADR):
 * 1. Only rules that passed `validateRule` reach `generateRule` (compile.ts calls it after validation, and
 *    this module is not exported through the engine's API). Operators come from the allow-list; anything
 *    else makes generation throw, and the rule runs on the closure tree.
 * 2. No text of the rule is ever emitted raw. Every literal goes through `literal()`: JSON.stringify for
 *    strings (with U+2028/U+2029 escaped as well), finite numbers, booleans and null; fixed tokens for
 *    -0, NaN and ±Infinity (results of constant folding); arrays of literals element by element. Constant
 *    arrays are built once in the factory (deep-frozen), never per evaluation.
 * 3. `var` paths become sequences of property reads whose keys are JSON.stringify-quoted segments; a
 *    segment that some JSON value inherits (`toString`, `valueOf`, …: needsOwnGuard) is read only when
 *    `Object.hasOwn` says it is an own property, exactly like the closure tree's readPath. Validation has
 *    already refused `__proto__`, `constructor` and `prototype`.
 * 4. Everything else in the source is a fixed token chosen by this module: operator symbols from a switch,
 *    temporaries `t<n>`, constants `k<n>`, date memos `m<n>`/`p<n>`, loop functions `L<n>`, element
 *    variables `x<n>`, and calls of the frozen helper object `h`.
 * 5. Semantics that could drift if written twice are not re-implemented in generated text: truthiness of
 *    possible arrays, number coercion of `+`/`*`, the general `in`, substr, cat, merge, missing and
 *    missing_some, the date operators, the array cap and the step budget of all/some/none are calls of
 *    the helpers (the same functions the closure tree uses). Generated text only uses JavaScript's own
 *    operators where json-logic-js does the same (`==`, `<`, `-`, `/`, `%`, `&&` on non-arrays, …).
 *
 * The generated function takes `(data, h)` and returns the JSON Logic value. Its nesting is bounded (flat
 * chains for n-ary operators), and a source nested deeper than MAX_NESTING is refused (closure fallback).
 */
import { charge } from './budget.js'
import {
  EAGER_OPERATORS,
  checkArrayLength,
  dayNumber,
  helpers as generalHelpers,
  needsOwnGuard,
  operatorSpec,
  parseIsoDate,
  parseOrThrow,
  readPath,
  splitPath,
  toNumber,
  truthy,
  wholeMonths,
  wholeYears,
} from './operators.js'
import type { JsonLogicRule } from './types.js'

/** A generated rule function: facts (or an array element) and the helper object in, JSON Logic value out. */
export type GeneratedFunction = (data: unknown, h: GeneratedHelpers) => unknown

/** A rule turned into JavaScript: the factory's source text and the function it built. */
export interface GeneratedRule {
  /** The factory body given to `new Function('h', source)` (for review and tests). */
  readonly source: string
  readonly fn: GeneratedFunction
}

/** Thrown while generating when a node has no generated form (the rule then runs on closures). */
export class CodegenUnsupportedError extends Error {
  /** Creates the error for a node the generator does not handle. */
  constructor(what: string) {
    super(`No generated form for ${what}`)
    this.name = 'CodegenUnsupportedError'
  }
}

/** Deepest parenthesis nesting accepted in a generated source (V8's parser recursion stays far away). */
export const MAX_NESTING = 300

/* ------------------------------------------------------------------------------------------------ */
/* Helpers: the only functions generated code calls.                                                 */
/* ------------------------------------------------------------------------------------------------ */

function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

/** String conversion of `cat` (Array.prototype.join: null and undefined become ""). */
function catPart(value: unknown): string {
  if (typeof value === 'string') return value
  return value === null || value === undefined ? '' : String(value)
}

/** The missing keys of `missing` (paths split in advance); each key is read like `var`. */
function missingOf(data: unknown, paths: readonly (readonly string[])[], keys: readonly string[]) {
  const out: string[] = []
  for (const [i, path] of paths.entries()) {
    const value = readPath(data, path, null)
    if (value === null || value === '') out.push(keys[i])
  }
  return out
}

/**
 * The values generated code may call: the engine's own implementations (operators.ts, budget.ts), never
 * copies. Frozen, and passed to every generated function as its second argument.
 */
export const GENERATED_HELPERS = Object.freeze({
  /** JSON Logic truthiness ([] is false). */
  truthy,
  /** `+`/`*` coercion (parseFloat). */
  toNumber,
  /** Own-property test for segments that JSON values inherit. */
  own: (object: unknown, key: string): boolean => Object.hasOwn(object as object, key),
  /** The general `in` (needle, haystack), with the array cap. */
  inOperator: generalHelpers.inOperator,
  /** `in` over a constant non-empty string. */
  inString: (haystack: string, needle: unknown): boolean =>
    haystack.indexOf(needle as string) !== -1,
  /** One part of `in` over `merge(...)`: whether the needle is the part or in the array part (capped). */
  inPart: (needle: unknown, part: unknown): boolean => {
    if (Array.isArray(part)) {
      checkArrayLength(part)
      return part.indexOf(needle) !== -1
    }
    return part === needle
  },
  /**
   * A Set answering `indexOf(x) !== -1` for a constant array: Set uses SameValueZero, indexOf uses ===,
   * which differ only for NaN (never found by indexOf), so NaN is left out.
   */
  lookupSet: (items: readonly unknown[]): ReadonlySet<unknown> =>
    new Set(items.filter((item) => !Number.isNaN(item))),
  deepFreeze,
  catPart,
  substr: generalHelpers.substr,
  merge: (...values: unknown[]): unknown => EAGER_OPERATORS.merge(values, undefined),
  min: Math.min,
  max: Math.max,
  missing: missingOf,
  /** `missing_some` with the needed count already evaluated (json-logic-js evaluates it first). */
  missingSome: (
    need: any,
    data: unknown,
    paths: readonly (readonly string[])[],
    keys: readonly string[]
  ): unknown[] => {
    const absent = missingOf(data, paths, keys)
    return keys.length - absent.length >= need ? [] : absent
  },
  parseOrThrow,
  wholeYears,
  wholeMonths,
  dayNumber,
  /**
   * Entry of all/some/none: true when `items` is a non-empty array to iterate over, after the array cap
   * and charging `length × cost` to the evaluation's step budget.
   */
  loop: (items: unknown, cost: number): boolean => {
    if (!Array.isArray(items) || items.length === 0) return false
    checkArrayLength(items)
    charge(items.length * cost)
    return true
  },
})

/** The helper object's type. */
export type GeneratedHelpers = typeof GENERATED_HELPERS

/* ------------------------------------------------------------------------------------------------ */
/* Literals                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/** A string as a JSON (hence JavaScript) string literal; the line separators escaped too. */
export function jsonString(value: string): string {
  return JSON.stringify(value).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029')
}

/** A JSON literal (or a fixed token for -0, NaN, ±Infinity) as source text. */
export function literal(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return '(void 0)'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (Number.isNaN(value)) return '(0 / 0)'
      if (value === Number.POSITIVE_INFINITY) return '(1 / 0)'
      if (value === Number.NEGATIVE_INFINITY) return '(-1 / 0)'
      if (Object.is(value, -0)) return '(-0)'
      return value < 0 ? `(${JSON.stringify(value)})` : JSON.stringify(value)
    case 'string':
      return jsonString(value)
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  throw new CodegenUnsupportedError(`a literal of type ${typeof value}`)
}

/* ------------------------------------------------------------------------------------------------ */
/* Generator                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** A generated expression with what the compiler knows about it (mirrors compile.ts's Node). */
interface Gen {
  /** A JavaScript expression, safe to use as an operand (an atom or parenthesised). */
  code: string
  isConst: boolean
  value: unknown
  /** The value is never an array (its truthiness is JavaScript's). */
  noArray: boolean
  /** Node count, exactly as the closure tree counts it (the per-element cost of all/some/none). */
  size: number
}

/** A function being generated (the rule function or a loop function): its temporaries. */
interface FunctionState {
  temps: string[]
}

/** Where an expression is generated: which variable `var` reads, and in which function. */
interface Context {
  data: string
  level: number
  fn: FunctionState
}

const FOLDABLE_NEVER = new Set([
  'var',
  'missing',
  'missing_some',
  'and',
  'or',
  'if',
  'all',
  'some',
  'none',
])

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': '==',
  '===': '===',
  '!=': '!=',
  '!==': '!==',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}

const DATE_OPERATORS = new Set([
  'age_on',
  'months_between',
  'days_between',
  'date_before',
  'date_after',
])

const constant = (value: unknown, size: number): Gen => ({
  code: '',
  isConst: true,
  value,
  noArray: !Array.isArray(value),
  size,
})

const dynamic = (code: string, size: number, noArray: boolean): Gen => ({
  code,
  isConst: false,
  value: undefined,
  noArray,
  size,
})

function argsOf(node: Record<string, unknown>, operator: string): unknown[] {
  const raw = node[operator]
  return Array.isArray(raw) ? raw : [raw]
}

function isOperation(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

class Generator {
  /** Factory-level declarations: constants, Sets, date memos and loop functions (built once). */
  readonly #prologue: string[] = []
  #counter = 0
  /** Date memo variables by top-level/element path, so a date read at several places is parsed once. */
  readonly #memos = new Map<string, { m: string; p: string }>()

  #name(prefix: string): string {
    return `${prefix}${this.#counter++}`
  }

  #temp(ctx: Context): string {
    const name = this.#name('t')
    ctx.fn.temps.push(name)
    return name
  }

  /** A factory-level constant built once from a literal (arrays deep-frozen). */
  #hoist(code: string): string {
    const name = this.#name('k')
    this.#prologue.push(`const ${name} = ${code};`)
    return name
  }

  /** The source of a constant value: inline for primitives, a frozen factory constant for arrays. */
  #constCode(value: unknown): string {
    return Array.isArray(value) ? this.#hoist(`h.deepFreeze(${literal(value)})`) : literal(value)
  }

  /** The code of a node (constants materialised). */
  #code(node: Gen): string {
    return node.isConst ? this.#constCode(node.value) : node.code
  }

  /** The source of a JSON Logic truthiness test of a node. */
  #test(node: Gen): string {
    if (node.isConst) return truthy(node.value) ? 'true' : 'false'
    return node.noArray ? node.code : `h.truthy(${node.code})`
  }

  /**
   * Reads a path like json-logic-js `var`: undefined anywhere (or null before the end) gives the default;
   * inherited names are read only as own properties.
   */
  #read(ctx: Context, segments: readonly string[], fallback: string): string {
    const t = this.#temp(ctx)
    let condition = `(${t} = ${ctx.data}) != null`
    for (const [i, segment] of segments.entries()) {
      const key = jsonString(segment)
      const load = needsOwnGuard(segment)
        ? `(h.own(${t}, ${key}) ? ${t}[${key}] : undefined)`
        : `${t}[${key}]`
      condition += ` && (${t} = ${load}) ${i === segments.length - 1 ? '!== undefined' : '!= null'}`
    }
    return `(${condition} ? ${t} : ${fallback})`
  }

  /** Builds the factory source for a rule. */
  build(rule: unknown): string {
    const fn: FunctionState = { temps: [] }
    const root = this.#gen(rule, { data: 'data', level: 0, fn })
    const body = this.#code(root)
    const temps = fn.temps.length > 0 ? `  let ${fn.temps.join(', ')};\n` : ''
    return [
      '"use strict";',
      ...this.#prologue,
      `return function rule(data, h) {\n${temps}  return ${body};\n};`,
    ].join('\n')
  }

  #gen(rule: unknown, ctx: Context): Gen {
    if (rule === null || typeof rule !== 'object') {
      if (rule !== null && !['boolean', 'number', 'string'].includes(typeof rule))
        throw new CodegenUnsupportedError(typeof rule)
      return constant(rule, 1)
    }
    if (Array.isArray(rule)) {
      const nodes = rule.map((item) => this.#gen(item, ctx))
      const size = 1 + nodes.reduce((s, n) => s + n.size, 0)
      if (nodes.every((n) => n.isConst))
        return constant(deepFreeze(nodes.map((n) => n.value)), size)
      return dynamic(`[${nodes.map((n) => this.#code(n)).join(', ')}]`, size, false)
    }
    const keys = Object.keys(rule)
    if (keys.length !== 1) throw new CodegenUnsupportedError('an object that is not an operation')
    const record = rule as Record<string, unknown>
    const operator = keys[0]
    const spec = operatorSpec(operator)
    if (!spec) throw new CodegenUnsupportedError('an operator outside the allow-list')
    const args = argsOf(record, operator)

    if (operator === 'var') return this.#var(args, ctx)
    if (operator === 'missing' || operator === 'missing_some') {
      return this.#missing(operator, args, ctx)
    }
    if (spec.kind === 'scoped') return this.#scoped(operator, args, ctx)
    if ((operator === '!' || operator === '!!') && args.length === 1 && isOperation(args[0])) {
      const innerOp = Object.keys(args[0])[0]
      if (innerOp === 'missing' || innerOp === 'missing_some') {
        return this.#missingTest(innerOp, argsOf(args[0], innerOp), operator === '!', ctx)
      }
    }
    if (operator === 'in' && args.length === 2 && isOperation(args[1])) {
      const haystack = args[1]
      if (Object.keys(haystack)[0] === 'merge') {
        const parts = argsOf(haystack, 'merge').map((a) => this.#gen(a, ctx))
        if (!parts.every((p) => p.isConst))
          return this.#inMerge(this.#gen(args[0], ctx), parts, ctx)
      }
    }

    const nodes = args.map((a) => this.#gen(a, ctx))
    const size = 1 + nodes.reduce((s, n) => s + n.size, 0)
    // Constant folding, exactly as the closure tree does it (errors are left to run time).
    if (!FOLDABLE_NEVER.has(operator) && nodes.every((n) => n.isConst)) {
      try {
        return constant(
          deepFreeze(
            EAGER_OPERATORS[operator](
              nodes.map((n) => n.value),
              undefined
            )
          ),
          size
        )
      } catch {
        // Generated as usual: it throws at run time, like json-logic-js.
      }
    }

    switch (operator) {
      case 'and':
      case 'or':
        return this.#andOr(operator, nodes, size, ctx)
      case 'if':
        return this.#if(nodes, size, ctx)
      case '!':
        return dynamic(`(!${this.#test(nodes[0])})`, size, true)
      case '!!':
        return dynamic(
          nodes[0].noArray ? `(!!${this.#code(nodes[0])})` : `h.truthy(${nodes[0].code})`,
          size,
          true
        )
      case 'in':
        return this.#in(nodes, size, ctx)
      case '+':
        return dynamic(`(0 + ${nodes.map((n) => this.#number(n)).join(' + ')})`, size, true)
      case '*':
        return this.#multiply(nodes, size, ctx)
      case '-':
        return this.#minus(nodes, size, ctx)
      case '/':
        return dynamic(`(${this.#code(nodes[0])} / ${this.#code(nodes[1])})`, size, true)
      case '%':
        return dynamic(`(${this.#code(nodes[0])} % ${this.#code(nodes[1])})`, size, true)
      case 'min':
      case 'max':
        return dynamic(`h.${operator}(${nodes.map((n) => this.#code(n)).join(', ')})`, size, true)
      case 'cat':
        return dynamic(
          `(${nodes.map((n) => (n.isConst ? jsonString(catPart(n.value)) : `h.catPart(${n.code})`)).join(' + ')})`,
          size,
          true
        )
      case 'substr':
        return dynamic(
          `h.substr(${this.#code(nodes[0])}, ${this.#code(nodes[1])}, ${nodes.length === 3 ? this.#code(nodes[2]) : '(void 0)'})`,
          size,
          true
        )
      case 'merge':
        return dynamic(`h.merge(${nodes.map((n) => this.#code(n)).join(', ')})`, size, false)
    }
    if (operator in COMPARISONS) return this.#compare(operator, nodes, size, ctx)
    if (DATE_OPERATORS.has(operator)) return this.#date(operator, args, nodes, size, ctx)
    throw new CodegenUnsupportedError(`the operator at this place`)
  }

  #var(args: unknown[], ctx: Context): Gen {
    const fallback = args.length > 1 ? this.#gen(args[1], ctx) : undefined
    const size = 2 + (fallback?.size ?? 0)
    if (typeof args[0] !== 'string')
      throw new CodegenUnsupportedError('a var path that is not a string')
    const segments = splitPath(args[0])
    // The whole data (element) itself; like the closure tree, the default plays no part.
    if (segments.length === 0) return dynamic(ctx.data, size, false)
    if (fallback && !fallback.isConst) {
      // json-logic-js evaluates the default before reading the path.
      const f = this.#temp(ctx)
      return dynamic(`(${f} = ${fallback.code}, ${this.#read(ctx, segments, f)})`, size, false)
    }
    const nf = fallback ? this.#constCode(fallback.value) : 'null'
    return dynamic(this.#read(ctx, segments, nf), size, false)
  }

  /** The keys of `missing`/`missing_some`, and their paths split once (factory constants). */
  #missingKeys(operator: string, args: unknown[]): { keys: string[]; paths: string[][] } {
    const listed =
      operator === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : (args[1] as unknown[])
    if (!Array.isArray(listed) || !listed.every((k) => typeof k === 'string'))
      throw new CodegenUnsupportedError('missing keys that are not literal strings')
    return { keys: listed, paths: listed.map(splitPath) }
  }

  #missing(operator: string, args: unknown[], ctx: Context): Gen {
    const size = 1 + args.length
    const { keys, paths } = this.#missingKeys(operator, args)
    const k = this.#hoist(`h.deepFreeze(${literal(keys)})`)
    const p = this.#hoist(`h.deepFreeze(${literal(paths)})`)
    if (operator === 'missing') return dynamic(`h.missing(${ctx.data}, ${p}, ${k})`, size, false)
    const need = this.#gen(args[0], ctx)
    return dynamic(`h.missingSome(${this.#code(need)}, ${ctx.data}, ${p}, ${k})`, size, false)
  }

  /** Whether a key is absent (null or "" after reading it like `var` with a null default). */
  #absent(ctx: Context, segments: readonly string[]): string {
    const t = this.#temp(ctx)
    return `((${t} = ${this.#read(ctx, segments, 'null')}) === null || ${t} === "")`
  }

  /**
   * `!missing(...)`, `!!missing(...)` and the same for missing_some, answered without building the list:
   * `missing` is truthy when a key is missing; `missing_some` when too few keys are present and at least
   * one is missing.
   */
  #missingTest(operator: string, args: unknown[], negate: boolean, ctx: Context): Gen {
    const size = 2 + args.length
    const { paths } = this.#missingKeys(operator, args)
    const tests = paths.map((segments) => this.#absent(ctx, segments))
    if (operator === 'missing') {
      const any = tests.length === 0 ? 'false' : `(${tests.join(' || ')})`
      return dynamic(negate ? `(!${any})` : any, size, true)
    }
    const need = this.#gen(args[0], ctx)
    const n = this.#temp(ctx)
    const c = this.#temp(ctx)
    const count = tests.length === 0 ? '0' : tests.map((t) => `(${t} ? 1 : 0)`).join(' + ')
    const holds = `(${n} = ${this.#code(need)}, ${c} = ${count}, !(${paths.length} - ${c} >= ${n}) && ${c} !== 0)`
    return dynamic(negate ? `(!${holds})` : holds, size, true)
  }

  /** all/some/none: a factory-level loop function with the per-element logic inlined. */
  #scoped(operator: string, args: unknown[], ctx: Context): Gen {
    const source = this.#gen(args[0], ctx)
    const fn: FunctionState = { temps: [] }
    const level = ctx.level + 1
    const element = `x${level}`
    const perElement = this.#gen(args[1], { data: element, level, fn })
    const size = 1 + source.size + perElement.size
    const name = this.#name('L')
    const test = this.#test(perElement)
    const temps = fn.temps.length > 0 ? `  let ${fn.temps.join(', ')};\n` : ''
    // all: false on no elements, false on the first falsy one; some: true on the first truthy one;
    // none: false on the first truthy one.
    const [empty, hit, end] =
      operator === 'all'
        ? ['false', `if (!(${test})) return false;`, 'true']
        : operator === 'some'
          ? ['false', `if (${test}) return true;`, 'false']
          : ['true', `if (${test}) return false;`, 'true']
    this.#prologue.push(
      `function ${name}(items, h) {\n` +
        `  if (!h.loop(items, ${perElement.size})) return ${empty};\n${temps}` +
        `  for (let i = 0; i < items.length; i++) {\n    const ${element} = items[i];\n    ${hit}\n  }\n` +
        `  return ${end};\n}`
    )
    return dynamic(`${name}(${this.#code(source)}, h)`, size, true)
  }

  /** `in` over `merge(...)` without building the merged array; every part is evaluated and checked. */
  #inMerge(needle: Gen, parts: Gen[], ctx: Context): Gen {
    const size = 2 + needle.size + parts.reduce((s, p) => s + p.size, 0)
    const t = this.#temp(ctx)
    const found = this.#temp(ctx)
    const steps = [`${t} = ${this.#code(needle)}`]
    for (const [i, part] of parts.entries()) {
      const test = `h.inPart(${t}, ${this.#code(part)})`
      steps.push(i === 0 ? `${found} = ${test}` : `${found} = ${test} || ${found}`)
    }
    return dynamic(`(${steps.join(', ')}, ${found})`, size, true)
  }

  #andOr(operator: 'and' | 'or', nodes: Gen[], size: number, ctx: Context): Gen {
    const noArray = nodes.every((n) => n.noArray)
    const last = nodes.length - 1
    const join = operator === 'and' ? ' && ' : ' || '
    if (nodes.slice(0, last).every((n) => n.noArray)) {
      // Plain JavaScript && / || return the same operand as JSON Logic when no operand but the last
      // can be an array.
      return dynamic(`(${nodes.map((n) => this.#code(n)).join(join)})`, size, noArray)
    }
    const t = this.#temp(ctx)
    const tests = nodes.map((n, i) =>
      i === last
        ? `(${t} = ${this.#code(n)})`
        : n.noArray
          ? `(${t} = ${this.#code(n)})`
          : `h.truthy(${t} = ${this.#code(n)})`
    )
    return dynamic(`(${tests.join(join)}, ${t})`, size, noArray)
  }

  #if(nodes: Gen[], size: number, ctx: Context): Gen {
    const n = nodes.length
    const noArray = nodes.every((node, i) => node.noArray || (i % 2 === 0 && i !== n - 1))
    const hasElse = n % 2 === 1
    if (n <= 3) {
      const otherwise = hasElse ? this.#code(nodes[2]) : 'null'
      return dynamic(
        `(${this.#test(nodes[0])} ? ${this.#code(nodes[1])} : ${otherwise})`,
        size,
        noArray
      )
    }
    // A flat chain instead of nested conditionals (bounded nesting for long if/else-if chains).
    const t = this.#temp(ctx)
    const branches: string[] = []
    let i = 0
    for (; i < n - 1; i += 2) {
      branches.push(`(${this.#test(nodes[i])} && (${t} = ${this.#code(nodes[i + 1])}, true))`)
    }
    branches.push(`(${t} = ${hasElse ? this.#code(nodes[i]) : 'null'}, true)`)
    return dynamic(`(${branches.join(' || ')}, ${t})`, size, noArray)
  }

  #compare(operator: string, nodes: Gen[], size: number, ctx: Context): Gen {
    const op = COMPARISONS[operator]
    if (nodes.length === 2) {
      return dynamic(`(${this.#code(nodes[0])} ${op} ${this.#code(nodes[1])})`, size, true)
    }
    const [a, b, c] = nodes
    const y = this.#temp(ctx)
    if (a.isConst && c.isConst && c.value !== undefined) {
      // between: both bounds are constants.
      return dynamic(
        `(${y} = ${this.#code(b)}, ${this.#code(a)} ${op} ${y} && ${y} ${op} ${this.#code(c)})`,
        size,
        true
      )
    }
    const x = this.#temp(ctx)
    const z = this.#temp(ctx)
    return dynamic(
      `(${x} = ${this.#code(a)}, ${y} = ${this.#code(b)}, ${z} = ${this.#code(c)}, ${z} === undefined ? ${x} ${op} ${y} : ${x} ${op} ${y} && ${y} ${op} ${z})`,
      size,
      true
    )
  }

  #in(nodes: Gen[], size: number, ctx: Context): Gen {
    const [needle, haystack] = nodes
    const value = this.#code(needle)
    if (!haystack.isConst) {
      return dynamic(`h.inOperator(${value}, ${haystack.code})`, size, true)
    }
    const items = haystack.value
    if (Array.isArray(items)) {
      if (items.length === 0) return dynamic(`(${value}, false)`, size, true)
      if (items.length <= 8 && items.every((item) => item === null || typeof item !== 'object')) {
        // indexOf compares with ===: a short constant list is the same chain of ===.
        const t = this.#temp(ctx)
        const tests = items.map((item) => `${t} === ${literal(item)}`)
        return dynamic(`(${t} = ${value}, ${tests.join(' || ')})`, size, true)
      }
      const set = this.#hoist(`h.lookupSet(${this.#constCode(items)})`)
      return dynamic(`${set}.has(${value})`, size, true)
    }
    if (typeof items === 'string' && items !== '') {
      return dynamic(`h.inString(${jsonString(items)}, ${value})`, size, true)
    }
    // Anything else has no indexOf (or is ""): json-logic-js answers false after evaluating the needle.
    return dynamic(`(${value}, false)`, size, true)
  }

  /** The number coercion of `+`/`*` of a node (folded for constants). */
  #number(node: Gen): string {
    return node.isConst ? literal(toNumber(node.value)) : `h.toNumber(${node.code})`
  }

  #multiply(nodes: Gen[], size: number, ctx: Context): Gen {
    // One argument: json-logic-js's reduce without an initial value returns it unchanged.
    if (nodes.length === 1) return dynamic(this.#code(nodes[0]), size, nodes[0].noArray)
    if (nodes.length === 2) {
      return dynamic(`(${this.#number(nodes[0])} * ${this.#number(nodes[1])})`, size, true)
    }
    // The running product is coerced again at each step (parseFloat turns -0 into 0).
    const t = this.#temp(ctx)
    const steps = [`${t} = ${this.#number(nodes[0])} * ${this.#number(nodes[1])}`]
    for (const node of nodes.slice(2)) steps.push(`${t} = h.toNumber(${t}) * ${this.#number(node)}`)
    return dynamic(`(${steps.join(', ')}, ${t})`, size, true)
  }

  #minus(nodes: Gen[], size: number, ctx: Context): Gen {
    const [a, b] = nodes
    if (nodes.length === 1) return dynamic(`(-${this.#code(a)})`, size, true)
    if (b.isConst && b.value !== undefined) {
      return dynamic(`(${this.#code(a)} - ${this.#code(b)})`, size, true)
    }
    const x = this.#temp(ctx)
    const y = this.#temp(ctx)
    return dynamic(
      `(${x} = ${this.#code(a)}, ${y} = ${this.#code(b)}, ${y} === undefined ? -${x} : ${x} - ${y})`,
      size,
      true
    )
  }

  /**
   * The memo of a date argument: the last value parsed and its packed date. Shared by every read of the
   * same path in the same scope (a date used several times is parsed once; the period and reference
   * dates, which repeat across applicants, are parsed once for many evaluations). Correct whatever the
   * sharing, since the memo is only used when the value is the very one parsed.
   */
  #memo(arg: unknown, ctx: Context): { m: string; p: string } {
    let key: string | undefined
    if (isOperation(arg) && Object.keys(arg)[0] === 'var') {
      const path = argsOf(arg, 'var')
      if (path.length === 1 && typeof path[0] === 'string') key = `${ctx.level}:${path[0]}`
    }
    const existing = key === undefined ? undefined : this.#memos.get(key)
    if (existing) return existing
    const memo = { m: this.#name('m'), p: this.#name('p') }
    this.#prologue.push(`let ${memo.m}, ${memo.p} = 0;`)
    if (key !== undefined) this.#memos.set(key, memo)
    return memo
  }

  /**
   * Date operators: both arguments evaluated, null when either is null/missing, otherwise both parsed
   * (first, then second; an invalid date throws) and handed to the engine's date arithmetic. A constant
   * valid date is parsed here, once.
   */
  #date(operator: string, args: unknown[], nodes: Gen[], size: number, ctx: Context): Gen {
    const assigns: string[] = []
    const nullTests: string[] = []
    const parses: string[] = []
    let isNull = false
    const packed = nodes.map((node, i): { code: string; date?: number } => {
      if (node.isConst) {
        if (node.value === null || node.value === undefined) {
          isNull = true
          return { code: 'null' }
        }
        const date = parseIsoDate(node.value)
        if (date !== -1) return { code: literal(date), date }
      }
      const v = this.#temp(ctx)
      assigns.push(`${v} = ${this.#code(node)}`)
      nullTests.push(`${v} == null`)
      const { m, p } = this.#memo(args[i], ctx)
      const q = this.#temp(ctx)
      parses.push(
        `${q} = (${v} === ${m} ? ${p} : (${p} = h.parseOrThrow(${v}), ${m} = ${v}, ${p}))`
      )
      return { code: q }
    })
    const evaluated = assigns.length > 0 ? `${assigns.join(', ')}, ` : ''
    if (isNull) return dynamic(`(${evaluated}null)`, size, true)
    const [a, b] = packed
    const day = (x: { code: string; date?: number }) =>
      x.date === undefined ? `h.dayNumber(${x.code})` : literal(dayNumber(x.date))
    let result: string
    switch (operator) {
      case 'age_on':
        result = `h.wholeYears(${a.code}, ${b.code})`
        break
      case 'months_between':
        result = `h.wholeMonths(${a.code}, ${b.code})`
        break
      case 'days_between':
        result = `${day(b)} - ${day(a)}`
        break
      case 'date_before':
        result = `${a.code} < ${b.code}`
        break
      default:
        result = `${a.code} > ${b.code}`
    }
    const parsed = `(${[...parses, result].join(', ')})`
    const guarded = nullTests.length > 0 ? `(${nullTests.join(' || ')} ? null : ${parsed})` : parsed
    return dynamic(`(${evaluated}${guarded})`, size, true)
  }
}

/**
 * Generates the source of a validated rule and builds its function once. Throws CodegenUnsupportedError
 * (or the engine's SyntaxError/RangeError/EvalError, e.g. where `new Function` is forbidden) when the rule
 * has no generated form; the caller then keeps the closure tree.
 */
export function generateRule(rule: JsonLogicRule): GeneratedRule {
  const source = new Generator().build(rule)
  if (nestingOf(source) > MAX_NESTING) throw new CodegenUnsupportedError('a rule nested this deep')
  // The single place where the engine builds code: from the validated rule, by the rules above.

  const factory = new Function('h', source) as (h: GeneratedHelpers) => GeneratedFunction
  return { source, fn: factory(GENERATED_HELPERS) }
}

/** The deepest parenthesis/bracket/brace nesting of a source, outside its string literals. */
export function nestingOf(source: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth)
    else if (c === ')' || c === ']' || c === '}') depth--
  }
  return max
}
