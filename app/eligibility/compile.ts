/*
 * The compiler: a validated JSON Logic rule becomes a tree of JavaScript closures, once per program
 * version (cached in an LRU map). No eval, no `new Function`: each node is a closure over its children's
 * closures and its precomputed constants (var paths split into segments, constant arrays frozen,
 * constant operands hoisted), specialised for the shapes rules actually use.
 *
 * Values are exactly those of json-logic-js 2.0.5 `apply` for the standard operators (the property test in
 * tests/unit/eligibility compares both on random rules and facts), with two deliberate differences that
 * only a rule outside our validation could observe: inherited names (`toString`, `map`, …) are read as own
 * properties only, and arrays from the facts longer than MAX_FACT_ARRAY_LENGTH stop the evaluation.
 *
 * Work is bounded: validation bounds the rule's size, the only loops are all/some/none over arrays, and
 * every iteration is charged against a per-evaluation budget (array length × size of the per-element logic).
 */
import { createHash } from 'node:crypto'
import { EligibilityEvaluationError, RuleValidationError } from './errors.js'
import { type ParamTypes, lookupFact } from './fact_catalog.js'
import {
  EAGER_OPERATORS,
  ageOn,
  checkArrayLength,
  dateAfter,
  dateBefore,
  daysBetween,
  helpers,
  monthsBetween,
  needsOwnGuard,
  operatorSpec,
  readPath,
  splitPath,
  toNumber,
  truthy,
} from './operators.js'
import type { JsonLogicRule } from './types.js'
import { type ValidationLimits, escapePointer, validateRule } from './validate.js'

type Fn = (data: any) => unknown

/** Most element-steps (array length × per-element logic size) one evaluation may spend in all/some/none. */
export const MAX_EVALUATION_STEPS = 1_000_000

/** A condition as recorded by a traced evaluation (fact labels are added by the engine). */
export interface RawTraceNode {
  /** JSON pointer of the condition in the rule. */
  pointer: string
  /** JSON pointer of the nearest enclosing condition, null at the top. */
  parent: string | null
  operator: string
  /** The evaluated operands (for and/or/! the children's values). */
  operands: unknown[]
  result: unknown
  /** JSON Logic truthiness of the result. */
  passed: boolean
  /** The fact paths the condition's operands read. */
  facts: string[]
  /** Evaluated only for the trace: the rule's value did not depend on it (and/or short-circuit). */
  shortCircuited?: true
  /** The evaluation error code when this condition could not be evaluated. */
  error?: string
}

/** A rule compiled into closures, ready to run over facts many times. */
export interface CompiledRule {
  /** The cache key: the program version id given by the caller, or a hash of the rule and params. */
  readonly key: string
  /** The validated rule (JSON Logic) it was compiled from. */
  readonly rule: JsonLogicRule
  /** The parameter declarations it was validated against. */
  readonly params: ParamTypes | undefined
  /** Every top-level fact path the rule reads. */
  readonly facts: readonly string[]
  /** Number, money and date facts read without a default: their absence would be coerced, not decided. */
  readonly requiredFacts: readonly string[]
  /** Evaluates with json-logic-js semantics; throws EligibilityEvaluationError on unusable facts. */
  run(facts: unknown): unknown
  /** Evaluates and records every condition (slower; used for explanations). */
  runTraced(facts: unknown): { value: unknown; trace: RawTraceNode[] }
  /** Returns the facts from `requiredFacts` that are null or missing in `facts`. */
  missingFacts(facts: unknown): string[]
}

/** Options of `compile`. */
export interface CompileOptions {
  /** Cache key (e.g. the program version id); defaults to a SHA-256 of the rule and the params. */
  key?: string
  params?: ParamTypes
  limits?: Partial<ValidationLimits>
  /** Use and fill the shared LRU cache (default true). */
  cache?: boolean
}

