import { usePage } from '@inertiajs/vue3'
import { useI18n } from '~/i18n'
import type { TenantSummary } from '~/components/types'

/**
 * Translated names of codes the server sends (roles, tenant kinds, statuses, countries,
 * audit actions), falling back to the code itself when no translation exists, plus
 * date-only formatting.
 */
export function useLabels() {
  const { t, locale, date } = useI18n()
  const page = usePage<{ messages: Record<string, string> }>()

  function has(key: string) {
    return page.props.messages?.[key] !== undefined
  }
  function or(key: string, fallback: string, values: Record<string, unknown> = {}) {
    return has(key) ? t(key, values) : fallback
  }

  const role = (code: string) => or(`roles.${code}`, code)
  const kind = (code: string) => or(`kinds.${code}`, code)
  const status = (code: string) => or(`statuses.${code}`, code)
  const country = (code: string) => or(`countries.${code}`, code)
  const citizenship = (code: string | null | undefined) =>
    code ? or(`citizenship.${code}`, code) : ''
  const language = (code: string) => or(`languages.${code}`, code)
  const nativeLanguage = (code: string) => or(`languages_native.${code}`, code)
  const action = (code: string) => or(`audit.actions.${code}`, code)

  /** A date given as YYYY-MM-DD (or a full ISO timestamp), without the time. */
  function day(value: string | null | undefined) {
    if (!value) return ''
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00`)
      : new Date(value)
    if (Number.isNaN(parsed.getTime())) return value
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }).format(parsed)
  }

  /** The tenant's tagline in the current language, if it has one. */
  function tagline(tenant: Pick<TenantSummary, 'branding'> | null | undefined) {
    const taglines = tenant?.branding?.tagline as Record<string, string | undefined> | undefined
    return taglines?.[locale.value] || ''
  }

  return {
    t,
    locale,
    date,
    day,
    has,
    or,
    role,
    kind,
    status,
    country,
    citizenship,
    language,
    nativeLanguage,
    action,
    tagline,
  }
}

/** Black or white text, whichever reads better on a background colour (WCAG contrast). */
export function readableOn(background: string | null | undefined): string {
  const hex = (background ?? '').trim().replace(/^#/, '')
  const full = hex.length === 3 ? hex.replace(/(.)/g, '$1$1') : hex
  if (!/^[0-9a-fA-F]{6}$/.test(full)) return '#ffffff'
  const channel = (i: number) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
  const contrastWithWhite = 1.05 / (luminance + 0.05)
  const contrastWithBlack = (luminance + 0.05) / 0.05
  return contrastWithWhite >= contrastWithBlack ? '#ffffff' : '#0f172a'
}

/** A colour usable as a background, or the platform's blue when the value is not a hex code. */
export function safeColor(value: string | null | undefined, fallback = '#1e3a8a'): string {
  return value && /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value.trim()) ? value.trim() : fallback
}
