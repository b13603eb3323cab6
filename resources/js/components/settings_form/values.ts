/*
 * Settings values as stored (money in minor units, percentages in basis points) and as typed into
 * the generated form ("drafts": what the inputs hold, money in major units, percentages in %).
 * Pure functions, so the form component only wires them to inputs.
 */
import { currencyDigits } from '~/components/programs/money'
import { LOCALE_CODES, type LocaleCode } from '~/components/types'
import type {
  SettingsFormField,
  SettingsFormItem,
  SettingsProblem,
  SettingsValues,
  TranslatedText,
} from '~/components/settings_form/types'

/** What one field's inputs hold. */
export type Draft = string | boolean | string[] | Record<LocaleCode, string>

/** The outcome of reading a draft: the stored value (`undefined`: absent) and what is wrong. */
export interface Parsed {
  value: unknown
  problems: SettingsProblem[]
}

/** Types whose items are typed into a text or number input. */
const NUMERIC = new Set(['money', 'integer', 'percent', 'duration_months'])

/** Whether a field is edited as a number (money, integer, percent, months). */
export function isNumeric(type: string): boolean {
  return NUMERIC.has(type)
}

/** How many decimals a number field accepts: the currency's for money, 2 for %, else none. */
export function decimalsOf(type: string, currency: string): number {
  if (type === 'money') return currencyDigits(currency)
  if (type === 'percent') return 2
  return 0
}

/** The factor from what people type to what is stored (100 for CZK and for %, else 1). */
function scaleOf(type: string, currency: string): number {
  return 10 ** decimalsOf(type, currency)
}

/** A stored number as people type it: 150000 (money, CZK) → "1500", 2000 (percent) → "20". */
export function numberToDraft(type: string, value: unknown, currency: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return ''
  const scale = scaleOf(type, currency)
  // Rounded to the allowed decimals, so float noise (0.1 + 0.2) never shows.
  return String(Number((value / scale).toFixed(decimalsOf(type, currency))))
}

/** A stored bound shown in the unit people type (for the inputs' min and max attributes). */
export function boundToInput(type: string, bound: unknown, currency: string): string | undefined {
  if (bound === null || bound === undefined) return undefined
  if (typeof bound === 'string') return bound
  return numberToDraft(type, bound, currency) || undefined
}

/** Reads one scalar as typed (an item of a list, or a whole scalar field). */
export function parseScalar(
  item: Pick<SettingsFormItem, 'type' | 'min' | 'max' | 'maxLength' | 'choices'>,
  draft: string,
  currency: string
): { value: unknown; problem?: SettingsProblem } {
  const text = draft.trim()
  if (text === '') return { value: undefined }
  if (isNumeric(item.type)) {
    const typed = Number(text.replace(/\s/g, '').replace(',', '.'))
    if (!Number.isFinite(typed)) return { value: undefined, problem: { code: 'number' } }
    const scale = scaleOf(item.type, currency)
    const exact = typed * scale
    const value = Math.round(exact)
    if (Math.abs(exact - value) > 1e-6) {
      const digits = decimalsOf(item.type, currency)
      return {
        value,
        problem: digits === 0 ? { code: 'integer' } : { code: 'decimals', values: { digits } },
      }
    }
    if (typeof item.min === 'number' && value < item.min)
      return { value, problem: { code: 'min', values: { min: item.min } } }
    if (typeof item.max === 'number' && value > item.max)
      return { value, problem: { code: 'max', values: { max: item.max } } }
    return { value }
  }
  if (item.type === 'date') {
    if (!isCalendarDate(text)) return { value: undefined, problem: { code: 'date' } }
    if (typeof item.min === 'string' && text < item.min)
      return { value: text, problem: { code: 'date_min', values: { min: item.min } } }
    if (typeof item.max === 'string' && text > item.max)
      return { value: text, problem: { code: 'date_max', values: { max: item.max } } }
    return { value: text }
  }
  if (item.type === 'text' && item.maxLength !== null && text.length > item.maxLength) {
    return { value: text, problem: { code: 'max_length', values: { max: item.maxLength } } }
  }
  if (item.type === 'text') return { value: text }
  // A single choice (from a select: always one of the choices, or empty).
  return { value: draft }
}