/* ------------------------------------------------------------------------------------------------ */
/* LRU cache                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** A small least-recently-used map: reading an entry makes it the newest; the oldest is evicted. */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>()

  /** Creates a cache holding at most `capacity` entries. */
  constructor(readonly capacity: number) {}

  /** Returns an entry and marks it as most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  /** Stores an entry, evicting the least recently used one when full. */
  set(key: K, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K)
  }

  /** Whether an entry is present (does not change its recency). */
  has(key: K): boolean {
    return this.#map.has(key)
  }

  /** Removes every entry. */
  clear(): void {
    this.#map.clear()
  }

  /** The number of entries. */
  get size(): number {
    return this.#map.size
  }
}

/** The compiled rules of recently used program versions. */
export const compiledRules = new LruCache<string, CompiledRule>(256)

/** A stable key for a rule and its parameter declarations (SHA-256 of their JSON). */
export function ruleKey(rule: unknown, params?: ParamTypes): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(rule))
  if (params) hash.update(JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))))
  return `sha256:${hash.digest('hex')}`
}

/* ------------------------------------------------------------------------------------------------ */
/* Fast closures                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

/** Steps left in the current evaluation (evaluations are synchronous, so one counter suffices). */
let budget = MAX_EVALUATION_STEPS

function charge(steps: number): void {
  budget -= steps
  if (budget < 0) {
    throw new EligibilityEvaluationError('iteration_budget', { max: MAX_EVALUATION_STEPS })
  }
}

interface Node {
  fn: Fn
  /** The node's value does not depend on the data. */
  isConst: boolean
  value: unknown
  /** The value is never an array (so its truthiness is plain JavaScript truthiness). */
  noArray: boolean
  /** The number of nodes (the cost of one evaluation, for the iteration budget). */
  size: number
}

const constant = (value: unknown, size = 1): Node => ({
  fn: () => value,
  isConst: true,
  value,
  noArray: !Array.isArray(value),
  size,
})

const dynamic = (fn: Fn, size: number, noArray = false): Node => ({ fn, isConst: false, value: undefined, noArray, size })

const FOLDABLE_NEVER = new Set(['var', 'missing', 'missing_some', 'and', 'or', 'if', 'all', 'some', 'none'])
const BOOLEAN_RESULT = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=', '!', '!!', 'in', 'all', 'some', 'none'])

function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

function argsOf(node: Record<string, unknown>, operator: string): unknown[] {
  const raw = node[operator]
  return Array.isArray(raw) ? raw : [raw]
}

function compileVar(path: string, fallback: Node | undefined, size: number): Node {
  const segments = splitPath(path)
  if (segments.length === 0) return dynamic((d) => d, size)
  if (fallback && !fallback.isConst) {
    const fb = fallback.fn
    // json-logic-js evaluates the default before reading the path.
    return dynamic((d) => readPath(d, segments, fb(d)), size)
  }
  const nf = fallback ? fallback.value : null
  if (segments.some(needsOwnGuard) || segments.length > 3) {
    return dynamic((d) => readPath(d, segments, nf), size)
  }
  const [s0, s1, s2] = segments
  if (segments.length === 1) {
    return dynamic((d) => {
      if (d === null || d === undefined) return nf
      const v = d[s0]
      return v === undefined ? nf : v
    }, size)
  }
  if (segments.length === 2) {
    return dynamic((d) => {
      if (d === null || d === undefined) return nf
      const a = d[s0]
      if (a === null || a === undefined) return nf
      const v = a[s1]
      return v === undefined ? nf : v
    }, size)
  }
  return dynamic((d) => {
    if (d === null || d === undefined) return nf
    const a = d[s0]
    if (a === null || a === undefined) return nf
    const b = a[s1]
    if (b === null || b === undefined) return nf
    const v = b[s2]
    return v === undefined ? nf : v
  }, size)
}

