import { test } from '@japa/runner'
import fc from 'fast-check'
import { HookDispatcher } from '../../../app/plugin_engine/dispatcher.js'
import {
  HookRefusal,
  type ApplicationApprovedPayload,
  type BookingValidatePayload,
} from '../../../app/plugin_engine/hooks.js'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import { creditPostingsOnApproval } from '../../../plugins/credit/hooks.js'
import { creditSettings } from '../../../plugins/credit/settings.js'
import { coversCoPayment, minimumActivityPriceMinor } from '../../../plugins/voucher/co_payment.js'
import {
  voucherBookingProblems,
  voucherPostingsOnApproval,
} from '../../../plugins/voucher/hooks.js'
import { voucherSettings } from '../../../plugins/voucher/settings.js'
import { PROJECT_ROOT } from './fixtures.js'

const APPROVED: ApplicationApprovedPayload = {
  tenantId: 't1',
  programId: 'p1',
  applicationId: 'a1',
  beneficiaryUserId: 'u1',
  childId: 'c1',
  householdId: 'h1',
  periodId: '2026-h1',
  currency: 'CZK',
  householdGrantedMinor: 0,
}

/** A catalogue booking of an activity priced `priceMinor` with `voucherCount` vouchers. */
const booking = (
  priceMinor: number,
  voucherCount: number,
  channel: 'catalog' | 'till' = 'catalog'
): BookingValidatePayload => ({
  tenantId: 't1',
  programId: 'p1',
  bookingId: null,
  channel,
  activity: { id: 'act1', priceMinor, currency: 'CZK' },
  voucherCount,
  creditMinor: 0,
})

/** "Darujeme kroužky dětem": 2 vouchers of 1000 CZK per child and half-year, 20 % co-payment. */
const DK = await voucherSettings.load({})

test.group('credit plugin', () => {
  test('an approval grants the per-child amount as one credit posting', async ({ assert }) => {
    const settings = await creditSettings.load({})
    assert.deepEqual(creditPostingsOnApproval(APPROVED, settings), [
      { kind: 'credit', amountMinor: 100_000, count: 1, currency: 'CZK', periodId: '2026-h1' },
    ])
  })

  test('the household cap cuts the amount, then refuses', async ({ assert }) => {
    const settings = await creditSettings.load({
      amountPerChildPerPeriod: 100_000,
      maxPerHousehold: 250_000,
      expiresAfterMonths: 6,
    })
    assert.deepEqual(
      creditPostingsOnApproval({ ...APPROVED, householdGrantedMinor: 200_000 }, settings),
      [
        {
          kind: 'credit',
          amountMinor: 50_000,
          count: 1,
          currency: 'CZK',
          periodId: '2026-h1',
          expiresAfterMonths: 6,
        },
      ]
    )
    assert.throws(
      () => creditPostingsOnApproval({ ...APPROVED, householdGrantedMinor: 250_000 }, settings),
      HookRefusal as any
    )
  })

  test('through the dispatcher, with the program settings of Praha 6', async ({ assert }) => {
    const dispatcher = new HookDispatcher(await PluginRegistry.load({ root: PROJECT_ROOT }))
    const outcome = await dispatcher.dispatch('application.approved', {
      pluginIds: ['credit'],
      payload: APPROVED,
      settings: { credit: { amountPerChildPerPeriod: 60_000, spendableInCatalog: true } },
    })
    assert.deepEqual(outcome.results, [
      {
        pluginId: 'credit',
        result: [
          { kind: 'credit', amountMinor: 60_000, count: 1, currency: 'CZK', periodId: '2026-h1' },
        ],
      },
    ])
  })
})

