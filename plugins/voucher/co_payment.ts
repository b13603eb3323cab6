/*
 * The co-payment arithmetic of voucher programs ("Darujeme kroužky dětem": the family pays at least
 * 20 % of an activity's price). With n vouchers of face value V and a co-payment share p, the
 * vouchers may cover at most (1 − p) of the price, so the price must be at least n·V / (1 − p):
 * with V = 1000 CZK and p = 20 %, one voucher needs a price of 1250 CZK, two need 2500 CZK.
 *
 * Everything is in integer minor units and basis points (10000 = 100 %); the division rounds up,
 * so a price that passes never leaves the family below its share.
 */

/** Basis points in 100 %. */
const WHOLE = 10_000n

/** The inputs of the co-payment rule. */
export interface CoPaymentTerms {
  /** Vouchers applied to the activity (n ≥ 0). */
  voucherCount: number
  /** Face value of one voucher in minor units (V ≥ 0). */
  faceValueMinor: number
  /** The family's minimum share of the price in basis points (0 ≤ p < 10000). */
  coPaymentBasisPoints: number
}

function checked(terms: CoPaymentTerms): { n: bigint; v: bigint; p: bigint } {
  const { voucherCount, faceValueMinor, coPaymentBasisPoints } = terms
  if (!Number.isSafeInteger(voucherCount) || voucherCount < 0)
    throw new RangeError('voucherCount must be a whole number ≥ 0')
  if (!Number.isSafeInteger(faceValueMinor) || faceValueMinor < 0)
    throw new RangeError('faceValueMinor must be a whole number ≥ 0')
  if (
    !Number.isSafeInteger(coPaymentBasisPoints) ||
    coPaymentBasisPoints < 0 ||
    coPaymentBasisPoints >= 10_000
  ) {
    throw new RangeError('coPaymentBasisPoints must be a whole number from 0 to 9999')
  }
  return { n: BigInt(voucherCount), v: BigInt(faceValueMinor), p: BigInt(coPaymentBasisPoints) }
}

/**
 * The lowest activity price (minor units) that `voucherCount` vouchers may be applied to:
 * ⌈n·V·10000 / (10000 − p)⌉. Throws `RangeError` on negative, fractional or out-of-range inputs.
 */
export function minimumActivityPriceMinor(terms: CoPaymentTerms): number {
  const { n, v, p } = checked(terms)
  const numerator = n * v * WHOLE
  const denominator = WHOLE - p
  const minimum = (numerator + denominator - 1n) / denominator
  if (minimum > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('minimum price is too large')
  return Number(minimum)
}

/**
 * Whether the vouchers may pay towards an activity of this price: the family's part
 * (price − n·V) is at least p of the price, i.e. (price − n·V)·10000 ≥ p·price.
 */
export function coversCoPayment(priceMinor: number, terms: CoPaymentTerms): boolean {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0)
    throw new RangeError('priceMinor must be a whole number ≥ 0')
  const { n, v, p } = checked(terms)
  const price = BigInt(priceMinor)
  return (price - n * v) * WHOLE >= p * price
}