/* eslint-disable eqeqeq */
function compileComparison(operator: string, nodes: Node[], size: number): Node {
  const [a, b, c] = nodes
  const fa = a.fn
  const fb = b.fn
  if (nodes.length === 3) {
    const fc = c.fn
    const strict = operator === '<'
    if (a.isConst && c.isConst && c.value !== undefined) {
      const lo: any = a.value
      const hi: any = c.value
      return strict
        ? dynamic((d) => {
            const v: any = fb(d)
            return lo < v && v < hi
          }, size)
        : dynamic((d) => {
            const v: any = fb(d)
            return lo <= v && v <= hi
          }, size)
    }
    return strict
      ? dynamic((d) => {
          const x: any = fa(d)
          const y: any = fb(d)
          const z: any = fc(d)
          return z === undefined ? x < y : x < y && y < z
        }, size)
      : dynamic((d) => {
          const x: any = fa(d)
          const y: any = fb(d)
          const z: any = fc(d)
          return z === undefined ? x <= y : x <= y && y <= z
        }, size)
  }
  if (b.isConst) {
    const k: any = b.value
    switch (operator) {
      case '==':
        return dynamic((d) => fa(d) == k, size)
      case '===':
        return dynamic((d) => fa(d) === k, size)
      case '!=':
        return dynamic((d) => fa(d) != k, size)
      case '!==':
        return dynamic((d) => fa(d) !== k, size)
      case '<':
        return dynamic((d) => (fa(d) as any) < k, size)
      case '<=':
        return dynamic((d) => (fa(d) as any) <= k, size)
      case '>':
        return dynamic((d) => (fa(d) as any) > k, size)
      case '>=':
        return dynamic((d) => (fa(d) as any) >= k, size)
    }
  }
  if (a.isConst) {
    const k: any = a.value
    switch (operator) {
      case '==':
        return dynamic((d) => k == fb(d), size)
      case '===':
        return dynamic((d) => k === fb(d), size)
      case '!=':
        return dynamic((d) => k != fb(d), size)
      case '!==':
        return dynamic((d) => k !== fb(d), size)
      case '<':
        return dynamic((d) => k < (fb(d) as any), size)
      case '<=':
        return dynamic((d) => k <= (fb(d) as any), size)
      case '>':
        return dynamic((d) => k > (fb(d) as any), size)
      case '>=':
        return dynamic((d) => k >= (fb(d) as any), size)
    }
  }
  switch (operator) {
    case '==':
      return dynamic((d) => fa(d) == fb(d), size)
    case '===':
      return dynamic((d) => fa(d) === fb(d), size)
    case '!=':
      return dynamic((d) => fa(d) != fb(d), size)
    case '!==':
      return dynamic((d) => fa(d) !== fb(d), size)
    case '<':
      return dynamic((d) => (fa(d) as any) < (fb(d) as any), size)
    case '<=':
      return dynamic((d) => (fa(d) as any) <= (fb(d) as any), size)
    case '>':
      return dynamic((d) => (fa(d) as any) > (fb(d) as any), size)
    default:
      return dynamic((d) => (fa(d) as any) >= (fb(d) as any), size)
  }
}
/* eslint-enable eqeqeq */

function compileAndOr(operator: 'and' | 'or', nodes: Node[], size: number): Node {
  const fns = nodes.map((n) => n.fn)
  const plain = nodes.every((n) => n.noArray)
  const n = fns.length
  const noArray = plain
  if (operator === 'and') {
    if (plain && n === 2) {
      const [f0, f1] = fns
      return dynamic((d) => {
        const v = f0(d)
        return v ? f1(d) : v
      }, size, noArray)
    }
    if (plain) {
      return dynamic((d) => {
        let v: unknown
        for (let i = 0; i < n; i++) {
          v = fns[i](d)
          if (!v) return v
        }
        return v
      }, size, noArray)
    }
    return dynamic((d) => {
      let v: unknown
      for (let i = 0; i < n; i++) {
        v = fns[i](d)
        if (!v || (Array.isArray(v) && v.length === 0)) return v
      }
      return v
    }, size)
  }
  if (plain) {
    return dynamic((d) => {
      let v: unknown
      for (let i = 0; i < n; i++) {
        v = fns[i](d)
        if (v) return v
      }
      return v
    }, size, noArray)
  }
  return dynamic((d) => {
    let v: unknown
    for (let i = 0; i < n; i++) {
      v = fns[i](d)
      if (v && !(Array.isArray(v) && v.length === 0)) return v
    }
    return v
  }, size)
}

function compileIf(nodes: Node[], size: number): Node {
  const fns = nodes.map((n) => n.fn)
  const n = fns.length
  return dynamic((d) => {
    let i = 0
    for (; i < n - 1; i += 2) {
      if (truthy(fns[i](d))) return fns[i + 1](d)
    }
    return n === i + 1 ? fns[i](d) : null
  }, size)
}

