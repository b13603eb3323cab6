/*
 * The operators a rule may use, and their semantics.
 *
 * Standard operators follow json-logic-js 2.0.5 exactly (the reference: same values, same truthiness,
 * same coercions), so a rule stored as JSON Logic means the same thing everywhere. Custom operators
 * (dates) are anchored at a date passed in by the rule (a fact such as `period.start` or
 * `reference_date`), never at "now", so a decision can be replayed on appeal with the same result.
 */
import { EligibilityEvaluationError } from './errors.js'

/** How an operator takes its arguments. */
export type OperatorKind =
  | 'eager' // every argument is evaluated first, then the operator runs
  | 'lazy' // the operator evaluates its arguments itself (and, or, if)
  | 'scoped' // the first argument is an array, the second is logic run per element (all, some, none)
  | 'var' // reads a fact

/** The declaration of one allowed operator. */
export interface OperatorSpec {
  name: string
  kind: OperatorKind
  minArgs: number
  maxArgs: number
  /** In json-logic-js (the reference) or ours. */
  origin: 'standard' | 'custom'
  /** A condition: recorded in the trace with its operands and pass/fail. */
  condition: boolean
}

const spec = (
  name: string,
  kind: OperatorKind,
  minArgs: number,
  maxArgs: number,
  condition: boolean,
  origin: 'standard' | 'custom' = 'standard'
): OperatorSpec => ({ name, kind, minArgs, maxArgs, origin, condition })

const MANY = Number.POSITIVE_INFINITY

/** The allow-list: any operator not here makes a rule invalid. */
export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(
  [
    spec('==', 'eager', 2, 2, true),
    spec('===', 'eager', 2, 2, true),
    spec('!=', 'eager', 2, 2, true),
    spec('!==', 'eager', 2, 2, true),
    spec('<', 'eager', 2, 3, true),
    spec('<=', 'eager', 2, 3, true),
    spec('>', 'eager', 2, 2, true),
    spec('>=', 'eager', 2, 2, true),
    spec('and', 'lazy', 1, MANY, true),
    spec('or', 'lazy', 1, MANY, true),
    spec('!', 'eager', 1, 1, true),
    spec('!!', 'eager', 1, 1, true),
    spec('if', 'lazy', 2, MANY, false),
    spec('in', 'eager', 2, 2, true),
    spec('var', 'var', 1, 2, false),
    spec('missing', 'eager', 1, MANY, false),
    spec('missing_some', 'eager', 2, 2, false),
    spec('+', 'eager', 1, MANY, false),
    spec('-', 'eager', 1, 2, false),
    spec('*', 'eager', 1, MANY, false),
    spec('/', 'eager', 2, 2, false),
    spec('%', 'eager', 2, 2, false),
    spec('min', 'eager', 1, MANY, false),
    spec('max', 'eager', 1, MANY, false),
    spec('all', 'scoped', 2, 2, true),
    spec('some', 'scoped', 2, 2, true),
    spec('none', 'scoped', 2, 2, true),
    spec('cat', 'eager', 1, MANY, false),
    spec('substr', 'eager', 2, 3, false),
    spec('merge', 'eager', 1, MANY, false),
    spec('age_on', 'eager', 2, 2, false, 'custom'),
    spec('months_between', 'eager', 2, 2, false, 'custom'),
    spec('days_between', 'eager', 2, 2, false, 'custom'),
    spec('date_before', 'eager', 2, 2, true, 'custom'),
    spec('date_after', 'eager', 2, 2, true, 'custom'),
  ].map((s) => [s.name, s])
)

/** The operator's declaration when it is allowed (own-property safe: `__proto__` is simply unknown). */
export function operatorSpec(name: string): OperatorSpec | undefined {
  return OPERATORS.get(name)
}

/** Arrays longer than this coming from facts stop the evaluation (fail closed). */
export const MAX_FACT_ARRAY_LENGTH = 10_000

/** JSON Logic truthiness (json-logic-js `truthy`): like JavaScript, except that `[]` is false. */
export function truthy(value: unknown): boolean {
  if (!value) return false
  return !Array.isArray(value) || value.length !== 0
}

/**
 * Number coercion of json-logic-js `+` and `*` (`parseFloat`): `"3abc"` is 3, `null` and `true` are NaN,
 * `-0` becomes 0 (parseFloat goes through a string).
 */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value + 0 : Number.parseFloat(value as string)
}

/** Fails closed when an array from the facts is longer than the engine iterates over. */
export function checkArrayLength(value: unknown[]): void {
  if (value.length > MAX_FACT_ARRAY_LENGTH) {
    throw new EligibilityEvaluationError('array_too_long', {
      length: value.length,
      max: MAX_FACT_ARRAY_LENGTH,
    })
  }
}

/**
 * Reads a dot path like json-logic-js `var`: stops with `notFound` on null/undefined on the way or an
 * undefined value at the end; a null leaf is returned as null. Inherited names (`toString`, `map`, …)
 * are read only as own properties, so a path can never reach a prototype's function.
 */
