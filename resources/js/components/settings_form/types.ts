/*
 * The JSON form descriptors a plugin's settings declaration yields on the server
 * (`settings.form(locale)`, app/plugin_engine/settings_schema.ts: SettingsFormField and
 * SettingsFormItem). Mirrored here because the client bundle does not import server modules;
 * keep the two in step.
 *
 * Units are the stored ones: money in integer minor units of the programme's currency, percentages
 * in integer basis points (2000 = 20 %), dates as `yyyy-mm-dd`, durations in whole months.
 */
import type { LocaleCode } from '~/components/types'

/** The field types a settings declaration may use. */
export type SettingsFieldType =
  | 'money'
  | 'integer'
  | 'percent'
  | 'boolean'
  | 'choice'
  | 'text'
  | 'date'
  | 'duration_months'
  | 'list'

/** A value that survives `JSON.stringify` unchanged. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** One field of the generated settings form, already labelled in the page's language. */
export interface SettingsFormField {
  /** The setting's key in the settings object (and the error path `pluginSettings.<name>`). */
  name: string
  type: SettingsFieldType
  label: string
  help: string | null
  required: boolean
  default: JsonValue | null
  /** Lower bound: a number (money, integer, percent, months) or a date string. */
  min: number | string | null
  /** Upper bound: a number (money, integer, percent, months) or a date string. */
  max: number | string | null
  /** Choice fields: the options, labelled in the page's language. */
  choices: { value: string; label: string }[] | null
  /** Choice fields: several values may be chosen. */
  multiple: boolean
  /** Text fields: one text per language. */
  translated: boolean
  /** Text fields: the longest text accepted (per language). */
  maxLength: number | null
  /** Lists and multiple choices: the fewest items accepted. */
  minItems: number | null
  /** Lists and multiple choices: the most items accepted. */
  maxItems: number | null
  /** Lists: the descriptor of one item. */
  of: SettingsFormItem | null
}

/** The descriptor of one item of a list field. */
export type SettingsFormItem = Omit<
  SettingsFormField,
  'name' | 'label' | 'help' | 'required' | 'default' | 'of'
>

/** The settings of a programme, by field name (stored units). */
export type SettingsValues = Record<string, unknown>

/** A translated text setting's value. */
export type TranslatedText = Partial<Record<LocaleCode, string>>

/** Why a value typed into the form cannot be saved (translated by `problemMessage`). */
export interface SettingsProblem {
  /** `programs_ui.settings.errors.<code>` */
  code:
    | 'required'
    | 'number'
    | 'integer'
    | 'decimals'
    | 'min'
    | 'max'
    | 'date'
    | 'date_min'
    | 'date_max'
    | 'max_length'
    | 'min_items'
    | 'max_items'
    | 'min_choices'
    | 'max_choices'
  /** Bounds in stored units (formatted for people by the message). */
  values?: Record<string, number | string>
  /** A list item (0-based) or a language the problem is about. */
  item?: number
  locale?: LocaleCode
}