function compileIn(nodes: Node[], size: number): Node {
  const [needle, haystack] = nodes
  const fa = needle.fn
  if (haystack.isConst) {
    const h = haystack.value
    if (Array.isArray(h)) {
      if (h.length === 2) {
        const [h0, h1] = h
        return dynamic((d) => {
          const v = fa(d)
          return v === h0 || v === h1
        }, size, true)
      }
      return dynamic((d) => h.indexOf(fa(d)) !== -1, size, true)
    }
    if (typeof h === 'string' && h !== '') return dynamic((d) => h.indexOf(fa(d) as string) !== -1, size, true)
    // Anything else has no indexOf (or is ""): json-logic-js answers false after evaluating the needle.
    return dynamic((d) => {
      fa(d)
      return false
    }, size, true)
  }
  const fb = haystack.fn
  return dynamic((d) => {
    const v = fa(d)
    return helpers.inOperator(v, fb(d))
  }, size, true)
}

function compileArithmetic(operator: string, nodes: Node[], size: number): Node | undefined {
  const fns = nodes.map((n) => n.fn)
  const n = fns.length
  switch (operator) {
    case '+':
      if (n === 2) {
        const [f0, f1] = fns
        return dynamic((d) => {
          const a = f0(d)
          const b = f1(d)
          return 0 + toNumber(a) + toNumber(b)
        }, size, true)
      }
      return dynamic((d) => {
        const values = fns.map((f) => f(d))
        let sum = 0
        for (const v of values) sum = sum + toNumber(v)
        return sum
      }, size, true)
    case '*': {
      if (n === 1) return undefined
      if (n === 2) {
        const [a, b] = nodes
        if (a.isConst) {
          const k = toNumber(a.value)
          const fb = b.fn
          return dynamic((d) => {
            const v: any = fb(d)
            return k * (typeof v === 'number' ? v + 0 : Number.parseFloat(v))
          }, size, true)
        }
        if (b.isConst) {
          const k = toNumber(b.value)
          const fa = a.fn
          return dynamic((d) => {
            const v: any = fa(d)
            return (typeof v === 'number' ? v + 0 : Number.parseFloat(v)) * k
          }, size, true)
        }
        const fa = a.fn
        const fb = b.fn
        return dynamic((d) => {
          const x: any = fa(d)
          const y: any = fb(d)
          return (typeof x === 'number' ? x + 0 : Number.parseFloat(x)) * (typeof y === 'number' ? y + 0 : Number.parseFloat(y))
        }, size, true)
      }
      return undefined
    }
    case '-':
      if (n === 1) {
        const [f0] = fns
        return dynamic((d) => -(f0(d) as any), size, true)
      }
      {
        const [f0, f1] = fns
        return dynamic((d) => {
          const a: any = f0(d)
          const b: any = f1(d)
          return b === undefined ? -a : a - b
        }, size, true)
      }
    case '/': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a: any = f0(d)
        return a / (f1(d) as any)
      }, size, true)
    }
    case '%': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a: any = f0(d)
        return a % (f1(d) as any)
      }, size, true)
    }
    case 'age_on': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a = f0(d)
        return ageOn(a, f1(d))
      }, size, true)
    }
    case 'months_between': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a = f0(d)
        return monthsBetween(a, f1(d))
      }, size, true)
    }
    case 'days_between': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a = f0(d)
        return daysBetween(a, f1(d))
      }, size, true)
    }
    case 'date_before': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a = f0(d)
        return dateBefore(a, f1(d))
      }, size, true)
    }
    case 'date_after': {
      const [f0, f1] = fns
      return dynamic((d) => {
        const a = f0(d)
        return dateAfter(a, f1(d))
      }, size, true)
    }
  }
  return undefined
}

