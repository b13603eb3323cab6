/*
 * The compiler: a validated JSON Logic rule is compiled once per program version (cached in an LRU map)
 * into two backends with the same values:
 *
 * - generated JavaScript (codegen.ts): one straight-line function built with `new Function` under the
 *   rules written there and in docs/decisions/0011-eligibility-engine.md; `run` (untraced evaluation)
 *   uses it;
 * - a tree of closures (here): each node is a closure over its children's closures and its precomputed
 *   constants (var paths split into segments, constant arrays frozen, constant operands hoisted),
 *   specialised for the shapes rules actually use. Traced evaluation (`runTraced`) always uses closures,
 *   and `run` falls back to them when a rule cannot be generated.
 *
 * Values are exactly those of json-logic-js 2.0.5 `apply` for the standard operators (the property test in
 * tests/unit/eligibility compares both on random rules and facts), with two deliberate differences that
 * only a rule outside our validation could observe: inherited names (`toString`, `map`, …) are read as own
 * properties only, and arrays from the facts longer than MAX_FACT_ARRAY_LENGTH stop the evaluation.
 *
 * Work is bounded: validation bounds the rule's size, the only loops are all/some/none over arrays, and
 * every iteration is charged against a per-evaluation budget (array length × size of the per-element logic).
 */
/* Indexed loops on purpose in the evaluation hot paths (no iterator objects). */
/* eslint-disable @unicorn/no-for-loop */
import { createHash } from 'node:crypto'
import { charge, resetBudget } from './budget.js'
import { GENERATED_HELPERS, type GeneratedRule, generateRule } from './codegen.js'
import { EligibilityEvaluationError, RuleValidationError } from './errors.js'
import { type ParamTypes, type PluginFactTypes, lookupFact, pluginOfPath } from './fact_catalog.js'
import {
  EAGER_OPERATORS,
  checkArrayLength,
  dayNumber,
  helpers,
  needsOwnGuard,
  operatorSpec,
  parseOrThrow,
  readPath,
  splitPath,
  toNumber,
  truthy,
  wholeMonths,
  wholeYears,
} from './operators.js'
import type { JsonLogicRule } from './types.js'
import { type ValidationLimits, escapePointer, validateRule } from './validate.js'

type Fn = (data: any) => unknown

export { MAX_EVALUATION_STEPS } from './budget.js'

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
  /** The plugin fact declarations it was validated against. */
  readonly pluginFacts: PluginFactTypes | undefined
  /** Every top-level fact path the rule reads. */
  readonly facts: readonly string[]
  /** Number, money and date facts read without a default: their absence would be coerced, not decided. */
  readonly requiredFacts: readonly string[]
  /**
   * Evaluates with json-logic-js semantics; throws EligibilityEvaluationError on unusable facts. Runs the
   * generated function (codegen.ts), or the closure tree when the rule could not be generated.
   */
  run(facts: unknown): unknown
  /** Evaluates on the closure tree: the same values as `run` (tests and the benchmark compare both). */
  runClosure(facts: unknown): unknown
  /** The backend `run` uses. */
  readonly backend: 'generated' | 'closure'
  /** The generated factory source when `backend` is 'generated' (for review and tests). */
  readonly source: string | undefined
  /** Evaluates and records every condition (slower; used for explanations). */
  runTraced(facts: unknown): { value: unknown; trace: RawTraceNode[] }
  /** Returns the facts from `requiredFacts` that are null or missing in `facts`. */
  missingFacts(facts: unknown): string[]
}

/** Options of `compile`. */
export interface CompileOptions {
  /**
   * Cache key (e.g. the program version id); defaults to a SHA-256 of the rule, the params and the
   * types of the plugin facts it reads (`ruleKey`).
   */
  key?: string
  params?: ParamTypes
  /** The plugin facts the rule may read (see ValidateOptions). */
  pluginFacts?: PluginFactTypes
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

/**
 * A stable key for a rule and its parameter declarations (SHA-256 of their JSON), and the types of
 * the plugin facts the rule reads: what decides how it compiles (a number, money or date fact is
 * required). Labels of plugin facts are left out, and a rule reading no plugin fact has the same
 * key with or without `pluginFacts`, so recorded decisions replay to the same key.
 */
export function ruleKey(rule: unknown, params?: ParamTypes, pluginFacts?: PluginFactTypes): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(rule))
  if (params)
    hash.update(JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))))
  if (pluginFacts) {
    const read = topLevelPaths(rule)
      .filter((path) => pluginOfPath(path) !== undefined)
      .map((path) => [path, lookupFact(path, undefined, pluginFacts)?.type ?? null] as const)
      .filter(([, type]) => type !== null)
    if (read.length > 0) hash.update(JSON.stringify(read))
  }
  return `sha256:${hash.digest('hex')}`
}

