/*
 * The settings DSL: a plugin declares its settings once, and everything else is derived from that
 * declaration (after Decidim's settings manifest):
 *
 * - a VineJS validator, used on save (`validate`) and on load (`load`, which first fills the
 *   defaults of fields the stored data lacks, e.g. a field added in a later plugin version);
 * - the defaults (`defaults()`), used to pre-fill a new program's settings;
 * - a JSON-serialisable form description per locale (`form(locale)`), rendered by one generic Vue
 *   form, so a new setting needs no new Vue code;
 * - the TypeScript type of the validated value (`InferSettings<typeof schema>`).
 *
 * Units are fixed so that no setting is ever a float:
 * - money is an integer in minor units (100000 = 1000 CZK); the currency is the program's;
 * - a percentage is an integer in basis points (2000 = 20 %, 10000 = 100 %);
 * - a date is an ISO calendar date string `yyyy-mm-dd` (no time, no time zone);
 * - a duration is an integer number of months.
 *
 * @example
 * export const settings = defineSettings({
 *   faceValue: field.money({ required: true, default: 100000, min: 1, label: { cs: 'Hodnota', en: 'Value', uk: 'Номінал', pl: 'Wartość' } }),
 *   spendAt: field.choice({ multiple: true, required: true, choices: [{ value: 'till', label: {...} }], label: {...} }),
 * })
 * export type Settings = InferSettings<typeof settings> // { faceValue: number; spendAt: 'till'[] }
 */
import vine from '@vinejs/vine'
import type { FieldContext, MessagesProviderContact, SchemaTypes } from '@vinejs/vine/types'

/** The interface languages every label must be written in. */
export const LOCALES = ['cs', 'en', 'uk', 'pl'] as const

/** One of the four interface languages. */
export type Locale = (typeof LOCALES)[number]

/** A text written in all four interface languages (labels and help texts of the declaration). */
export type LocalizedText = Readonly<Record<Locale, string>>

/** The value of a translated text setting: a text per locale, any of which may be missing. */
export type TranslatedValue = Partial<Record<Locale, string>>

/** The field types a settings schema may use (also the `type` of a form descriptor). */
export type FieldType =
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

/** Largest money amount a setting may hold (10^13 minor units, as in the program configuration). */
export const MAX_MONEY_MINOR = 10_000_000_000_000

/** Basis points in one whole (100 %). */
export const BASIS_POINTS_PER_WHOLE = 10_000

const SETTINGS_SCHEMA = Symbol.for('active-city.plugin-engine.settings-schema')
declare const valueType: unique symbol

/**
 * One declared setting. Built by the `field.*` helpers, never by hand; the type parameters carry
 * the validated value's type and whether it is required into `InferSettings`.
 */
export interface SettingsField<Value = unknown, Required extends boolean = boolean> {
  /** What kind of value this is; decides the validator and the form control. */
  readonly type: FieldType
  /** Whether the validated settings always contain this field. */
  readonly required: Required
  /** The value a new program starts with (`undefined`: starts empty). */
  readonly default: Value | undefined
  /** The field's label in every locale. */
  readonly label: LocalizedText
  /** A longer explanation under the field, in every locale. */
  readonly help: LocalizedText | undefined
  /** Builds the Vine schema for a present value (the schema adds `.optional()` itself). */
  readonly vine: () => SchemaTypes
  /** Normalises a value Vine has validated (e.g. drops empty translations). */
  finish?(value: Value): Value
  /** The type-specific part of the form descriptor (bounds, choices, ...). */
  readonly describe: (locale: Locale) => FormFieldExtras
  /** Problems in the declaration itself (a default outside the bounds, a missing label, ...). */
  readonly check: () => string[]
  /** Phantom: the validated value's type, for `InferSettings` (never set at run time). */
  readonly [valueType]?: Value
}

/** Any declared setting, whatever its value type. */
export type AnySettingsField = SettingsField<any, boolean>

