import type {
  ApplicationApprovedPayload,
  BenefitPosting,
  BookingProblem,
  BookingValidatePayload,
  NavItem,
  NavItemsPayload,
} from '../../app/plugin_engine/hooks.js'
import { minimumActivityPriceMinor } from './co_payment.js'
import type { VoucherSettings } from './settings.js'

/** `application.approved` for voucher programs: the per-child vouchers of the set face value. */
export function voucherPostingsOnApproval(
  payload: ApplicationApprovedPayload,
  settings: VoucherSettings
): BenefitPosting[] {
  const posting: BenefitPosting = {
    kind: 'voucher',
    amountMinor: settings.faceValue,
    count: settings.vouchersPerChildPerPeriod,
    currency: payload.currency,
    periodId: payload.periodId,
  }
  if (settings.expiresAfterMonths !== undefined)
    posting.expiresAfterMonths = settings.expiresAfterMonths
  return [posting]
}

/**
 * `booking.validate` for voucher programs: where the vouchers may be spent, how many go on one
 * activity, and the co-payment (the price must be at least n·V / (1 − p)).
 */
export function voucherBookingProblems(
  payload: BookingValidatePayload,
  settings: VoucherSettings
): BookingProblem[] {
  const count = payload.voucherCount
  if (count === 0) return []
  const problems: BookingProblem[] = []
  if (!settings.spendAt.includes(payload.channel)) {
    problems.push({
      key: `plugins.voucher.not_spendable_${payload.channel}`,
      field: 'voucherCount',
    })
  }
  if (count > settings.vouchersPerChildPerPeriod) {
    problems.push({
      key: 'plugins.voucher.too_many_vouchers',
      field: 'voucherCount',
      values: { max: settings.vouchersPerChildPerPeriod },
    })
  } else if (count > 1 && !settings.allowSeveralOnOneActivity) {
    problems.push({ key: 'plugins.voucher.one_voucher_per_activity', field: 'voucherCount' })
  }
  const minimumPriceMinor = minimumActivityPriceMinor({
    voucherCount: count,
    faceValueMinor: settings.faceValue,
    coPaymentBasisPoints: settings.coPaymentBasisPoints,
  })
  if (payload.activity.priceMinor < minimumPriceMinor) {
    problems.push({
      key: 'plugins.voucher.price_below_minimum',
      field: 'voucherCount',
      values: {
        voucherCount: count,
        minimumPriceMinor,
        minimumPrice: minimumPriceMinor / 100,
        currency: payload.activity.currency,
        coPaymentPercent: settings.coPaymentBasisPoints / 100,
      },
    })
  }
  return problems
}

/**
 * `program.nav_items` for voucher programs: in the portal, the person's vouchers of the program
 * (with their QR codes); in the admin, the vouchers the program issued.
 */
export function voucherNavItems(payload: NavItemsPayload): NavItem[] {
  const params = { programId: payload.programId }
  if (payload.area === 'portal') {
    return [
      {
        labelKey: 'plugins.voucher.ui.nav.my_vouchers',
        routeName: 'plugins.voucher.portal.vouchers.index',
        params,
      },
    ]
  }
  if (payload.area === 'admin') {
    return [
      {
        labelKey: 'plugins.voucher.ui.nav.issued',
        routeName: 'plugins.voucher.admin.vouchers.index',
        params,
      },
    ]
  }
  return []
}