/* ------------------------------------------------------------------------------------------------ */
/* Fast closures                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

/**
 * A simple top-level `var` (a constant default, no own-property guard), read inline by its parents:
 * through a slot when the rule reads the path more than once (see `Slots`), else directly (up to three
 * segments).
 */
interface SimplePath {
  R: Slots | null
  i: number
  nf: unknown
  s0: string
  s1: string
  s2: string
  len: number
}

/**
 * The fact paths a rule reads at the top level (and their prefixes), each with a slot that caches its
 * value for the current evaluation. A slot is read at most once per evaluation, on first use (so a rule
 * that stops early touches no more of the facts than json-logic-js would): every other occurrence of the
 * same path, and every path sharing a prefix, costs an array read instead of megamorphic keyed loads.
 * Slot 0 is the facts; every other slot is its parent slot's property, undefined when the parent is
 * null/undefined.
 */
class Slots {
  readonly values: unknown[] = [undefined]
  readonly stamps: number[] = [0]
  readonly parent: number[] = [-1]
  readonly key: string[] = ['']
  /** The last date string parsed for each slot and its packed value (see `date`). */
  readonly dates: number[] = [0]
  readonly dateSources: unknown[] = [undefined]
  epoch = 0
  readonly #index = new Map<string, number>([['', 0]])

  /** The slot of a path (segments without own-property guards), creating it and its prefixes. */
  slot(segments: readonly string[]): number {
    let current = 0
    let path = ''
    for (const segment of segments) {
      path = path === '' ? segment : `${path}.${segment}`
      let next = this.#index.get(path)
      if (next === undefined) {
        next = this.values.length
        this.values.push(undefined)
        this.stamps.push(0)
        this.dates.push(0)
        this.dateSources.push(undefined)
        this.parent.push(current)
        this.key.push(segment)
        this.#index.set(path, next)
      }
      current = next
    }
    return current
  }

  /** Starts an evaluation over new facts: every slot becomes stale. */
  reset(data: unknown): void {
    this.epoch = this.epoch >= 0x3fffffff ? 1 : this.epoch + 1
    if (this.epoch === 1) this.stamps.fill(0)
    this.values[0] = data
    this.stamps[0] = this.epoch
  }

  /**
   * The packed date (see `parseIsoDate`) of a slot's non-null value: parsed only when the value differs
   * from the last one parsed for this slot (within an evaluation, and across evaluations for the
   * period and reference dates, which repeat).
   */
  date(i: number, value: unknown): number {
    if (value === this.dateSources[i]) return this.dates[i]
    const packed = parseOrThrow(value)
    this.dates[i] = packed
    this.dateSources[i] = value
    return packed
  }

  /** Loads a stale slot (and its stale prefixes) from the facts. */
  load(i: number): unknown {
    const p = this.parent[i]
    const from: any = this.stamps[p] === this.epoch ? this.values[p] : this.load(p)
    const value = from === null || from === undefined ? undefined : from[this.key[i]]
    this.values[i] = value
    this.stamps[i] = this.epoch
    return value
  }
}

/** Where a node is compiled: at the top (vars read facts) or inside all/some/none (vars read elements). */
interface Scope {
  slots: Slots
  scoped: boolean
  /** Top-level paths the rule reads more than once: these get slots. */
  repeated: ReadonlySet<string>
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
  /** Set when the node is a simple `var`: parents read the path themselves instead of calling `fn`. */
  path?: SimplePath
}

const constant = (value: unknown, size = 1): Node => ({
  fn: () => value,
  isConst: true,
  value,
  noArray: !Array.isArray(value),
  size,
})

const dynamic = (fn: Fn, size: number, noArray = false): Node => ({
  fn,
  isConst: false,
  value: undefined,
  noArray,
  size,
})

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
const BOOLEAN_RESULT = new Set([
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  '!',
  '!!',
  'in',
  'all',
  'some',
  'none',
])

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

/** A simple path's value (json-logic-js `var`: undefined anywhere on the path gives the default). */
function readS(d: unknown, p: SimplePath): unknown {
  const R = p.R
  if (R === null) return readP(d, p.s0, p.s1, p.s2, p.len, p.nf)
  const i = p.i
  const v = R.stamps[i] === R.epoch ? R.values[i] : R.load(i)
  return v === undefined ? p.nf : v
}

/** Reads up to three plain segments like json-logic-js `var` (used inside all/some/none). */
function readP(d: any, s0: string, s1: string, s2: string, len: number, nf: unknown): unknown {
  if (d === null || d === undefined) return nf
  const a = d[s0]
  if (len === 1) return a === undefined ? nf : a
  if (a === null || a === undefined) return nf
  const b = a[s1]
  if (len === 2) return b === undefined ? nf : b
  if (b === null || b === undefined) return nf
  const c = b[s2]
  return c === undefined ? nf : c
}

/** A child's value: its slot when it is a simple top-level path, else by calling its closure. */
function get(d: unknown, p: SimplePath | undefined, f: Fn): unknown {
  return p !== undefined ? readS(d, p) : f(d)
}

