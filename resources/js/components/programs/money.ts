/*
 * Money as people type it (major units) and as programmes store it (integer minor units). Kept
 * apart from the rule builder so that pages without it do not load the eligibility engine.
 */

/** The number of minor-unit digits of a currency (2 for CZK, PLN, EUR). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

/** Minor units (stored) to major units (typed by people), or '' when not a number. */
export function toMajor(minor: unknown, currency: string): number | '' {
  if (typeof minor !== 'number' || !Number.isFinite(minor)) return ''
  return minor / 10 ** currencyDigits(currency)
}

/** Major units (typed) to integer minor units (stored), or '' when empty or not a number. */
export function toMinor(major: unknown, currency: string): number | '' {
  if (major === '' || major === null || major === undefined) return ''
  const value = typeof major === 'number' ? major : Number(String(major).replace(',', '.'))
  if (!Number.isFinite(value)) return ''
  return Math.round(value * 10 ** currencyDigits(currency))
}
