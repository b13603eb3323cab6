/*
 * Money: integer minor units plus an ISO 4217 currency, never floats (architecture guide,
 * point 9). Arithmetic that could leave the safe-integer range (multiplication by basis points)
 * runs on BigInt and is checked on the way back; every rounding names its mode; splitting never
 * loses or creates a minor unit.
 */
import { CurrencyMismatchError, InvalidPostingError } from './errors.js'

/** The currencies programs may use (program_versions.currency). */
export const CURRENCIES = ['CZK', 'PLN', 'EUR'] as const

/** A currency a program may use. */
export type Currency = (typeof CURRENCIES)[number]

/** An amount of money: integer minor units (hellers, groszy, cents) and its currency. */
export interface Money {
  readonly amount: number
  readonly currency: Currency
}

/**
 * How a division rounds: `half_up` and `half_down` send ties away from / towards zero,
 * `half_even` sends them to the even neighbour (banker's rounding), `up` / `down` round away
 * from / towards zero, `ceil` / `floor` towards +∞ / −∞.
 */
export type RoundingMode = 'half_up' | 'half_down' | 'half_even' | 'up' | 'down' | 'ceil' | 'floor'

/** The locales the platform speaks. */
export type MoneyLocale = 'cs' | 'en' | 'uk' | 'pl'

/** Basis points in one whole (10 000 bp = 100 %). */
export const BP_PER_WHOLE = 10_000

function assertMinor(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount)) {
    throw new InvalidPostingError('not_minor_units', { [what]: String(amount) })
  }
  return amount
}

function assertCurrency(currency: string): Currency {
  if (!(CURRENCIES as readonly string[]).includes(currency)) {
    throw new InvalidPostingError('unknown_currency', { currency })
  }
  return currency as Currency
}

function toSafe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new InvalidPostingError('amount_out_of_range', { amount: value.toString() })
  }
  return Number(value)
}

/** Creates a Money value, refusing anything but a safe integer of minor units in a known currency. */
export function money(amount: number, currency: string): Money {
  return Object.freeze({ amount: assertMinor(amount), currency: assertCurrency(currency) })
}

/** The zero amount of a currency. */
export function zero(currency: string): Money {
  return money(0, currency)
}

function sameCurrency(a: Money, b: Money) {
  if (a.currency !== b.currency)
    throw new CurrencyMismatchError({ expected: a.currency, actual: b.currency })
}

/** a + b (same currency). */
export function add(a: Money, b: Money): Money {
  sameCurrency(a, b)
  return money(a.amount + b.amount, a.currency)
}

/** a − b (same currency). */
export function sub(a: Money, b: Money): Money {
  sameCurrency(a, b)
  return money(a.amount - b.amount, a.currency)
}

/** The sum of amounts of one currency (zero of `currency` for an empty list). */
export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((total, item) => add(total, item), zero(currency))
}

/** −a. */
export function negate(a: Money): Money {
  return money(a.amount === 0 ? 0 : -a.amount, a.currency)
}

/** a × n for an integer n (a count of items). */
export function times(a: Money, n: number): Money {
  assertMinor(n, 'factor')
  return money(toSafe(BigInt(a.amount) * BigInt(n)), a.currency)
}

/**
 * numerator / denominator on integers, rounded by `mode` (denominator ≠ 0). Exact: no float
 * ever takes part.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero')
  if (denominator < 0n) {
    numerator = -numerator
    denominator = -denominator
  }
  const negative = numerator < 0n
  const magnitude = negative ? -numerator : numerator
  const quotient = magnitude / denominator // truncated towards zero
  const remainder = magnitude % denominator
  if (remainder === 0n) return negative ? -quotient : quotient
  const twice = remainder * 2n
  let awayFromZero: boolean
  switch (mode) {
    case 'down':
      awayFromZero = false
      break
    case 'up':
      awayFromZero = true
      break
    case 'floor':
      awayFromZero = negative
      break
    case 'ceil':
      awayFromZero = !negative
      break
    case 'half_up':
      awayFromZero = twice >= denominator
      break
    case 'half_down':
      awayFromZero = twice > denominator
      break
    case 'half_even':
      awayFromZero = twice > denominator || (twice === denominator && quotient % 2n === 1n)
      break
  }
  const rounded = awayFromZero ? quotient + 1n : quotient
  return negative ? -rounded : rounded
}

/**
 * a × bp / 10 000, rounded by `mode`: a share in basis points (2000 bp = 20 %), for example the
 * co-payment of an activity's price.
 */