test.group('voucher plugin', () => {
  test('an approval issues the vouchers of the set face value', ({ assert }) => {
    assert.deepEqual(voucherPostingsOnApproval(APPROVED, DK), [
      { kind: 'voucher', amountMinor: 100_000, count: 2, currency: 'CZK', periodId: '2026-h1' },
    ])
  })

  test('through the dispatcher, both hooks of a Darujeme kroužky program', async ({ assert }) => {
    const dispatcher = new HookDispatcher(await PluginRegistry.load({ root: PROJECT_ROOT }))
    const settings = {
      voucher: {
        vouchersPerChildPerPeriod: 2,
        faceValue: 100_000,
        spendAt: ['catalog'],
        coPaymentBasisPoints: 2000,
      },
    }
    const approved = await dispatcher.dispatch('application.approved', {
      pluginIds: ['voucher'],
      payload: APPROVED,
      settings,
    })
    assert.deepEqual(approved.results[0].result, [
      { kind: 'voucher', amountMinor: 100_000, count: 2, currency: 'CZK', periodId: '2026-h1' },
    ])
    const fine = await dispatcher.dispatch('booking.validate', {
      pluginIds: ['voucher'],
      payload: booking(250_000, 2),
      settings,
    })
    assert.deepEqual(fine.results[0].result, [])
    const cheap = await dispatcher.dispatch('booking.validate', {
      pluginIds: ['voucher'],
      payload: booking(249_999, 2),
      settings,
    })
    assert.deepEqual(cheap.results[0].result, [
      {
        key: 'plugins.voucher.price_below_minimum',
        field: 'voucherCount',
        values: {
          voucherCount: 2,
          minimumPriceMinor: 250_000,
          minimumPrice: 2500,
          currency: 'CZK',
          coPaymentPercent: 20,
        },
      },
    ])
  })

  test('the minimum prices of Darujeme kroužky: 1250 CZK for one voucher, 2500 CZK for two', ({
    assert,
  }) => {
    const terms = { faceValueMinor: 100_000, coPaymentBasisPoints: 2000 }
    assert.equal(minimumActivityPriceMinor({ ...terms, voucherCount: 1 }), 125_000)
    assert.equal(minimumActivityPriceMinor({ ...terms, voucherCount: 2 }), 250_000)
    assert.equal(minimumActivityPriceMinor({ ...terms, voucherCount: 0 }), 0)
    assert.equal(
      minimumActivityPriceMinor({ voucherCount: 1, faceValueMinor: 100, coPaymentBasisPoints: 0 }),
      100
    )
    // 1 × 1 / (1 − 0.3) = 1.43 → rounds up to 2.
    assert.equal(
      minimumActivityPriceMinor({ voucherCount: 1, faceValueMinor: 1, coPaymentBasisPoints: 3000 }),
      2
    )
    assert.throws(
      () => minimumActivityPriceMinor({ ...terms, voucherCount: 1, coPaymentBasisPoints: 10_000 }),
      RangeError
    )
    assert.throws(() => minimumActivityPriceMinor({ ...terms, voucherCount: 1.5 }), RangeError)
  })

  test('bookings below the minimum are refused, at or above it accepted', ({ assert }) => {
    const keys = (priceMinor: number, count: number) =>
      voucherBookingProblems(booking(priceMinor, count), DK).map((p) => p.key)
    assert.deepEqual(keys(124_999, 1), ['plugins.voucher.price_below_minimum'])
    assert.deepEqual(keys(125_000, 1), [])
    assert.deepEqual(keys(249_999, 2), ['plugins.voucher.price_below_minimum'])
    assert.deepEqual(keys(250_000, 2), [])
    assert.deepEqual(keys(900_000, 2), [])
    assert.deepEqual(keys(50_000, 0), [])
  })

  test('where, how many and how many per activity', async ({ assert }) => {
    const keys = (payload: BookingValidatePayload, settings = DK) =>
      voucherBookingProblems(payload, settings).map((p) => p.key)
    assert.deepEqual(keys(booking(500_000, 1, 'till')), ['plugins.voucher.not_spendable_till'])
    assert.deepEqual(keys(booking(500_000, 3)), ['plugins.voucher.too_many_vouchers'])
    const onePerActivity = await voucherSettings.load({ allowSeveralOnOneActivity: false })
    assert.deepEqual(keys(booking(500_000, 2), onePerActivity), [
      'plugins.voucher.one_voucher_per_activity',
    ])
    const seniors = await voucherSettings.load({
      vouchersPerChildPerPeriod: 1,
      faceValue: 50_000,
      spendAt: ['till'],
      coPaymentBasisPoints: 0,
    })
    assert.deepEqual(keys(booking(50_000, 1, 'till'), seniors), [])
    assert.deepEqual(keys(booking(50_000, 1, 'catalog'), seniors), [
      'plugins.voucher.not_spendable_catalog',
    ])
  })

  test('property: an accepted price leaves the family at least p and the vouchers at most (1 − p) of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 9_999 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        (voucherCount, faceValueMinor, coPaymentBasisPoints, extra) => {
          const terms = { voucherCount, faceValueMinor, coPaymentBasisPoints }
          const minimum = minimumActivityPriceMinor(terms)
          for (const price of [minimum, minimum + 1, minimum + extra]) {
            const vouchers = BigInt(voucherCount * faceValueMinor)
            const family = BigInt(price) - vouchers
            const p = BigInt(coPaymentBasisPoints)
            // The family pays at least p of the price ...
            if (family * 10_000n < p * BigInt(price)) return false
            // ... so the vouchers never cover more than (1 − p) of it.
            if (vouchers * 10_000n > (10_000n - p) * BigInt(price)) return false
            if (!coversCoPayment(price, terms)) return false
          }
          // The minimum is tight: one minor unit less breaks the co-payment.
          return minimum === 0 || !coversCoPayment(minimum - 1, terms)
        }
      ),
      { numRuns: 2000 }
    )
  })

  test('property: the booking hook accepts exactly the prices that cover the co-payment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 600_000 }),
        (count, price) => {
          const refused = voucherBookingProblems(booking(price, count), DK).length > 0
          const covered = coversCoPayment(price, {
            voucherCount: count,
            faceValueMinor: 100_000,
            coPaymentBasisPoints: 2000,
          })
          return refused === !covered
        }
      )
    )
  })
})
