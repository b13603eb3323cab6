import { useLabels } from '~/components/labels'
import { currencyDigits } from '~/components/programs/money'
import type { Translated } from '~/components/programs/types'

/**
 * Programme texts: a translated name in the current language (Czech when missing), money from
 * minor units, percentages from basis points, statuses and types.
 */
export function useProgramLabels() {
  const labels = useLabels()
  const { t, locale, or } = labels

  function pick(text: Translated | null | undefined): string {
    if (!text) return ''
    return (text as Record<string, string | undefined>)[locale.value] || text.cs || text.en || ''
  }

  function money(minor: number | null | undefined, currency: string): string {
    if (typeof minor !== 'number' || !Number.isFinite(minor)) return t('common.not_set')
    const digits = currencyDigits(currency)
    const major = minor / 10 ** digits
    const fraction = Number.isInteger(major) ? 0 : digits
    try {
      return new Intl.NumberFormat(locale.value, {
        style: 'currency',
        currency,
        minimumFractionDigits: fraction,
        maximumFractionDigits: fraction,
      }).format(major)
    } catch {
      return `${major} ${currency}`
    }
  }

  function percent(basisPoints: number | null | undefined): string {
    const value = typeof basisPoints === 'number' ? basisPoints / 100 : 0
    return new Intl.NumberFormat(locale.value, { maximumFractionDigits: 2 }).format(value) + ' %'
  }

  const status = (code: string) => or(`programs_ui.status.${code}`, code)
  const plugin = (code: string) => or(`programs_ui.plugin.${code}`, code)
  const category = (code: string) => or(`programs_ui.category.${code}`, code)

  return { ...labels, pick, money, percent, status, plugin, category }
}