export function multiplyBp(a: Money, basisPoints: number, mode: RoundingMode): Money {
  assertMinor(basisPoints, 'basisPoints')
  const product = BigInt(a.amount) * BigInt(basisPoints)
  return money(toSafe(divideRounded(product, BigInt(BP_PER_WHOLE), mode)), a.currency)
}

/**
 * Splits `a` in proportion to non-negative integer `ratios` (largest remainder method): the
 * parts always add up to `a` exactly, each part is its exact share rounded down or up by less
 * than one minor unit, and leftover units go to the largest remainders (ties: earlier first).
 */
export function allocate(a: Money, ratios: readonly number[]): Money[] {
  if (ratios.length === 0) throw new InvalidPostingError('allocate_without_ratios')
  const weights = ratios.map((ratio) => {
    if (!Number.isSafeInteger(ratio) || ratio < 0) {
      throw new InvalidPostingError('bad_ratio', { ratio: String(ratio) })
    }
    return BigInt(ratio)
  })
  const total = weights.reduce((acc, weight) => acc + weight, 0n)
  if (total === 0n) throw new InvalidPostingError('allocate_without_ratios')
  const negative = a.amount < 0
  const magnitude = BigInt(Math.abs(a.amount))
  const floors = weights.map((weight) => (magnitude * weight) / total)
  const remainders = weights.map((weight) => (magnitude * weight) % total)
  let leftover = magnitude - floors.reduce((acc, part) => acc + part, 0n)
  const order = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((x, y) =>
      x.remainder === y.remainder ? x.index - y.index : x.remainder > y.remainder ? -1 : 1
    )
  for (const { index } of order) {
    if (leftover === 0n) break
    if (weights[index] === 0n) continue
    floors[index] += 1n
    leftover -= 1n
  }
  return floors.map((part) => money(negative ? -Number(part) || 0 : Number(part), a.currency))
}

/** Splits `a` into `parts` amounts that differ by at most one minor unit and add up to `a`. */
export function split(a: Money, parts: number): Money[] {
  if (!Number.isSafeInteger(parts) || parts < 1)
    throw new InvalidPostingError('bad_parts', { parts: String(parts) })
  return allocate(
    a,
    Array.from({ length: parts }, () => 1)
  )
}

/** The number of minor-unit digits of a currency (2 for CZK, PLN, EUR). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  )
}

/** The exact decimal string of an amount in major units ("-1234.50"), built from integers. */
export function toDecimalString(a: Money): string {
  const digits = minorDigits(a.currency)
  const negative = a.amount < 0
  const magnitude = BigInt(Math.abs(a.amount))
    .toString()
    .padStart(digits + 1, '0')
  const whole = magnitude.slice(0, magnitude.length - digits)
  const fraction = digits > 0 ? `.${magnitude.slice(magnitude.length - digits)}` : ''
  return `${negative ? '-' : ''}${whole}${fraction}`
}

/** Parses a decimal string in major units ("1250", "1250.5", "-3.07") into exact minor units. */
export function parseDecimal(text: string, currency: string): Money {
  const digits = minorDigits(currency)
  const match = /^(-)?(\d+)(?:[.,](\d+))?$/.exec(text.trim())
  if (!match || (match[3] ?? '').length > digits) {
    throw new InvalidPostingError('bad_decimal', { text })
  }
  const minor = BigInt(match[2] + (match[3] ?? '').padEnd(digits, '0'))
  return money(toSafe(match[1] ? -minor : minor), currency)
}

/**
 * Formats an amount for people with Intl in one of the platform's locales ("1 250,00 Kč" in cs,
 * "CZK 1,250.00" in en); the number reaches Intl as an exact decimal string, never a float.
 */
export function format(a: Money, locale: MoneyLocale | string): string {
  const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: a.currency })
  return formatter.format(toDecimalString(a) as `${number}`)
}

/** The Money helpers as one namespace (`Money.add(a, b)`). */
export const Money = Object.freeze({
  of: money,
  zero,
  add,
  sub,
  sum,
  negate,
  times,
  multiplyBp,
  divideRounded,
  allocate,
  split,
  minorDigits,
  toDecimalString,
  parseDecimal,
  format,
})