/** Whether `yyyy-mm-dd` is a real calendar date. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const [y, m, d] = value.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

function scalarToDraft(type: string, value: unknown, currency: string): string {
  if (isNumeric(type)) return numberToDraft(type, value, currency)
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return ''
}

/** A field's stored value as its inputs show it. */
export function toDraft(field: SettingsFormField, value: unknown, currency: string): Draft {
  switch (field.type) {
    case 'boolean':
      return value === true
    case 'choice':
      if (field.multiple) return Array.isArray(value) ? value.map(String) : []
      return typeof value === 'string' ? value : ''
    case 'text':
      if (field.translated) {
        const texts = (value && typeof value === 'object' ? value : {}) as TranslatedText
        return Object.fromEntries(LOCALE_CODES.map((code) => [code, texts[code] ?? ''])) as Record<
          LocaleCode,
          string
        >
      }
      return typeof value === 'string' ? value : ''
    case 'list':
      return Array.isArray(value)
        ? value.map((item) => scalarToDraft(field.of?.type ?? 'text', item, currency))
        : []
    default:
      return scalarToDraft(field.type, value, currency)
  }
}

/** Reads a field's inputs: the value to store (`undefined`: leave the setting out) and problems. */
export function fromDraft(field: SettingsFormField, draft: Draft, currency: string): Parsed {
  const problems: SettingsProblem[] = []
  const required = () => {
    if (field.required) problems.push({ code: 'required' })
  }
  switch (field.type) {
    case 'boolean':
      return { value: draft === true, problems }

    case 'choice': {
      if (!field.multiple) {
        const value = typeof draft === 'string' && draft !== '' ? draft : undefined
        if (value === undefined) required()
        return { value, problems }
      }
      const chosen = new Set(Array.isArray(draft) ? draft : [])
      // In the order of the choices, as the declaration lists them.
      const value = (field.choices ?? []).map((c) => c.value).filter((v) => chosen.has(v))
      if (field.minItems !== null && value.length < field.minItems)
        problems.push({ code: 'min_choices', values: { min: field.minItems } })
      if (field.maxItems !== null && value.length > field.maxItems)
        problems.push({ code: 'max_choices', values: { max: field.maxItems } })
      return { value, problems }
    }

    case 'text': {
      if (!field.translated) {
        const { value, problem } = parseScalar(field, String(draft ?? ''), '')
        if (problem) problems.push(problem)
        if (value === undefined) required()
        return { value, problems }
      }
      const texts = (draft && typeof draft === 'object' ? draft : {}) as Record<string, string>
      const value: TranslatedText = {}
      for (const code of LOCALE_CODES) {
        const text = (texts[code] ?? '').trim()
        if (text === '') continue
        value[code] = text
        if (field.maxLength !== null && text.length > field.maxLength)
          problems.push({ code: 'max_length', values: { max: field.maxLength }, locale: code })
      }
      if (Object.keys(value).length === 0) {
        required()
        return { value: undefined, problems }
      }
      return { value, problems }
    }

    case 'list': {
      const item = field.of
      const drafts = Array.isArray(draft) ? draft : []
      const value: unknown[] = []
      drafts.forEach((text, index) => {
        if (!item) return
        const parsed = parseScalar(item, String(text), currency)
        if (parsed.value === undefined && !parsed.problem) {
          problems.push({ code: 'required', item: index })
          return
        }
        if (parsed.problem) problems.push({ ...parsed.problem, item: index })
        if (parsed.value !== undefined) value.push(parsed.value)
      })
      if (field.minItems !== null && drafts.length < field.minItems)
        problems.push({ code: 'min_items', values: { min: field.minItems } })
      if (field.maxItems !== null && drafts.length > field.maxItems)
        problems.push({ code: 'max_items', values: { max: field.maxItems } })
      return { value, problems }
    }

    default: {
      const { value, problem } = parseScalar(field, String(draft ?? ''), currency)
      if (problem) problems.push(problem)
      else if (value === undefined) required()
      return { value, problems }
    }
  }
}

/** The declared defaults of the fields that have one (fresh copies). */
export function defaultsOf(fields: SettingsFormField[]): SettingsValues {
  const values: SettingsValues = {}
  for (const field of fields) {
    if (field.default !== null && field.default !== undefined)
      values[field.name] = JSON.parse(JSON.stringify(field.default)) // props are proxies
  }
  return values
}

/**
 * The settings with the declared default filled in for every field that is missing (as the server
 * does when it loads them), keeping settings the form does not know about.
 */
export function fillDefaults(
  fields: SettingsFormField[],
  values: SettingsValues | null | undefined
): SettingsValues {
  const filled: SettingsValues = { ...(values ?? {}) }
  for (const [name, value] of Object.entries(defaultsOf(fields))) {
    if (filled[name] === undefined || filled[name] === null) filled[name] = value
  }
  return filled
}

/** Deep equality of JSON values (settings are plain JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