/** The declared settings of a plugin, by field name. */
export type SettingsFields = Record<string, AnySettingsField>

type Prettify<T> = { [K in keyof T]: T[K] } & {}
type FieldValue<F> = F extends SettingsField<infer V, any> ? V : never
type RequiredKeys<F extends SettingsFields> = {
  [K in keyof F]: F[K] extends SettingsField<any, true> ? K : never
}[keyof F]
type OptionalKeys<F extends SettingsFields> = Exclude<keyof F, RequiredKeys<F>>

/** The validated settings value described by a set of fields. */
export type SettingsValue<F extends SettingsFields> = Prettify<
  { -readonly [K in RequiredKeys<F>]: FieldValue<F[K]> } & {
    -readonly [K in OptionalKeys<F>]?: FieldValue<F[K]>
  }
>

/** The TypeScript type of a schema's validated settings: `InferSettings<typeof settings>`. */
export type InferSettings<S> = S extends SettingsSchema<infer F> ? SettingsValue<F> : never

/** One choice of a choice field, shown with its label. */
export interface ChoiceOption<V extends string = string> {
  /** The stored value (a stable identifier, never shown). */
  readonly value: V
  /** What the form shows, per locale. */
  readonly label: LocalizedText
}

/** The type-specific part of a form descriptor. */
export interface FormFieldExtras {
  min?: number | string | null
  max?: number | string | null
  choices?: { value: string; label: string }[] | null
  multiple?: boolean
  translated?: boolean
  maxLength?: number | null
  minItems?: number | null
  maxItems?: number | null
  of?: SettingsFormItem | null
}

/**
 * What the generic Vue settings form needs to render one field, in one locale, as plain JSON.
 * Money values (`default`, `min`, `max`) are minor units; percent values are basis points; dates
 * are `yyyy-mm-dd` strings; absent properties are `null`.
 */
export interface SettingsFormField {
  /** The setting's key in the settings object (and the error path of its messages). */
  name: string
  type: FieldType
  label: string
  help: string | null
  required: boolean
  default: JsonValue | null
  /** Lower bound: a number (money, integer, percent, months) or a date string. */
  min: number | string | null
  /** Upper bound: a number (money, integer, percent, months) or a date string. */
  max: number | string | null
  /** Choice fields: the options, labelled in the locale. */
  choices: { value: string; label: string }[] | null
  /** Choice fields: several values may be chosen. */
  multiple: boolean
  /** Text fields: one text per locale. */
  translated: boolean
  /** Text fields: the longest text accepted. */
  maxLength: number | null
  /** Lists and multiple choices: the fewest items accepted. */
  minItems: number | null
  /** Lists and multiple choices: the most items accepted. */
  maxItems: number | null
  /** Lists: the descriptor of one item. */
  of: SettingsFormItem | null
}

/** The descriptor of one item of a list field (a form field without name, label or default). */
export type SettingsFormItem = Omit<
  SettingsFormField,
  'name' | 'label' | 'help' | 'required' | 'default' | 'of'
>

/** Options every field accepts. */
export interface CommonFieldOptions {
  /** The label in every locale (all four are required). */
  label: LocalizedText
  /** A longer explanation, in every locale. */
  help?: LocalizedText
  /** Whether a value must be present; an absent optional field is left out of the settings. */
  required?: boolean
}

/** Options of a money field (integer minor units). */
export interface MoneyFieldOptions extends CommonFieldOptions {
  default?: number
  /** Smallest amount in minor units (default 0). */
  min?: number
  /** Largest amount in minor units (default `MAX_MONEY_MINOR`). */
  max?: number
}

/** Options of an integer field. */
export interface IntegerFieldOptions extends CommonFieldOptions {
  default?: number
  min?: number
  max?: number
}

/** Options of a percentage field (integer basis points: 2000 = 20 %). */
export interface PercentFieldOptions extends CommonFieldOptions {
  default?: number
  /** Smallest share in basis points (default 0). */
  min?: number
  /** Largest share in basis points (default 10000 = 100 %). */
  max?: number
}