function compileVar(path: string, fallback: Node | undefined, size: number, scope: Scope): Node {
  const segments = splitPath(path)
  if (segments.length === 0) return dynamic((d) => d, size)
  if (fallback && !fallback.isConst) {
    const fb = fallback.fn
    // json-logic-js evaluates the default before reading the path.
    return dynamic((d) => readPath(d, segments, fb(d)), size)
  }
  const nf = fallback ? fallback.value : null
  if (segments.some(needsOwnGuard)) return dynamic((d) => readPath(d, segments, nf), size)
  const slotted = !scope.scoped && scope.repeated.has(path)
  if (!slotted && segments.length > 3) return dynamic((d) => readPath(d, segments, nf), size)
  const simple: SimplePath = {
    R: slotted ? scope.slots : null,
    i: slotted ? scope.slots.slot(segments) : 0,
    nf,
    s0: segments[0],
    s1: segments[1] ?? '',
    s2: segments[2] ?? '',
    len: segments.length,
  }
  const node = dynamic((d) => readS(d, simple), size)
  // Inside all/some/none a var reads the element: parents call the closure (no inline reads there).
  return scope.scoped ? node : { ...node, path: simple }
}

/* eslint-disable eqeqeq */

/** `var OP constant` (or `constant OP var` when `varLeft` is false) with the read fused in. */
function fusedVarConst(operator: string, p: SimplePath, k: any, varLeft: boolean): Fn {
  if (varLeft) {
    switch (operator) {
      case '==':
        return (d) => readS(d, p) == k
      case '===':
        return (d) => readS(d, p) === k
      case '!=':
        return (d) => readS(d, p) != k
      case '!==':
        return (d) => readS(d, p) !== k
      case '<':
        return (d) => (readS(d, p) as any) < k
      case '<=':
        return (d) => (readS(d, p) as any) <= k
      case '>':
        return (d) => (readS(d, p) as any) > k
      default:
        return (d) => (readS(d, p) as any) >= k
    }
  }
  switch (operator) {
    case '==':
      return (d) => k == readS(d, p)
    case '===':
      return (d) => k === readS(d, p)
    case '!=':
      return (d) => k != readS(d, p)
    case '!==':
      return (d) => k !== readS(d, p)
    case '<':
      return (d) => k < (readS(d, p) as any)
    case '<=':
      return (d) => k <= (readS(d, p) as any)
    case '>':
      return (d) => k > (readS(d, p) as any)
    default:
      return (d) => k >= (readS(d, p) as any)
  }
}

/** `var OP var` with both reads fused in. */
function fusedVarVar(operator: string, p: SimplePath, q: SimplePath): Fn {
  switch (operator) {
    case '==':
      return (d) => readS(d, p) == readS(d, q)
    case '===':
      return (d) => readS(d, p) === readS(d, q)
    case '!=':
      return (d) => readS(d, p) != readS(d, q)
    case '!==':
      return (d) => readS(d, p) !== readS(d, q)
    case '<':
      return (d) => (readS(d, p) as any) < (readS(d, q) as any)
    case '<=':
      return (d) => (readS(d, p) as any) <= (readS(d, q) as any)
    case '>':
      return (d) => (readS(d, p) as any) > (readS(d, q) as any)
    default:
      return (d) => (readS(d, p) as any) >= (readS(d, q) as any)
  }
}

/** `expression OP constant` / `constant OP expression` / `expression OP expression`. */
function generalCompare(operator: string, a: Node, b: Node): Fn {
  const fa = a.fn
  const fb = b.fn
  if (b.isConst) {
    const k: any = b.value
    switch (operator) {
      case '==':
        return (d) => fa(d) == k
      case '===':
        return (d) => fa(d) === k
      case '!=':
        return (d) => fa(d) != k
      case '!==':
        return (d) => fa(d) !== k
      case '<':
        return (d) => (fa(d) as any) < k
      case '<=':
        return (d) => (fa(d) as any) <= k
      case '>':
        return (d) => (fa(d) as any) > k
      default:
        return (d) => (fa(d) as any) >= k
    }
  }
  if (a.isConst) {
    const k: any = a.value
    switch (operator) {
      case '==':
        return (d) => k == fb(d)
      case '===':
        return (d) => k === fb(d)
      case '!=':
        return (d) => k != fb(d)
      case '!==':
        return (d) => k !== fb(d)
      case '<':
        return (d) => k < (fb(d) as any)
      case '<=':
        return (d) => k <= (fb(d) as any)
      case '>':
        return (d) => k > (fb(d) as any)
      default:
        return (d) => k >= (fb(d) as any)
    }
  }
  const pa = a.path
  const pb = b.path
  switch (operator) {
    case '==':
      return (d) => get(d, pa, fa) == get(d, pb, fb)
    case '===':
      return (d) => get(d, pa, fa) === get(d, pb, fb)
    case '!=':
      return (d) => get(d, pa, fa) != get(d, pb, fb)
    case '!==':
      return (d) => get(d, pa, fa) !== get(d, pb, fb)
    case '<':
      return (d) => (get(d, pa, fa) as any) < (get(d, pb, fb) as any)
    case '<=':
      return (d) => (get(d, pa, fa) as any) <= (get(d, pb, fb) as any)
    case '>':
      return (d) => (get(d, pa, fa) as any) > (get(d, pb, fb) as any)
    default:
      return (d) => (get(d, pa, fa) as any) >= (get(d, pb, fb) as any)
  }
}
/* eslint-enable eqeqeq */