function compileScoped(operator: string, source: Node, perElement: Node, size: number): Node {
  const fs = source.fn
  const fe = perElement.fn
  const cost = perElement.size
  const plain = perElement.noArray
  const isTruthy = plain ? (v: unknown) => !!v : truthy
  if (operator === 'all') {
    return dynamic((d) => {
      const items = fs(d)
      if (!Array.isArray(items) || items.length === 0) return false
      checkArrayLength(items)
      charge(items.length * cost)
      for (let i = 0; i < items.length; i++) if (!isTruthy(fe(items[i]))) return false
      return true
    }, size, true)
  }
  const onHit = operator === 'some'
  return dynamic((d) => {
    const items = fs(d)
    if (!Array.isArray(items) || items.length === 0) return !onHit
    checkArrayLength(items)
    charge(items.length * cost)
    for (let i = 0; i < items.length; i++) if (isTruthy(fe(items[i]))) return onHit
    return !onHit
  }, size, true)
}

function compileFast(rule: unknown): Node {
  if (rule === null || typeof rule !== 'object') return constant(rule)
  if (Array.isArray(rule)) {
    const nodes = rule.map((item) => compileFast(item))
    const size = 1 + nodes.reduce((s, n) => s + n.size, 0)
    if (nodes.every((n) => n.isConst)) return constant(deepFreeze(nodes.map((n) => n.value)), size)
    const fns = nodes.map((n) => n.fn)
    return dynamic((d) => fns.map((f) => f(d)), size)
  }
  const record = rule as Record<string, unknown>
  const operator = Object.keys(record)[0]
  const args = argsOf(record, operator)

  if (operator === 'var') {
    const fallback = args.length > 1 ? compileFast(args[1]) : undefined
    return compileVar(String(args[0]), fallback, 2 + (fallback?.size ?? 0))
  }
  if (operator === 'missing' || operator === 'missing_some') {
    const nodes = args.map((a) => compileFast(a))
    const fns = nodes.map((n) => n.fn)
    const impl = EAGER_OPERATORS[operator]
    const size = 1 + nodes.reduce((s, n) => s + n.size, 0)
    return dynamic((d) => impl(fns.map((f) => f(d)), d), size)
  }
  const spec = operatorSpec(operator)!
  if (spec.kind === 'scoped') {
    const source = compileFast(args[0])
    const perElement = compileFast(args[1])
    return compileScoped(operator, source, perElement, 1 + source.size + perElement.size)
  }
  const nodes = args.map((a) => compileFast(a))
  const size = 1 + nodes.reduce((s, n) => s + n.size, 0)

  // Constant folding: an operation on constants is computed once (its arrays frozen).
  if (!FOLDABLE_NEVER.has(operator) && nodes.every((n) => n.isConst)) {
    try {
      return constant(deepFreeze(EAGER_OPERATORS[operator](nodes.map((n) => n.value), undefined)), size)
    } catch {
      // Leave it to run time, where it fails the same way json-logic-js does.
    }
  }

  switch (operator) {
    case 'and':
    case 'or':
      return compileAndOr(operator, nodes, size)
    case 'if':
      return compileIf(nodes, size)
    case '==':
    case '===':
    case '!=':
    case '!==':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { ...compileComparison(operator, nodes, size), noArray: true }
    case '!': {
      const f = nodes[0].fn
      return nodes[0].noArray ? dynamic((d) => !f(d), size, true) : dynamic((d) => !truthy(f(d)), size, true)
    }
    case '!!': {
      const f = nodes[0].fn
      return nodes[0].noArray ? dynamic((d) => !!f(d), size, true) : dynamic((d) => truthy(f(d)), size, true)
    }
    case 'in':
      return compileIn(nodes, size)
  }
  const special = compileArithmetic(operator, nodes, size)
  if (special) return special
  const impl = EAGER_OPERATORS[operator]
  const fns = nodes.map((n) => n.fn)
  const n = fns.length
  return dynamic(
    (d) => {
      const values = new Array(n)
      for (let i = 0; i < n; i++) values[i] = fns[i](d)
      return impl(values, d)
    },
    size,
    BOOLEAN_RESULT.has(operator)
  )
}

/* ------------------------------------------------------------------------------------------------ */
/* Traced closures: same values, every condition recorded.                                           */
/* ------------------------------------------------------------------------------------------------ */

let sink: RawTraceNode[] = []
/** Above zero while evaluating children whose values the result does not depend on. */
let extra = 0