export function readPath(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let current: any = data
  for (const segment of segments) {
    if (current === null || current === undefined) return notFound
    current =
      OWN_ONLY.has(segment) && !Object.hasOwn(Object(current), segment)
        ? undefined
        : current[segment]
    if (current === undefined) return notFound
  }
  return current
}

const OWN_ONLY = new Set<string>()
for (const proto of [
  Object.prototype,
  Array.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
]) {
  for (const name of Object.getOwnPropertyNames(proto)) OWN_ONLY.add(name)
}
OWN_ONLY.delete('length')

/** Whether a path segment must be read as an own property only (it is inherited by some JSON value). */
export function needsOwnGuard(segment: string): boolean {
  return OWN_ONLY.has(segment)
}

/** Splits a `var` path the way json-logic-js does (`""` means the whole data: no segments). */
export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('.')
}

/* ------------------------------------------------------------------------------------------------ */
/* Dates: ISO yyyy-mm-dd calendar dates, parsed without Date objects or time zones.                 */
/* ------------------------------------------------------------------------------------------------ */

const DIGIT_0 = 48

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - DIGIT_0
  return c >= 0 && c <= 9 ? c : -1
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * Parses a strict ISO `yyyy-mm-dd` string into `year * 10000 + month * 100 + day` (so packed dates
 * compare like the dates), or -1 when the value is not such a string or not a real calendar date.
 */
export function parseIsoDate(value: unknown): number {
  if (typeof value !== 'string' || value.length !== 10) return -1
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return -1
  const y0 = digit(value, 0)
  const y1 = digit(value, 1)
  const y2 = digit(value, 2)
  const y3 = digit(value, 3)
  const m0 = digit(value, 5)
  const m1 = digit(value, 6)
  const d0 = digit(value, 8)
  const d1 = digit(value, 9)
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return -1
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
  const month = m0 * 10 + m1
  const day = d0 * 10 + d1
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1
  return year * 10000 + month * 100 + day
}

/** Whether a value is a strict ISO `yyyy-mm-dd` calendar date. */
export function isIsoDate(value: unknown): value is string {
  return parseIsoDate(value) !== -1
}

/** Parses a date operand (see `parseIsoDate`), stopping the evaluation when it is not a valid date. */
export function parseOrThrow(value: unknown): number {
  const packed = parseIsoDate(value)
  if (packed === -1) {
    throw new EligibilityEvaluationError('invalid_date', { value: String(value).slice(0, 40) })
  }
  return packed
}

/** Days since 1970-01-01 of a packed date (a civil-calendar day count, no time zones involved). */
export function dayNumber(packed: number): number {
  let year = Math.floor(packed / 10000)
  const month = Math.floor(packed / 100) % 100
  const day = packed % 100
  // Count from March so that the leap day is the last day of the counted year.
  if (month <= 2) year -= 1
  const era = Math.floor(year / 400)
  const yearOfEra = year - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

/**
 * Whole months from `from` to `to` (negative when `to` is earlier). A month is complete on the day with
 * the same number; when the month has no such day, on its last day (Czech Civil Code § 605(2)).
 */
export function wholeMonths(from: number, to: number): number {
  if (to < from) return -wholeMonths(to, from)
  const fy = Math.floor(from / 10000)
  const fm = Math.floor(from / 100) % 100
  const fd = from % 100
  const ty = Math.floor(to / 10000)
  const tm = Math.floor(to / 100) % 100
  const td = to % 100
  let months = (ty - fy) * 12 + (tm - fm)
  const anniversary = Math.min(fd, daysInMonth(ty, tm))
  if (td < anniversary) months -= 1
  return months
}

/**
 * `age_on(birthDate, referenceDate)`: age in whole years on the reference date; null when either date
 * is null/missing; an invalid date stops the evaluation (fail closed). Someone born on 29 February
 * reaches a new age on 28 February in common years (Czech Civil Code § 605(2)).
 */
export function ageOn(birthDate: unknown, referenceDate: unknown): number | null {
  if (
    birthDate === null ||
    birthDate === undefined ||
    referenceDate === null ||
    referenceDate === undefined
  ) {
    return null
  }
  return wholeYears(parseOrThrow(birthDate), parseOrThrow(referenceDate))
}

/** Age in whole years between two packed dates (see `ageOn`). */
export function wholeYears(birth: number, reference: number): number {
  const bm = Math.floor(birth / 100) % 100
  const bd = birth % 100
  const ry = Math.floor(reference / 10000)
  const rm = Math.floor(reference / 100) % 100
  const rd = reference % 100
  let years = ry - Math.floor(birth / 10000)
  if (rm < bm || (rm === bm && rd < Math.min(bd, daysInMonth(ry, bm)))) years -= 1
  return years
}

/** `months_between(a, b)`: whole months from a to b (negative when b is earlier); null on missing dates. */
export function monthsBetween(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  return wholeMonths(parseOrThrow(a), parseOrThrow(b))
}

/** `days_between(a, b)`: calendar days from a to b (negative when b is earlier); null on missing dates. */
export function daysBetween(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  return dayNumber(parseOrThrow(b)) - dayNumber(parseOrThrow(a))
}

/** `date_before(a, b)`: whether date a is strictly earlier than date b; null on missing dates. */
export function dateBefore(a: unknown, b: unknown): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  return parseOrThrow(a) < parseOrThrow(b)
}