function compileComparison(operator: string, nodes: Node[], size: number): Node {
  const [a, b, c] = nodes
  if (nodes.length === 3) {
    const strict = operator === '<'
    if (a.isConst && c.isConst) {
      const lo: any = a.value
      const hi: any = c.value
      if (b.path) {
        const bp = b.path
        return strict
          ? dynamic(
              (d) => {
                const v: any = readS(d, bp)
                return lo < v && v < hi
              },
              size,
              true
            )
          : dynamic(
              (d) => {
                const v: any = readS(d, bp)
                return lo <= v && v <= hi
              },
              size,
              true
            )
      }
      const fb = b.fn
      return strict
        ? dynamic(
            (d) => {
              const v: any = fb(d)
              return lo < v && v < hi
            },
            size,
            true
          )
        : dynamic(
            (d) => {
              const v: any = fb(d)
              return lo <= v && v <= hi
            },
            size,
            true
          )
    }
    const fa = a.fn
    const fb = b.fn
    const fc = c.fn
    return strict
      ? dynamic(
          (d) => {
            const x: any = fa(d)
            const y: any = fb(d)
            const z: any = fc(d)
            return z === undefined ? x < y : x < y && y < z
          },
          size,
          true
        )
      : dynamic(
          (d) => {
            const x: any = fa(d)
            const y: any = fb(d)
            const z: any = fc(d)
            return z === undefined ? x <= y : x <= y && y <= z
          },
          size,
          true
        )
  }
  if (a.path && b.isConst)
    return dynamic(fusedVarConst(operator, a.path, b.value, true), size, true)
  if (b.path && a.isConst)
    return dynamic(fusedVarConst(operator, b.path, a.value, false), size, true)
  if (a.path && b.path) return dynamic(fusedVarVar(operator, a.path, b.path), size, true)
  return dynamic(generalCompare(operator, a, b), size, true)
}

function compileAndOr(operator: 'and' | 'or', nodes: Node[], size: number): Node {
  const fns = nodes.map((n) => n.fn)
  const plain = nodes.every((n) => n.noArray)
  const n = fns.length
  if (operator === 'and') {
    if (plain && n === 2) {
      const [f0, f1] = fns
      return dynamic(
        (d) => {
          const v = f0(d)
          return v ? f1(d) : v
        },
        size,
        true
      )
    }
    if (plain) {
      return dynamic(
        (d) => {
          let v: unknown
          for (let i = 0; i < n; i++) {
            v = fns[i](d)
            if (!v) return v
          }
          return v
        },
        size,
        true
      )
    }
    return dynamic((d) => {
      let v: unknown
      for (let i = 0; i < n; i++) {
        v = fns[i](d)
        if (!truthy(v)) return v
      }
      return v
    }, size)
  }
  if (plain) {
    return dynamic(
      (d) => {
        let v: unknown
        for (let i = 0; i < n; i++) {
          v = fns[i](d)
          if (v) return v
        }
        return v
      },
      size,
      true
    )
  }
  return dynamic((d) => {
    let v: unknown
    for (let i = 0; i < n; i++) {
      v = fns[i](d)
      if (truthy(v)) return v
    }
    return v
  }, size)
}

function compileIf(nodes: Node[], size: number): Node {
  const fns = nodes.map((n) => n.fn)
  const n = fns.length
  if (n === 3) {
    const [c, t, e] = fns
    const pc = nodes[0].path
    return dynamic(
      (d) => (truthy(get(d, pc, c)) ? t(d) : e(d)),
      size,
      nodes[1].noArray && nodes[2].noArray
    )
  }
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
      if (needle.path && h.length <= 4) {
        const np = needle.path
        const [h0, h1, h2, h3] = h
        const count = h.length
        // indexOf compares with ===, so an unrolled comparison is the same (and padding can never match).
        return dynamic(
          (d) => {
            const v = readS(d, np)
            return (
              count > 0 &&
              (v === h0 ||
                (count > 1 && (v === h1 || (count > 2 && (v === h2 || (count > 3 && v === h3))))))
            )
          },
          size,
          true
        )
      }
      return dynamic((d) => h.indexOf(fa(d)) !== -1, size, true)
    }
    if (typeof h === 'string' && h !== '')
      return dynamic((d) => h.indexOf(fa(d) as string) !== -1, size, true)
    // Anything else has no indexOf (or is ""): json-logic-js answers false after evaluating the needle.
    return dynamic(
      (d) => {
        fa(d)
        return false
      },
      size,
      true
    )
  }
  const fb = haystack.fn
  const pa = needle.path
  const pb = haystack.path
  return dynamic(
    (d) => {
      const v = get(d, pa, fa)
      return helpers.inOperator(v, get(d, pb, fb))
    },
    size,
    true
  )
}