function open(pointer: string, parent: string | null, operator: string, facts: string[]): RawTraceNode {
  const node: RawTraceNode = { pointer, parent, operator, operands: [], result: undefined, passed: false, facts }
  if (extra > 0) node.shortCircuited = true
  sink.push(node)
  return node
}

function close(node: RawTraceNode, operands: unknown[], result: unknown): unknown {
  node.operands = operands
  node.result = result
  node.passed = truthy(result)
  return result
}

/** Top-level fact paths read by a subtree, not looking into nested conditions or per-element logic. */
function operandFacts(args: unknown[], scoped: boolean): string[] {
  if (scoped) return []
  const found = new Set<string>()
  const stack: unknown[] = [...args]
  while (stack.length > 0) {
    const value = stack.pop()
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      stack.push(...value)
      continue
    }
    const operator = Object.keys(value)[0]
    const inner = argsOf(value as Record<string, unknown>, operator)
    if (operator === 'var') {
      if (typeof inner[0] === 'string' && inner[0] !== '') found.add(inner[0])
      stack.push(...inner.slice(1))
    } else if (operator === 'all' || operator === 'some' || operator === 'none') {
      stack.push(inner[0])
    } else if (!operatorSpec(operator)?.condition) {
      stack.push(...inner)
    }
  }
  return [...found]
}

