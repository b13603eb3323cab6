import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  add,
  allocate,
  divideRounded,
  format,
  money,
  multiplyBp,
  parseDecimal,
  split,
  sub,
  times,
  toDecimalString,
  type RoundingMode,
} from '#ledger/money'
import { CurrencyMismatchError, InvalidPostingError } from '#ledger/errors'

const MODES: RoundingMode[] = ['half_up', 'half_down', 'half_even', 'up', 'down', 'ceil', 'floor']
const amount = fc.integer({ min: -900_000_000_000_000, max: 900_000_000_000_000 })
const currency = fc.constantFrom('CZK', 'PLN', 'EUR')
const abs = (value: bigint) => (value < 0n ? -value : value)

test.group('Ledger / money: properties', () => {
  test('split never loses or creates a minor unit, and parts differ by at most one', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 500 }), currency, (minor, parts, cur) => {
        const pieces = split(money(minor, cur), parts)
        if (pieces.length !== parts) return false
        const total = pieces.reduce((acc, piece) => acc + BigInt(piece.amount), 0n)
        const values = pieces.map((piece) => piece.amount)
        return (
          total === BigInt(minor) &&
          Math.max(...values) - Math.min(...values) <= 1 &&
          pieces.every((piece) => piece.currency === cur && Number.isSafeInteger(piece.amount))
        )
      }),
      { numRuns: 500 }
    )
  })

  test('allocate keeps the total and gives each part its exact share within one minor unit', () => {
    fc.assert(
      fc.property(
        amount,
        fc
          .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 })
          .filter((r) => r.some((x) => x > 0)),
        (minor, ratios) => {
          const parts = allocate(money(minor, 'CZK'), ratios)
          const sumOfParts = parts.reduce((acc, part) => acc + BigInt(part.amount), 0n)
          if (sumOfParts !== BigInt(minor)) return false
          const totalRatio = BigInt(ratios.reduce((acc, r) => acc + r, 0))
          return parts.every((part, index) => {
            // |part − minor × ratio / total| < 1  ⇔  |part × total − minor × ratio| < total
            const exact = BigInt(minor) * BigInt(ratios[index])
            const zeroRatioGetsZero = ratios[index] !== 0 || part.amount === 0
            return zeroRatioGetsZero && abs(BigInt(part.amount) * totalRatio - exact) < totalRatio
          })
        }
      ),
      { numRuns: 500 }
    )
  })

  test('multiplication by basis points stays within the bounds of its rounding mode', () => {
    fc.assert(
      fc.property(
        amount,
        fc.integer({ min: -20_000, max: 100_000 }),
        fc.constantFrom(...MODES),
        (minor, bp, mode) => {
          const result = BigInt(multiplyBp(money(minor, 'CZK'), bp, mode).amount)
          const exact = BigInt(minor) * BigInt(bp) // the true result times 10 000
          const scaled = result * 10_000n
          const error = scaled - exact // signed distance (× 10 000) from the exact value
          if (abs(error) >= 10_000n) return false // never off by a whole unit
          switch (mode) {
            case 'floor':
              return error <= 0n
            case 'ceil':
              return error >= 0n
            case 'down':
              return abs(scaled) <= abs(exact)
            case 'up':
              return abs(scaled) >= abs(exact)
            case 'half_up':
            case 'half_down':
            case 'half_even': {
              if (abs(error) > 5_000n) return false
              if (abs(error) < 5_000n) return true
              // A tie: the mode decides.
              if (mode === 'half_up') return abs(scaled) > abs(exact)
              if (mode === 'half_down') return abs(scaled) < abs(exact)
              return result % 2n === 0n
            }
          }
        }
      ),
      { numRuns: 1000 }
    )
  })

  test('divideRounded agrees with floor and ceil on every sign combination', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }).filter((d) => d !== 0n),
        (n, d) => {
          const floor = divideRounded(n, d, 'floor')
          const ceil = divideRounded(n, d, 'ceil')
          // floor ≤ n/d ≤ ceil, and they differ by at most one.
          const positive = d > 0n
          const lowOk = positive ? floor * d <= n : floor * d >= n
          const highOk = positive ? ceil * d >= n : ceil * d <= n
          return lowOk && highOk && ceil - floor <= 1n && (n % d === 0n) === (ceil === floor)
        }
      ),
      { numRuns: 1000 }
    )
  })

  test('decimal strings round-trip exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), currency, (minor, cur) => {
        const value = money(minor, cur)
        return parseDecimal(toDecimalString(value), cur).amount === minor
      }),
      { numRuns: 500 }
    )
  })

  test('add and sub are inverse, times is repeated addition', () => {
    fc.assert(
      fc.property(amount, amount, fc.integer({ min: 0, max: 5 }), (a, b, n) => {
        const x = money(a, 'PLN')
        const y = money(b, 'PLN')
        let repeated = money(0, 'PLN')
        for (let i = 0; i < n; i++) repeated = add(repeated, x)
        return sub(add(x, y), y).amount === a && times(x, n).amount === repeated.amount
      })
    )
  })
})