/**
 * `in` over `merge(...)`: the same answer without building the merged array (merge flattens arrays one
 * level, so the needle is in the result exactly when it is one of the non-array parts or in an array part).
 */
function compileInMerge(needle: Node, parts: Node[], size: number): Node {
  const fa = needle.fn
  const pa = needle.path
  const fns = parts.map((p) => p.fn)
  const paths = parts.map((p) => p.path)
  const n = fns.length
  return dynamic(
    (d) => {
      const v = get(d, pa, fa)
      // Every part is evaluated (and checked) before the answer, as merge would.
      let found = false
      for (let i = 0; i < n; i++) {
        const part = get(d, paths[i], fns[i])
        if (Array.isArray(part)) {
          checkArrayLength(part)
          if (!found && part.indexOf(v) !== -1) found = true
        } else if (!found && part === v) {
          found = true
        }
      }
      return found
    },
    size,
    true
  )
}

/** String conversion of `cat` (Array.prototype.join: null and undefined become ""). */
function catPart(value: unknown): string {
  if (typeof value === 'string') return value
  return value === null || value === undefined ? '' : String(value)
}

/** Date operators with the last parsed value of each argument remembered (reference dates repeat). */
function compileDate(operator: string, nodes: Node[], size: number): Node {
  const [fa, fb] = nodes.map((n) => n.fn)
  const [pa, pb] = nodes.map((n) => n.path)
  let lastA: unknown
  let packedA = 0
  let lastB: unknown
  let packedB = 0
  // Dates are parsed only when they differ from the last one seen (per slot for facts, so a date used
  // several times is parsed once; per argument otherwise).
  const both = (d: unknown): boolean => {
    const x = get(d, pa, fa)
    const y = get(d, pb, fb)
    if (x === null || x === undefined || y === null || y === undefined) return false
    if (pa !== undefined && pa.R !== null) {
      packedA = pa.R.date(pa.i, x)
    } else if (x !== lastA) {
      packedA = parseOrThrow(x)
      lastA = x
    }
    if (pb !== undefined && pb.R !== null) {
      packedB = pb.R.date(pb.i, y)
    } else if (y !== lastB) {
      packedB = parseOrThrow(y)
      lastB = y
    }
    return true
  }
  switch (operator) {
    case 'age_on':
      return dynamic((d) => (both(d) ? wholeYears(packedA, packedB) : null), size, true)
    case 'months_between':
      return dynamic((d) => (both(d) ? wholeMonths(packedA, packedB) : null), size, true)
    case 'days_between':
      return dynamic((d) => (both(d) ? dayNumber(packedB) - dayNumber(packedA) : null), size, true)
    case 'date_before':
      return dynamic((d) => (both(d) ? packedA < packedB : null), size, true)
    default:
      return dynamic((d) => (both(d) ? packedA > packedB : null), size, true)
  }
}