function compileTraced(rule: unknown, pointer: string, parent: string | null, scoped: boolean): Fn {
  if (rule === null || typeof rule !== 'object') return () => rule
  if (Array.isArray(rule)) {
    const fns = rule.map((item, i) => compileTraced(item, `${pointer}/${i}`, parent, scoped))
    return (d) => fns.map((f) => f(d))
  }
  const record = rule as Record<string, unknown>
  const operator = Object.keys(record)[0]
  const raw = record[operator]
  const args = argsOf(record, operator)
  const opPointer = `${pointer}/${escapePointer(operator)}`
  const argPointer = (i: number) => (Array.isArray(raw) ? `${opPointer}/${i}` : opPointer)
  const spec = operatorSpec(operator)!
  if (operator === 'var') {
    const segments = splitPath(String(args[0]))
    const fallback = args.length > 1 ? compileTraced(args[1], argPointer(1), parent, scoped) : () => null
    return segments.length === 0 ? (d) => d : (d) => readPath(d, segments, fallback(d))
  }
  const facts = operandFacts(args, scoped)
  const childParent = spec.condition ? pointer : parent
  if (spec.kind === 'scoped') {
    const source = compileTraced(args[0], argPointer(0), childParent, scoped)
    // The per-element logic runs untraced: the trace shows the list and the verdict, not every element.
    const overItems = compileScoped(operator, dynamic((items) => items, 0), compileFast(args[1]), 0).fn
    return (d) => {
      const node = open(pointer, parent, operator, facts)
      const items = source(d)
      return close(node, [items], overItems(items))
    }
  }
  const fns = args.map((a, i) => compileTraced(a, argPointer(i), childParent, scoped))
  if (operator === 'and' || operator === 'or') {
    const stopOn = operator === 'and' ? false : true
    return (d) => {
      const node = open(pointer, parent, operator, facts)
      const values: unknown[] = []
      let result: unknown
      let decided = false
      for (const f of fns) {
        if (decided) {
          extra += 1
          try {
            values.push(f(d))
          } catch (error) {
            // The value does not depend on this child, so its failure must not change the outcome.
            values.push(undefined)
            node.error ??= error instanceof EligibilityEvaluationError ? error.code : 'error'
          } finally {
            extra -= 1
          }
          continue
        }
        const v = f(d)
        values.push(v)
        result = v
        if (truthy(v) === stopOn) decided = true
      }
      return close(node, values, result)
    }
  }
  if (operator === 'if') {
    const n = fns.length
    return (d) => {
      let i = 0
      for (; i < n - 1; i += 2) {
        if (truthy(fns[i](d))) return fns[i + 1](d)
      }
      return n === i + 1 ? fns[i](d) : null
    }
  }
  const impl = EAGER_OPERATORS[operator]
  if (!spec.condition) return (d) => impl(fns.map((f) => f(d)), d)
  return (d) => {
    const node = open(pointer, parent, operator, facts)
    const values = fns.map((f) => f(d))
    return close(node, values, impl(values, d))
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* compile                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

/** Top-level fact paths of a rule, and those of them that must be present (see CompiledRule). */
function collectFacts(rule: unknown, params?: ParamTypes): { facts: string[]; required: string[] } {
  const facts = new Set<string>()
  const required = new Set<string>()
  const stack: unknown[] = [rule]
  while (stack.length > 0) {
    const value = stack.pop()
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      stack.push(...value)
      continue
    }
    const operator = Object.keys(value)[0]
    const args = argsOf(value as Record<string, unknown>, operator)
    if (operator === 'var') {
      const path = args[0] as string
      facts.add(path)
      const type = lookupFact(path, params)?.type
      if (args.length === 1 && (type === 'number' || type === 'money' || type === 'date')) required.add(path)
      stack.push(...args.slice(1))
    } else if (operator === 'missing' || operator === 'missing_some') {
      const keys = operator === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : args[1]
      for (const key of keys as string[]) facts.add(key)
      if (operator === 'missing_some') stack.push(args[0])
    } else if (operator === 'all' || operator === 'some' || operator === 'none') {
      stack.push(args[0]) // the per-element logic reads elements, not facts
    } else {
      stack.push(...args)
    }
  }
  return { facts: [...facts].sort(), required: [...required].sort() }
}

/** Builds the compiled form of an already validated rule (no cache). */
function build(rule: JsonLogicRule, key: string, params: ParamTypes | undefined): CompiledRule {
  const root = compileFast(rule)
  const fn = root.fn
  let traced: Fn | undefined
  const { facts, required } = collectFacts(rule, params)
  const requiredSegments = required.map((path) => ({ path, segments: splitPath(path) }))
  return {
    key,
    rule,
    params,
    facts,
    requiredFacts: required,
    run(data: unknown) {
      budget = MAX_EVALUATION_STEPS
      return fn(data)
    },
    runTraced(data: unknown) {
      traced ??= compileTraced(rule, '', null, false)
      const previous = sink
      sink = []
      extra = 0
      budget = MAX_EVALUATION_STEPS
      try {
        const value = traced(data)
        return { value, trace: sink }
      } finally {
        sink = previous
      }
    },
    missingFacts(data: unknown) {
      const absent: string[] = []
      for (const { path, segments } of requiredSegments) {
        if (readPath(data, segments, null) === null) absent.push(path)
      }
      return absent
    },
  }
}

/** Compiled rules by rule object identity, for callers that pass the same raw rule without a key. */
const byIdentity = new WeakMap<object, { params: ParamTypes | undefined; compiled: CompiledRule }>()

/**
 * Validates and compiles a rule into closures, reusing the cached result for the same key; throws
 * RuleValidationError when the rule is invalid. Validation always runs before anything else touches the
 * rule (hashing a 10 000-deep rule would already overflow the stack).
 */
export function compile(rule: unknown, options: CompileOptions = {}): CompiledRule {
  const useCache = options.cache !== false
  if (useCache && options.key !== undefined) {
    const cached = compiledRules.get(options.key)
    if (cached) return cached
  }
  const identity = useCache && rule !== null && typeof rule === 'object' ? byIdentity.get(rule) : undefined
  if (identity && identity.params === options.params && options.key === undefined) return identity.compiled
  const result = validateRule(rule, { params: options.params, limits: options.limits })
  if (!result.valid) throw new RuleValidationError(result.errors)
  const key = options.key ?? ruleKey(rule, options.params)
  const cached = useCache ? compiledRules.get(key) : undefined
  const compiled = cached ?? build(rule as JsonLogicRule, key, options.params)
  if (useCache) {
    compiledRules.set(key, compiled)
    if (options.key === undefined && rule !== null && typeof rule === 'object') {
      byIdentity.set(rule, { params: options.params, compiled })
    }
  }
  return compiled
}

/** Whether a value is a compiled rule (as opposed to a JSON Logic rule). */
export function isCompiledRule(value: unknown): value is CompiledRule {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as CompiledRule).run === 'function' &&
    typeof (value as CompiledRule).key === 'string'
  )
}
