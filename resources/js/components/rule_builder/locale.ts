import type { Locale } from '@eligibility/types'

/** The locale the eligibility engine speaks that is closest to the interface's. */
export function engineLocale(locale: string | undefined): Locale {
  return locale === 'cs' || locale === 'en' || locale === 'uk' || locale === 'pl' ? locale : 'en'
}