function compileEager(operator: string, nodes: Node[], size: number): Node | undefined {
  const fns = nodes.map((n) => n.fn)
  const n = fns.length
  const [f0, f1, f2] = fns
  const [p0, p1] = nodes.map((node) => node.path)
  switch (operator) {
    case '+':
      if (n === 2) {
        return dynamic(
          (d) => {
            const a = get(d, p0, f0)
            const b = get(d, p1, f1)
            return 0 + toNumber(a) + toNumber(b)
          },
          size,
          true
        )
      }
      return dynamic(
        (d) => {
          const values = fns.map((f) => f(d))
          let sum = 0
          for (const v of values) sum = sum + toNumber(v)
          return sum
        },
        size,
        true
      )
    case '*': {
      if (n !== 2) return undefined
      const [a, b] = nodes
      if (a.isConst) {
        const k = toNumber(a.value)
        return dynamic((d) => k * toNumber(get(d, p1, f1)), size, true)
      }
      if (b.isConst) {
        const k = toNumber(b.value)
        return dynamic((d) => toNumber(get(d, p0, f0)) * k, size, true)
      }
      if (a.path && b.path) {
        const ap = a.path
        const bq = b.path
        return dynamic((d) => toNumber(readS(d, ap)) * toNumber(readS(d, bq)), size, true)
      }
      return dynamic(
        (d) => {
          const x = f0(d)
          return toNumber(x) * toNumber(f1(d))
        },
        size,
        true
      )
    }
    case '-':
      if (n === 1) return dynamic((d) => -(get(d, p0, f0) as any), size, true)
      return dynamic(
        (d) => {
          const a: any = get(d, p0, f0)
          const b: any = get(d, p1, f1)
          return b === undefined ? -a : a - b
        },
        size,
        true
      )
    case '/':
      return dynamic(
        (d) => {
          const a: any = get(d, p0, f0)
          return a / (get(d, p1, f1) as any)
        },
        size,
        true
      )
    case '%':
      return dynamic(
        (d) => {
          const a: any = get(d, p0, f0)
          return a % (get(d, p1, f1) as any)
        },
        size,
        true
      )
    case 'min':
    case 'max':
      if (n !== 2) return undefined
      return operator === 'min'
        ? dynamic(
            (d) => {
              const a: any = get(d, p0, f0)
              return Math.min(a, get(d, p1, f1) as any)
            },
            size,
            true
          )
        : dynamic(
            (d) => {
              const a: any = get(d, p0, f0)
              return Math.max(a, get(d, p1, f1) as any)
            },
            size,
            true
          )
    case 'cat':
      if (n === 1) return dynamic((d) => catPart(get(d, p0, f0)), size, true)
      if (n === 2) {
        return dynamic(
          (d) => {
            const a = catPart(get(d, p0, f0))
            return a + catPart(get(d, p1, f1))
          },
          size,
          true
        )
      }
      return undefined
    case 'substr':
      return dynamic(
        (d) => {
          const source = get(d, p0, f0)
          const start = get(d, p1, f1)
          return helpers.substr(source, start, n === 3 ? f2(d) : undefined)
        },
        size,
        true
      )
    case 'merge':
      return dynamic((d) => {
        const values = new Array(n)
        for (let i = 0; i < n; i++) {
          const v = fns[i](d)
          if (Array.isArray(v)) checkArrayLength(v)
          values[i] = v
        }
        return ([] as unknown[]).concat(...values)
      }, size)
    case 'age_on':
    case 'months_between':
    case 'days_between':
    case 'date_before':
    case 'date_after':
      return compileDate(operator, nodes, size)
  }
  return undefined
}

/** `missing` / `missing_some` with literal keys: paths split once, no argument arrays. */
function compileMissing(operator: string, args: unknown[], size: number, scope: Scope): Node {
  const listed =
    operator === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : (args[1] as unknown[])
  const keys = listed.map(String)
  const paths = keys.map(splitPath)
  const absent = (d: unknown): string[] => {
    const out: string[] = []
    for (let i = 0; i < paths.length; i++) {
      const value = readPath(d, paths[i], null)
      if (value === null || value === '') out.push(keys[i])
    }
    return out
  }
  if (operator === 'missing') return dynamic(absent, size)
  const need = compileFast(args[0], scope)
  const fn = need.fn
  return dynamic((d) => {
    const count = fn(d) as any
    const out = absent(d)
    return keys.length - out.length >= count ? [] : out
  }, size)
}

/**
 * `!missing(...)`, `!!missing(...)` and the same for missing_some, answered without building the list
 * of missing keys: `missing` is truthy when a key is missing; `missing_some` when too few keys are present
 * and at least one is missing.
 */
function compileMissingTruthiness(
  operator: string,
  args: unknown[],
  negate: boolean,
  size: number,
  scope: Scope
): Node {
  const listed =
    operator === 'missing' ? (Array.isArray(args[0]) ? args[0] : args) : (args[1] as unknown[])
  const paths = listed.map((key) => splitPath(String(key)))
  const total = paths.length
  const absentCount = (d: unknown): number => {
    let count = 0
    for (let i = 0; i < total; i++) {
      const value = readPath(d, paths[i], null)
      if (value === null || value === '') count++
    }
    return count
  }
  if (operator === 'missing') {
    return negate
      ? dynamic((d) => absentCount(d) === 0, size, true)
      : dynamic((d) => absentCount(d) !== 0, size, true)
  }
  const fn = compileFast(args[0], scope).fn
  const holds = (d: unknown): boolean => {
    const need = fn(d) as any
    const absent = absentCount(d)
    return !(total - absent >= need) && absent !== 0
  }
  return negate ? dynamic((d) => !holds(d), size, true) : dynamic(holds, size, true)
}

function compileScoped(operator: string, source: Node, perElement: Node, size: number): Node {
  const fs = source.fn
  const ps = source.path
  const fe = perElement.fn
  const cost = perElement.size
  const plain = perElement.noArray
  if (operator === 'all') {
    return dynamic(
      (d) => {
        const items = get(d, ps, fs)
        if (!Array.isArray(items) || items.length === 0) return false
        checkArrayLength(items)
        charge(items.length * cost)
        for (let i = 0; i < items.length; i++) {
          const v = fe(items[i])
          if (plain ? !v : !truthy(v)) return false
        }
        return true
      },
      size,
      true
    )
  }
  const onHit = operator === 'some'
  return dynamic(
    (d) => {
      const items = get(d, ps, fs)
      if (!Array.isArray(items) || items.length === 0) return !onHit
      checkArrayLength(items)
      charge(items.length * cost)
      for (let i = 0; i < items.length; i++) {
        const v = fe(items[i])
        if (plain ? v : truthy(v)) return onHit
      }
      return !onHit
    },
    size,
    true
  )
}