/** Options of a boolean field (always present: its default is `false` unless given). */
export interface BooleanFieldOptions extends Omit<CommonFieldOptions, 'required'> {
  default?: boolean
}

/** Options of a choice field. */
export interface ChoiceFieldOptions extends CommonFieldOptions {
  /** The values offered, in display order. */
  choices: readonly ChoiceOption[]
  /** Several values may be chosen; the value is then an array without repeats. */
  multiple?: boolean
  /** With `multiple`: the fewest values (default 1 when required, else 0). */
  minItems?: number
  /** With `multiple`: the most values (default: the number of choices). */
  maxItems?: number
  default?: string | readonly string[]
}

/** Options of a text field. */
export interface TextFieldOptions extends CommonFieldOptions {
  /** One text per locale (value `{ cs?, en?, uk?, pl? }`); required means at least one locale filled. */
  translated?: boolean
  /** Longest text accepted, per locale (default 1000). */
  maxLength?: number
  default?: string | TranslatedValue
}

/** Options of a date field (ISO `yyyy-mm-dd` strings). */
export interface DateFieldOptions extends CommonFieldOptions {
  default?: string
  /** Earliest date accepted, `yyyy-mm-dd`. */
  min?: string
  /** Latest date accepted, `yyyy-mm-dd`. */
  max?: string
}

/** Options of a duration field (an integer number of months). */
export interface DurationMonthsFieldOptions extends CommonFieldOptions {
  default?: number
  /** Fewest months (default 1). */
  min?: number
  /** Most months (default 600). */
  max?: number
}

/** Options of a list field (several values of one scalar field). */
export interface ListFieldOptions extends CommonFieldOptions {
  /** Fewest items (default 1 when required, else 0). */
  minItems?: number
  /** Most items (default 100). */
  maxItems?: number
  /** Whether the same value may not appear twice (default false). */
  distinct?: boolean
  default?: readonly unknown[]
}

type IsRequired<O> = O extends { required: true } ? true : false
type ChoiceValueOf<O extends ChoiceFieldOptions> = O['choices'][number]['value']

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false
  const [y, m, d] = value.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** A Vine rule: a real calendar date between optional bounds (ISO strings compare as text). */
const calendarDate = vine.createRule(
  (value: unknown, options: { min?: string; max?: string }, ctx: FieldContext) => {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      ctx.report('The {{ field }} field must be a valid date (yyyy-mm-dd)', 'date', ctx)
      return
    }
    if (options.min !== undefined && value < options.min) {
      ctx.report('The {{ field }} field must be on or after {{ min }}', 'min', ctx, {
        min: options.min,
      })
    } else if (options.max !== undefined && value > options.max) {
      ctx.report('The {{ field }} field must be on or before {{ max }}', 'max', ctx, {
        max: options.max,
      })
    }
  }
)

/** A Vine rule: a required translated text needs at least one non-empty locale. */
const someLocaleFilled = vine.createRule(
  (value: unknown, _options: undefined, ctx: FieldContext) => {
    const filled =
      value !== null &&
      typeof value === 'object' &&
      Object.values(value as Record<string, unknown>).some(
        (v) => typeof v === 'string' && v.trim() !== ''
      )
    if (!filled)
      ctx.report('The {{ field }} field needs a text in at least one language', 'required', ctx)
  }
)

function pick(text: LocalizedText | undefined, locale: string): string | null {
  if (!text) return null
  return text[locale as Locale] ?? text.en ?? text.cs ?? null
}

function labelProblems(options: CommonFieldOptions): string[] {
  const problems: string[] = []
  for (const [what, text] of [
    ['label', options.label],
    ['help', options.help],
  ] as const) {
    if (text === undefined && what === 'help') continue
    if (!text || typeof text !== 'object') {
      problems.push(`${what} must give a text for ${LOCALES.join(', ')}`)
      continue
    }
    const missing = LOCALES.filter((l) => typeof text[l] !== 'string' || text[l].trim() === '')
    if (missing.length > 0) problems.push(`${what} is missing ${missing.join(', ')}`)
  }
  return problems
}