test.group('Ledger / money: examples', () => {
  test('rounding modes on ties and signs', ({ assert }) => {
    const cases: [number, RoundingMode, number][] = [
      [25, 'half_up', 3],
      [25, 'half_down', 2],
      [25, 'half_even', 2],
      [35, 'half_even', 4],
      [-25, 'half_up', -3],
      [-25, 'half_down', -2],
      [-25, 'half_even', -2],
      [21, 'up', 3],
      [-21, 'up', -3],
      [29, 'down', 2],
      [-29, 'down', -2],
      [-21, 'floor', -3],
      [-29, 'ceil', -2],
    ]
    for (const [tenths, mode, expected] of cases) {
      assert.equal(
        Number(divideRounded(BigInt(tenths), 10n, mode)),
        expected,
        `${tenths}/10 ${mode}`
      )
    }
  })

  test('the co-payment of Darujeme kroužky: 20 % of 1250 CZK is 250 CZK', ({ assert }) => {
    assert.equal(multiplyBp(money(125_000, 'CZK'), 2000, 'half_up').amount, 25_000)
    assert.equal(multiplyBp(money(99, 'CZK'), 2000, 'half_up').amount, 20) // 19.8 → 20
    assert.equal(multiplyBp(money(99, 'CZK'), 2000, 'floor').amount, 19)
  })

  test('split 100 into 3 is 34 + 33 + 33; negative amounts split symmetrically', ({ assert }) => {
    assert.deepEqual(
      split(money(100, 'CZK'), 3).map((m) => m.amount),
      [34, 33, 33]
    )
    assert.deepEqual(
      split(money(-100, 'CZK'), 3).map((m) => m.amount),
      [-34, -33, -33]
    )
    assert.deepEqual(
      allocate(money(1000, 'EUR'), [1, 0, 2]).map((m) => m.amount),
      [333, 0, 667]
    )
  })

  test('formats with Intl in cs, en, uk and pl, exactly even beyond float precision', ({
    assert,
  }) => {
    const nbsp = /[\u00a0\u202f]/g
    const price = money(125_050, 'CZK')
    assert.equal(format(price, 'cs').replace(nbsp, ' '), '1 250,50 Kč')
    assert.equal(
      format(price, 'en'),
      new Intl.NumberFormat('en', { style: 'currency', currency: 'CZK' }).format(1250.5)
    )
    assert.equal(format(money(-999, 'PLN'), 'pl').replace(nbsp, ' '), '-9,99 zł')
    assert.match(format(price, 'uk').replace(nbsp, ' '), /^1 250,50/)
    // 2^53 − 1 hellers: a float would print …740 991,00 or round; the exact string keeps ,91.
    assert.include(
      format(money(Number.MAX_SAFE_INTEGER, 'CZK'), 'cs').replace(nbsp, ' '),
      '90 071 992 547 409,91'
    )
  })

  test('refuses floats, unknown currencies and mixed currencies', ({ assert }) => {
    assert.throws(() => money(1.5, 'CZK'), InvalidPostingError as any)
    assert.throws(() => money(Number.MAX_SAFE_INTEGER + 1, 'CZK'), InvalidPostingError as any)
    assert.throws(() => money(100, 'USD'), InvalidPostingError as any)
    assert.throws(() => add(money(1, 'CZK'), money(1, 'EUR')), CurrencyMismatchError as any)
    assert.throws(
      () => multiplyBp(money(Number.MAX_SAFE_INTEGER, 'CZK'), 20_000, 'floor'),
      InvalidPostingError as any
    )
    assert.throws(() => parseDecimal('1.005', 'CZK'), InvalidPostingError as any)
  })
})