function compileFast(rule: unknown, scope: Scope): Node {
  if (rule === null || typeof rule !== 'object') return constant(rule)
  if (Array.isArray(rule)) {
    const nodes = rule.map((item) => compileFast(item, scope))
    const size = 1 + nodes.reduce((s, n) => s + n.size, 0)
    if (nodes.every((n) => n.isConst)) return constant(deepFreeze(nodes.map((n) => n.value)), size)
    const fns = nodes.map((n) => n.fn)
    return dynamic((d) => fns.map((f) => f(d)), size)
  }
  const record = rule as Record<string, unknown>
  const operator = Object.keys(record)[0]
  const args = argsOf(record, operator)

  if (operator === 'var') {
    const fallback = args.length > 1 ? compileFast(args[1], scope) : undefined
    return compileVar(String(args[0]), fallback, 2 + (fallback?.size ?? 0), scope)
  }
  if (operator === 'missing' || operator === 'missing_some') {
    return compileMissing(operator, args, 1 + args.length, scope)
  }
  const spec = operatorSpec(operator)!
  if (spec.kind === 'scoped') {
    const source = compileFast(args[0], scope)
    const perElement = compileFast(args[1], { ...scope, scoped: true })
    return compileScoped(operator, source, perElement, 1 + source.size + perElement.size)
  }
  if ((operator === '!' || operator === '!!') && args.length === 1) {
    const inner = args[0]
    const innerOp =
      inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.keys(inner)[0]
        : ''
    if (innerOp === 'missing' || innerOp === 'missing_some') {
      const innerArgs = argsOf(inner as Record<string, unknown>, innerOp)
      return compileMissingTruthiness(
        innerOp,
        innerArgs,
        operator === '!',
        2 + innerArgs.length,
        scope
      )
    }
  }
  if (operator === 'in' && args.length === 2) {
    const haystack = args[1]
    if (
      haystack !== null &&
      typeof haystack === 'object' &&
      !Array.isArray(haystack) &&
      Object.keys(haystack)[0] === 'merge'
    ) {
      const parts = argsOf(haystack as Record<string, unknown>, 'merge').map((a) =>
        compileFast(a, scope)
      )
      if (!parts.every((p) => p.isConst)) {
        const needle = compileFast(args[0], scope)
        return compileInMerge(
          needle,
          parts,
          2 + needle.size + parts.reduce((s, p) => s + p.size, 0)
        )
      }
    }
  }
  const nodes = args.map((a) => compileFast(a, scope))
  const size = 1 + nodes.reduce((s, n) => s + n.size, 0)

  // Constant folding: an operation on constants is computed once (its arrays frozen).
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
      return compileComparison(operator, nodes, size)
    case '!':
    case '!!': {
      const [child] = nodes
      const negate = operator === '!'
      if (child.path) {
        const cp = child.path
        return negate
          ? dynamic((d) => !truthy(readS(d, cp)), size, true)
          : dynamic((d) => truthy(readS(d, cp)), size, true)
      }
      const f = child.fn
      if (child.noArray)
        return negate ? dynamic((d) => !f(d), size, true) : dynamic((d) => !!f(d), size, true)
      return negate
        ? dynamic((d) => !truthy(f(d)), size, true)
        : dynamic((d) => truthy(f(d)), size, true)
    }
    case 'in':
      return compileIn(nodes, size)
  }
  const special = compileEager(operator, nodes, size)
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