function boundProblems(
  kind: string,
  options: { default?: unknown; min?: number; max?: number },
  min: number,
  max: number
): string[] {
  const problems: string[] = []
  for (const [name, value] of [
    ['min', options.min],
    ['max', options.max],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value))
      problems.push(`${name} must be a whole number`)
  }
  if (min > max) problems.push(`min ${min} is greater than max ${max}`)
  if (options.default !== undefined) {
    const value = options.default
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      problems.push(`default must be a whole number (${kind})`)
    } else if (value < min || value > max) {
      problems.push(`default ${value} is outside ${min}..${max}`)
    }
  }
  return problems
}

function integerField<V extends number, R extends boolean>(
  type: 'money' | 'integer' | 'percent' | 'duration_months',
  options: CommonFieldOptions & { default?: number; min?: number; max?: number },
  bounds: { min: number; max: number }
): SettingsField<V, R> {
  const min = options.min ?? bounds.min
  const max = options.max ?? bounds.max
  return {
    type,
    required: (options.required === true) as R,
    default: options.default as V | undefined,
    label: options.label,
    help: options.help,
    vine: () => vine.number().withoutDecimals().min(min).max(max),
    describe: () => ({ min, max }),
    check: () => [...labelProblems(options), ...boundProblems(type, options, min, max)],
  }
}

/**
 * The field builders of the settings DSL; each returns a declaration for `defineSettings`.
 */
