import { useProgramLabels } from '~/components/programs/labels'
import { LOCALE_CODES } from '~/components/types'
import type {
  SettingsFormField,
  SettingsFormItem,
  SettingsProblem,
  TranslatedText,
} from '~/components/settings_form/types'

type Described = Pick<SettingsFormItem, 'type' | 'choices' | 'translated'>

/**
 * Settings for people: a stored value formatted by its descriptor (money with the programme's
 * currency, percentages from basis points, choices by their labels, months and dates in the
 * page's language), and the form's own problems as translated sentences.
 */
export function useSettingsFormat() {
  const labels = useProgramLabels()
  const { t, locale, money, percent, day, language } = labels

  function number(value: number) {
    return new Intl.NumberFormat(locale.value).format(value)
  }

  function months(value: number) {
    try {
      return new Intl.NumberFormat(locale.value, {
        style: 'unit',
        unit: 'month',
        unitDisplay: 'long',
      }).format(value)
    } catch {
      return number(value)
    }
  }

  /** A translated text in the page's language, else the first language that has one. */
  function translatedText(value: TranslatedText) {
    const own = value[locale.value as keyof TranslatedText]
    if (own) return own
    for (const code of LOCALE_CODES) if (value[code]) return value[code] as string
    return ''
  }

  /** One stored value (an item of a list, or a whole field's value) for people. */
  function one(field: Described, value: unknown, currency: string): string {
    switch (field.type) {
      case 'money':
        return money(value as number, currency)
      case 'percent':
        return typeof value === 'number' ? percent(value) : t('common.not_set')
      case 'integer':
        return typeof value === 'number' ? number(value) : String(value)
      case 'duration_months':
        return typeof value === 'number' ? months(value) : String(value)
      case 'boolean':
        return value ? t('common.yes') : t('common.no')
      case 'date':
        return typeof value === 'string' ? day(value) : String(value)
      case 'choice': {
        const label = (code: unknown) =>
          field.choices?.find((c) => c.value === code)?.label ?? String(code)
        return Array.isArray(value) ? value.map(label).join(', ') : label(value)
      }
      case 'text':
        if (field.translated && value && typeof value === 'object')
          return translatedText(value as TranslatedText)
        return String(value)
      default:
        return typeof value === 'string' ? value : JSON.stringify(value)
    }
  }

  /** A field's stored value for people ("Not set" when absent or empty). */
  function display(field: SettingsFormField, value: unknown, currency: string): string {
    if (value === undefined || value === null) return t('common.not_set')
    if (field.type === 'list') {
      if (!Array.isArray(value) || value.length === 0) return t('programs_ui.settings.no_items')
      return value
        .map((item) => one(field.of ?? { ...field, type: 'text' }, item, currency))
        .join(', ')
    }
    if (field.type === 'choice' && Array.isArray(value) && value.length === 0)
      return t('programs_ui.settings.none_chosen')
    const text = one(field, value, currency)
    return text === '' ? t('common.not_set') : text
  }

  /** A bound (stored units) in the unit people type, for messages and hints. */
  function bound(type: string, value: number | string, currency: string): string {
    if (typeof value === 'string') return type === 'date' ? day(value) : value
    if (type === 'money') return money(value, currency)
    if (type === 'percent') return percent(value)
    if (type === 'duration_months') return months(value)
    return number(value)
  }

  /** One of the form's problems as a sentence, naming the item or language it is about. */
  function problemText(problem: SettingsProblem, type: string, currency: string): string {
    const values: Record<string, unknown> = { ...problem.values }
    for (const key of ['min', 'max'] as const) {
      const v = problem.values?.[key]
      if (v !== undefined && !/_items$|_choices$|max_length/.test(problem.code))
        values[key] = bound(type, v, currency)
    }
    const message = t(`programs_ui.settings.errors.${problem.code}`, values)
    if (problem.item !== undefined)
      return t('programs_ui.settings.item_problem', { n: problem.item + 1, message })
    if (problem.locale)
      return t('programs_ui.settings.language_problem', {
        language: language(problem.locale),
        message,
      })
    return message
  }

  return { ...labels, display, bound, problemText, months }
}