function open(
  pointer: string,
  parent: string | null,
  operator: string,
  facts: string[]
): RawTraceNode {
  const node: RawTraceNode = {
    pointer,
    parent,
    operator,
    operands: [],
    result: undefined,
    passed: false,
    facts,
  }
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
    const fallback =
      args.length > 1 ? compileTraced(args[1], argPointer(1), parent, scoped) : () => null
    return segments.length === 0 ? (d) => d : (d) => readPath(d, segments, fallback(d))
  }
  const facts = operandFacts(args, scoped)
  const childParent = spec.condition ? pointer : parent
  if (spec.kind === 'scoped') {
    const source = compileTraced(args[0], argPointer(0), childParent, scoped)
    // The per-element logic runs untraced: the trace shows the list and the verdict, not every element.
    const overItems = compileScoped(
      operator,
      dynamic((items) => items, 0),
      compileFast(args[1], { slots: new Slots(), scoped: true, repeated: new Set() }),
      0
    ).fn
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
  if (!spec.condition)
    return (d) =>
      impl(
        fns.map((f) => f(d)),
        d
      )
  return (d) => {
    const node = open(pointer, parent, operator, facts)
    const values = fns.map((f) => f(d))
    return close(node, values, impl(values, d))
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* compile                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

/** Top-level `var` and `missing` paths of a rule, sorted (per-element logic reads elements). */
function topLevelPaths(rule: unknown): string[] {
  return collectFacts(rule).facts
}

/** Top-level fact paths of a rule, and those of them that must be present (see CompiledRule). */
function collectFacts(
  rule: unknown,
  params?: ParamTypes,
  pluginFacts?: PluginFactTypes
): { facts: string[]; required: string[] } {
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
      const type = lookupFact(path, params, pluginFacts)?.type
      if (args.length === 1 && (type === 'number' || type === 'money' || type === 'date'))
        required.add(path)
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

/** Top-level `var` paths that occur more than once in a rule (outside per-element logic). */
function repeatedPaths(rule: unknown): Set<string> {
  const seen = new Set<string>()
  const repeated = new Set<string>()
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
    if (operator === 'var' && typeof args[0] === 'string') {
      if (seen.has(args[0])) repeated.add(args[0])
      seen.add(args[0])
      stack.push(...args.slice(1))
    } else if (operator === 'all' || operator === 'some' || operator === 'none') {
      stack.push(args[0])
    } else {
      stack.push(...args)
    }
  }
  return repeated
}

/** The generated function of a validated rule, or undefined when it has none (closures are used). */
function tryGenerate(rule: JsonLogicRule): GeneratedRule | undefined {
  try {
    return generateRule(rule)
  } catch {
    // Any node without a generated form, or an environment that forbids `new Function`.
    return undefined
  }
}

/** Builds the compiled form of an already validated rule (no cache). */
function build(
  rule: JsonLogicRule,
  key: string,
  params: ParamTypes | undefined,
  pluginFacts: PluginFactTypes | undefined
): CompiledRule {
  const slots = new Slots()
  let closure: Fn | undefined
  const closureTree = (): Fn =>
    (closure ??= compileFast(rule, { slots, scoped: false, repeated: repeatedPaths(rule) }).fn)
  const runClosure = (data: unknown): unknown => {
    const fn = closureTree()
    resetBudget()
    slots.reset(data)
    return fn(data)
  }
  const generated = tryGenerate(rule)
  let run = runClosure
  if (generated) {
    const fn = generated.fn
    run = (data: unknown): unknown => {
      resetBudget()
      return fn(data, GENERATED_HELPERS)
    }
  } else {
    closureTree()
  }
  let traced: Fn | undefined
  const { facts, required } = collectFacts(rule, params, pluginFacts)
  // Required facts are catalogue, parameter or plugin fact paths (no inherited names, which their
  // names refuse): read directly, without own-property checks.
  const requiredPaths = required.map((path) => {
    const segments = splitPath(path)
    return { path, segments, s0: segments[0], s1: segments[1] ?? '', s2: segments[2] ?? '' }
  })
  return {
    key,
    rule,
    params,
    pluginFacts,
    facts,
    requiredFacts: required,
    backend: generated ? 'generated' : 'closure',
    source: generated?.source,
    run,
    runClosure,
    runTraced(data: unknown) {
      traced ??= compileTraced(rule, '', null, false)
      const previous = sink
      sink = []
      extra = 0
      resetBudget()
      try {
        const value = traced(data)
        return { value, trace: sink }
      } finally {
        sink = previous
      }
    },
    missingFacts(data: unknown) {
      const absent: string[] = []
      for (const { path, segments, s0, s1, s2 } of requiredPaths) {
        const value =
          segments.length <= 3
            ? readP(data, s0, s1, s2, segments.length, null)
            : readPath(data, segments, null)
        if (value === null) absent.push(path)
      }
      return absent
    },
  }
}

/** Compiled rules by rule object identity, for callers that pass the same raw rule without a key. */
const byIdentity = new WeakMap<
  object,
  {
    params: ParamTypes | undefined
    pluginFacts: PluginFactTypes | undefined
    compiled: CompiledRule
  }
>()

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
  const identity =
    useCache && rule !== null && typeof rule === 'object' ? byIdentity.get(rule) : undefined
  if (
    identity &&
    identity.params === options.params &&
    identity.pluginFacts === options.pluginFacts &&
    options.key === undefined
  )
    return identity.compiled
  const result = validateRule(rule, {
    params: options.params,
    pluginFacts: options.pluginFacts,
    limits: options.limits,
  })
  if (!result.valid) throw new RuleValidationError(result.errors)
  const key = options.key ?? ruleKey(rule, options.params, options.pluginFacts)
  const cached = useCache ? compiledRules.get(key) : undefined
  const compiled = cached ?? build(rule as JsonLogicRule, key, options.params, options.pluginFacts)
  if (useCache) {
    compiledRules.set(key, compiled)
    if (options.key === undefined && rule !== null && typeof rule === 'object') {
      byIdentity.set(rule, { params: options.params, pluginFacts: options.pluginFacts, compiled })
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