export const field = {
  /** An amount of money in integer minor units of the program's currency (100000 = 1000 CZK). */
  money<const O extends MoneyFieldOptions>(options: O): SettingsField<number, IsRequired<O>> {
    return integerField('money', options, { min: 0, max: MAX_MONEY_MINOR })
  },

  /** A whole number (counts, limits). */
  integer<const O extends IntegerFieldOptions>(options: O): SettingsField<number, IsRequired<O>> {
    return integerField('integer', options, {
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    })
  },

  /** A share stored as integer basis points (2000 = 20 %); the form shows it as a percentage. */
  percent<const O extends PercentFieldOptions>(options: O): SettingsField<number, IsRequired<O>> {
    return integerField('percent', options, { min: 0, max: BASIS_POINTS_PER_WHOLE })
  },

  /** A number of months (validity periods, expiry). */
  durationMonths<const O extends DurationMonthsFieldOptions>(
    options: O
  ): SettingsField<number, IsRequired<O>> {
    return integerField('duration_months', options, { min: 1, max: 600 })
  },

  /** A yes/no switch; always present in the settings (default `false` unless given). */
  boolean<const O extends BooleanFieldOptions>(options: O): SettingsField<boolean, true> {
    return {
      type: 'boolean',
      required: true,
      default: options.default ?? false,
      label: options.label,
      help: options.help,
      vine: () => vine.boolean({ strict: true }),
      describe: () => ({}),
      check: () => {
        const problems = labelProblems(options)
        if (options.default !== undefined && typeof options.default !== 'boolean') {
          problems.push('default must be true or false')
        }
        return problems
      },
    }
  },

  /** One value (or with `multiple`, a set of values) out of a fixed list of choices. */
  choice<const O extends ChoiceFieldOptions>(
    options: O
  ): SettingsField<
    O extends { multiple: true } ? ChoiceValueOf<O>[] : ChoiceValueOf<O>,
    IsRequired<O>
  > {
    const values = (options.choices ?? []).map((c) => c.value)
    const multiple = options.multiple === true
    const minItems = options.minItems ?? (multiple && options.required ? 1 : 0)
    const maxItems = options.maxItems ?? values.length
    return {
      type: 'choice',
      required: (options.required === true) as IsRequired<O>,
      default: (Array.isArray(options.default) ? [...options.default] : options.default) as any,
      label: options.label,
      help: options.help,
      vine: () => {
        const one = vine.enum(values)
        return multiple ? vine.array(one).minLength(minItems).maxLength(maxItems).distinct() : one
      },
      describe: (locale) => ({
        choices: options.choices.map((c) => ({
          value: c.value,
          label: pick(c.label, locale) ?? c.value,
        })),
        multiple,
        minItems: multiple ? minItems : null,
        maxItems: multiple ? maxItems : null,
      }),
      check: () => {
        const problems = labelProblems(options)
        if (values.length === 0) problems.push('choices must not be empty')
        if (new Set(values).size !== values.length) problems.push('choices repeat a value')
        for (const choice of options.choices ?? []) {
          if (typeof choice.value !== 'string' || choice.value === '')
            problems.push('a choice has no value')
          problems.push(
            ...labelProblems({ label: choice.label }).map((p) => `choice ${choice.value}: ${p}`)
          )
        }
        if (!multiple && (options.minItems !== undefined || options.maxItems !== undefined)) {
          problems.push('minItems and maxItems need multiple: true')
        }
        if (options.default !== undefined) {
          const given = Array.isArray(options.default) ? options.default : [options.default]
          if (multiple !== Array.isArray(options.default)) {
            problems.push(
              multiple ? 'default must be an array (multiple)' : 'default must be one value'
            )
          }
          for (const value of given) {
            if (!values.includes(value))
              problems.push(`default ${String(value)} is not one of the choices`)
          }
          if (multiple && (given.length < minItems || given.length > maxItems)) {
            problems.push(`default must have ${minItems}..${maxItems} values`)
          }
        }
        return problems
      },
    }
  },

  /** A text; with `translated: true`, one text per locale. */
  text<const O extends TextFieldOptions>(
    options: O
  ): SettingsField<O extends { translated: true } ? TranslatedValue : string, IsRequired<O>> {
    const maxLength = options.maxLength ?? 1000
    const translated = options.translated === true
    const one = () => vine.string().trim().maxLength(maxLength)
    return {
      type: 'text',
      required: (options.required === true) as IsRequired<O>,
      default: (translated && options.default
        ? { ...(options.default as TranslatedValue) }
        : options.default) as any,
      label: options.label,
      help: options.help,
      vine: () => {
        if (!translated) return options.required ? one().minLength(1) : one()
        const object = vine.object({
          cs: one().optional(),
          en: one().optional(),
          uk: one().optional(),
          pl: one().optional(),
        })
        return options.required ? object.use(someLocaleFilled()) : object
      },
      finish: translated
        ? (value) => {
            // Empty texts mean "not translated": keep only the locales that say something.
            const kept: TranslatedValue = {}
            for (const locale of LOCALES) {
              const text = (value as TranslatedValue)[locale]
              if (text) kept[locale] = text
            }
            return kept as any
          }
        : undefined,
      describe: () => ({ translated, maxLength }),
      check: () => {
        const problems = labelProblems(options)
        if (!Number.isSafeInteger(maxLength) || maxLength < 1)
          problems.push('maxLength must be a positive whole number')
        const value = options.default
        if (value === undefined) return problems
        if (translated) {
          if (typeof value !== 'object' || value === null)
            problems.push('default must be { cs?, en?, uk?, pl? }')
          else {
            for (const [locale, text] of Object.entries(value)) {
              if (!LOCALES.includes(locale as Locale))
                problems.push(`default has an unknown locale ${locale}`)
              else if (typeof text !== 'string' || text.length > maxLength)
                problems.push(`default ${locale} is too long`)
            }
          }
        } else if (typeof value !== 'string' || value.length > maxLength) {
          problems.push(`default must be a text of at most ${maxLength} characters`)
        }
        return problems
      },
    }
  },

  /** A calendar date, stored as `yyyy-mm-dd`. */
  date<const O extends DateFieldOptions>(options: O): SettingsField<string, IsRequired<O>> {
    return {
      type: 'date',
      required: (options.required === true) as IsRequired<O>,
      default: options.default,
      label: options.label,
      help: options.help,
      vine: () =>
        vine
          .string()
          .trim()
          .use(calendarDate({ min: options.min, max: options.max })),
      describe: () => ({ min: options.min ?? null, max: options.max ?? null }),
      check: () => {
        const problems = labelProblems(options)
        for (const [name, value] of [
          ['min', options.min],
          ['max', options.max],
          ['default', options.default],
        ] as const) {
          if (value !== undefined && !isCalendarDate(value))
            problems.push(`${name} must be a date yyyy-mm-dd`)
        }
        if (options.min && options.max && options.min > options.max)
          problems.push('min is after max')
        const value = options.default
        if (
          value &&
          ((options.min && value < options.min) || (options.max && value > options.max))
        ) {
          problems.push(`default ${value} is outside min..max`)
        }
        return problems
      },
    }
  },

  /**
   * A list of values of one scalar field (money, integer, percent, months, date or
   * non-translated text); the item's own label, default and `required` are not used.
   */
  listOf<V, const O extends ListFieldOptions>(
    item: SettingsField<V, boolean>,
    options: O
  ): SettingsField<V[], IsRequired<O>> {
    const minItems = options.minItems ?? (options.required ? 1 : 0)
    const maxItems = options.maxItems ?? 100
    return {
      type: 'list',
      required: (options.required === true) as IsRequired<O>,
      default: (options.default ? [...options.default] : undefined) as V[] | undefined,
      label: options.label,
      help: options.help,
      vine: () => {
        const list = vine
          .array(item.vine() as any)
          .minLength(minItems)
          .maxLength(maxItems)
        return options.distinct ? list.distinct() : list
      },
      describe: (locale) => ({
        minItems,
        maxItems,
        of: {
          type: item.type,
          min: null,
          max: null,
          choices: null,
          multiple: false,
          translated: false,
          maxLength: null,
          minItems: null,
          maxItems: null,
          ...item.describe(locale),
        },
      }),
      check: () => {
        const problems = labelProblems(options)
        if (item.type === 'list' || item.type === 'boolean')
          problems.push(`a list cannot hold ${item.type} items`)
        const itemExtras = item.describe('en')
        if (itemExtras.multiple || itemExtras.translated) {
          problems.push('a list cannot hold multiple choices or translated texts')
        }
        if (minItems > maxItems)
          problems.push(`minItems ${minItems} is greater than maxItems ${maxItems}`)
        if (options.default !== undefined && !Array.isArray(options.default))
          problems.push('default must be an array')
        else if (
          options.default &&
          (options.default.length < minItems || options.default.length > maxItems)
        ) {
          problems.push(`default must have ${minItems}..${maxItems} items`)
        }
        return problems
      },
    }
  },
}