/** `date_after(a, b)`: whether date a is strictly later than date b; null on missing dates. */
export function dateAfter(a: unknown, b: unknown): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null
  return parseOrThrow(a) > parseOrThrow(b)
}

/* ------------------------------------------------------------------------------------------------ */
/* Eager operators: evaluated arguments in, value out. The compiler specialises the common shapes;   */
/* these are the general forms (also used by the traced evaluation).                                 */
/* ------------------------------------------------------------------------------------------------ */

type Eager = (args: readonly any[], data: unknown) => unknown

function inOperator(needle: unknown, haystack: any): boolean {
  if (!haystack || typeof haystack.indexOf === 'undefined') return false
  if (Array.isArray(haystack)) checkArrayLength(haystack)
  return haystack.indexOf(needle) !== -1
}

function substr(source: unknown, start: any, end: any): string {
  if (end < 0) {
    // A negative length cuts from the end (json-logic-js emulates PHP here).
    const rest = String(source).substr(start)
    return rest.substr(0, (rest.length as any) + end)
  }
  return String(source).substr(start, end)
}

function missing(keys: readonly unknown[], data: unknown): unknown[] {
  const list = Array.isArray(keys[0]) ? (keys[0] as unknown[]) : keys
  const result: unknown[] = []
  for (const key of list) {
    const value = readPath(data, splitPath(String(key)), null)
    if (value === null || value === '') result.push(key)
  }
  return result
}

/** The general implementation of every eager operator (json-logic-js semantics for standard ones). */
export const EAGER_OPERATORS: Readonly<Record<string, Eager>> = {
  // eslint-disable-next-line eqeqeq
  '==': (a) => a[0] == a[1],
  '===': (a) => a[0] === a[1],
  // eslint-disable-next-line eqeqeq
  '!=': (a) => a[0] != a[1],
  '!==': (a) => a[0] !== a[1],
  '<': (a) => (a[2] === undefined ? a[0] < a[1] : a[0] < a[1] && a[1] < a[2]),
  '<=': (a) => (a[2] === undefined ? a[0] <= a[1] : a[0] <= a[1] && a[1] <= a[2]),
  '>': (a) => a[0] > a[1],
  '>=': (a) => a[0] >= a[1],
  '!': (a) => !truthy(a[0]),
  '!!': (a) => truthy(a[0]),
  'in': (a) => inOperator(a[0], a[1]),
  'missing': (a, data) => missing(a, data),
  'missing_some': (a, data) => {
    const options = a[1]
    const absent = missing(Array.isArray(options) ? options : [options], data)
    return options.length - absent.length >= a[0] ? [] : absent
  },
  '+': (a) => {
    let sum: number = 0
    for (const value of a) sum = toNumber(sum) + toNumber(value)
    return sum
  },
  '-': (a) => (a[1] === undefined ? -a[0] : a[0] - a[1]),
  '*': (a) => {
    let product: any = a[0]
    for (let i = 1; i < a.length; i++) product = toNumber(product) * toNumber(a[i])
    return product
  },
  '/': (a) => a[0] / a[1],
  '%': (a) => a[0] % a[1],
  'min': (a) => Math.min(...a),
  'max': (a) => Math.max(...a),
  'cat': (a) => a.join(''),
  'substr': (a) => substr(a[0], a[1], a[2]),
  'merge': (a) => {
    let merged: unknown[] = []
    for (const value of a) {
      if (Array.isArray(value)) checkArrayLength(value)
      merged = merged.concat(value)
    }
    return merged
  },
  'age_on': (a) => ageOn(a[0], a[1]),
  'months_between': (a) => monthsBetween(a[0], a[1]),
  'days_between': (a) => daysBetween(a[0], a[1]),
  'date_before': (a) => dateBefore(a[0], a[1]),
  'date_after': (a) => dateAfter(a[0], a[1]),
}

/** Exposes the general `in` and `substr` implementations to the compiler. */
export const helpers = { inOperator, substr, missing }

/** Something with json-logic-js's `add_operation` (the library itself). */
export interface OperationRegistry {
  add_operation(name: string, code: (...args: any[]) => unknown): void
}

/**
 * Registers our custom operators on a json-logic-js instance, so the reference library can evaluate the
 * same rules (tests and the benchmark compare against it).
 */
export function installCustomOperators(registry: OperationRegistry): void {
  registry.add_operation('age_on', (a: unknown, b: unknown) => ageOn(a, b))
  registry.add_operation('months_between', (a: unknown, b: unknown) => monthsBetween(a, b))
  registry.add_operation('days_between', (a: unknown, b: unknown) => daysBetween(a, b))
  registry.add_operation('date_before', (a: unknown, b: unknown) => dateBefore(a, b))
  registry.add_operation('date_after', (a: unknown, b: unknown) => dateAfter(a, b))
}