/** Options of `validate` and `load`. */
export interface SettingsValidateOptions {
  /** Translates the error messages (e.g. `i18n.createMessagesProvider()`); English by default. */
  messagesProvider?: MessagesProviderContact
}

/**
 * A plugin's settings declaration with everything derived from it. Build with `defineSettings`.
 */
export interface SettingsSchema<F extends SettingsFields = SettingsFields> {
  /** Brand checked by the registry (a manifest's `settings` must come from `defineSettings`). */
  readonly [SETTINGS_SCHEMA]: true
  /** The field declarations, by name, in form order. */
  readonly fields: F
  /**
   * Validates settings as submitted (on save): returns the typed value, or throws Vine's
   * `ValidationError` whose `messages` carry each problem's field path (`spendAt.1`). Unknown
   * keys are dropped.
   */
  validate(data: unknown, options?: SettingsValidateOptions): Promise<SettingsValue<F>>
  /**
   * Validates stored settings (on load) with the same validator, after filling in the default of
   * every field the stored object lacks, so settings saved before a field existed stay loadable.
   */
  load(stored: unknown, options?: SettingsValidateOptions): Promise<SettingsValue<F>>
  /** The defaults of the fields that declare one (a fresh copy on every call). */
  defaults(): Partial<SettingsValue<F>>
  /** The JSON descriptors of the form fields, labelled in `locale` (English if unknown). */
  form(locale: string): SettingsFormField[]
}

/** A settings declaration that breaks the DSL's own rules (thrown by `defineSettings`). */
export class SettingsDeclarationError extends Error {
  /** Each problem as `<field>: <problem>`. */
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`invalid settings declaration: ${problems.join('; ')}`)
    this.name = 'SettingsDeclarationError'
    this.problems = problems
  }
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value)
}

/**
 * Declares a plugin's settings; throws `SettingsDeclarationError` when a field is declared wrongly
 * (bad name, missing label locale, default outside the bounds or not among the choices, ...).
 */
export function defineSettings<const F extends SettingsFields>(fields: F): SettingsSchema<F> {
  const problems: string[] = []
  if (!fields || typeof fields !== 'object')
    throw new SettingsDeclarationError(['fields must be an object'])
  for (const [name, declared] of Object.entries(fields)) {
    if (!/^[a-z][a-zA-Z0-9]{0,47}$/.test(name))
      problems.push(`${name}: a field name must be camelCase (a-z, A-Z, 0-9)`)
    if (!declared || typeof declared.vine !== 'function' || typeof declared.check !== 'function') {
      problems.push(`${name}: not a field (use field.money(), field.integer(), ...)`)
      continue
    }
    problems.push(...declared.check().map((p) => `${name}: ${p}`))
  }
  if (problems.length > 0) throw new SettingsDeclarationError(problems)

  const properties: Record<string, SchemaTypes> = {}
  for (const [name, declared] of Object.entries(fields)) {
    const schema = declared.vine() as any
    properties[name] = declared.required ? schema : schema.optional()
  }
  const validator = vine.create(vine.object(properties))

  const defaults = (): Partial<SettingsValue<F>> => {
    const values: Record<string, unknown> = {}
    for (const [name, declared] of Object.entries(fields)) {
      if (declared.default !== undefined) values[name] = copy(declared.default)
    }
    return values as Partial<SettingsValue<F>>
  }

  const validate = async (data: unknown, options: SettingsValidateOptions = {}) => {
    const value = (await validator.validate(data, options)) as Record<string, unknown>
    for (const [name, declared] of Object.entries(fields)) {
      if (declared.finish && value[name] !== undefined) value[name] = declared.finish(value[name])
    }
    return value as SettingsValue<F>
  }

  return {
    [SETTINGS_SCHEMA]: true,
    fields,
    validate,
    async load(stored, options) {
      const isObject = typeof stored === 'object' && stored !== null && !Array.isArray(stored)
      // Anything but an object (or nothing) is corrupt: let the validator report it as such.
      if (!isObject && stored !== null && stored !== undefined) return validate(stored, options)
      const merged: Record<string, unknown> = { ...defaults() }
      for (const [key, value] of Object.entries(isObject ? stored : {})) {
        if (value !== undefined) merged[key] = value
      }
      return validate(merged, options)
    },
    defaults,
    form(locale) {
      return Object.entries(fields).map(([name, declared]) => ({
        name,
        type: declared.type,
        label: pick(declared.label, locale) ?? name,
        help: pick(declared.help, locale),
        required: declared.required,
        default: declared.default === undefined ? null : (copy(declared.default) as JsonValue),
        min: null,
        max: null,
        choices: null,
        multiple: false,
        translated: false,
        maxLength: null,
        minItems: null,
        maxItems: null,
        of: null,
        ...declared.describe(locale as Locale),
      }))
    },
  }
}

/** Whether a value was built by `defineSettings` (the registry's check for a manifest's `settings`). */
export function isSettingsSchema(value: unknown): value is SettingsSchema {
  return typeof value === 'object' && value !== null && (value as any)[SETTINGS_SCHEMA] === true
}
