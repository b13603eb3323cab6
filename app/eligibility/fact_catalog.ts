/*
 * The catalogue of facts an eligibility rule may reference with JSON Logic `var` (dot paths).
 *
 * Facts are built in one place (the facts builder, outside this folder) and are plain JSON:
 * - money is an integer in minor units (haléře for CZK); the currency comes from the evaluation context;
 * - dates are ISO `yyyy-mm-dd` strings (calendar dates, no time zone);
 * - `params.<name>` are the program version's parameters (named, versioned values typed by the program);
 * - `<plugin>.<name>` are facts a plugin declares in its manifest (`facts`) and adds through the
 *   `application.eligibility_facts` hook; a rule reads those of its program's plugin.
 */
import type { Locale, Localized } from './types.js'

/** The value types a fact can have. */
export type FactType = 'number' | 'money' | 'date' | 'boolean' | 'enum' | 'string' | 'list'

/** Formatting hints for numbers (ages and counts of days or months carry a unit). */
export interface FactFormat {
  unit?: 'year' | 'month' | 'day'
  maximumFractionDigits?: number
}

/** One allowed value of an enum fact with its label per locale. */
export interface EnumChoice {
  value: string
  label: Localized
}

/** The shape of one element of a list fact (what `var` means inside `all`/`some`/`none`). */
export type ListItemSchema =
  | { type: 'string' | 'number' | 'date' }
  | {
      type: 'object'
      fields: Record<string, { type: Exclude<FactType, 'list'>; label: Localized }>
    }

/** The definition of one fact: its path, type, labels and formatting hints. */
export interface FactDefinition {
  /** Dot path as used by JSON Logic `var` (e.g. `household.monthly_income`). */
  path: string
  type: FactType
  /** Noun phrase naming the fact, capitalised ("Household monthly income"). */
  label: Localized
  /** How the facts builder computes the value, when it is derived. */
  description?: Localized
  /** Enum facts: the allowed values. */
  choices?: readonly EnumChoice[]
  format?: FactFormat
  /** Boolean facts: the requirement sentence when the fact must be true, and when it must be false. */
  requirement?: { isTrue: Localized; isFalse: Localized }
  /** Birth-date facts: the noun phrase for the age computed from it ("Child's age"). */
  ageLabel?: Localized
  /** Date facts usable as an age's reference date, without a value ("at the start of the period"). */
  referencePhrase?: Localized
  /** List facts: the noun phrase for the number of elements ("Number of uploaded documents"). */
  countLabel?: Localized
  /** List facts: the element shape. */
  item?: ListItemSchema
  /**
   * Where the definition comes from: the fixed catalogue, a program parameter, a list's length or
   * a plugin's declaration.
   */
  source: 'catalogue' | 'param' | 'count' | 'plugin'
}

/** A program parameter's declaration (the program version defines these; the value lives in `params`). */
export interface ParamDefinition {
  type: Exclude<FactType, 'list'>
  label?: Localized
  choices?: readonly EnumChoice[]
  format?: FactFormat
}

/** A program version's parameter declarations by name (`params.<name>`). */
export type ParamTypes = Readonly<Record<string, ParamDefinition>>

/**
 * A fact a plugin declares (its manifest's `facts`, by name relative to the plugin id): the same
 * typed shape as a catalogue fact. Lists are not supported (the builder and the explanations
 * need an element shape and a count label for them).
 */
export interface PluginFactDeclaration {
  type: Exclude<FactType, 'list'>
  /** Noun phrase naming the fact, capitalised, in every locale. */
  label: Localized
  /** How the plugin computes the value. */
  description?: Localized
  /** Enum facts: the allowed values (required for enums). */
  choices?: readonly EnumChoice[]
  format?: FactFormat
  /** Boolean facts: the requirement sentence when the fact must be true, and when it must be false. */
  requirement?: { isTrue: Localized; isFalse: Localized }
}

/**
 * Plugin fact declarations by plugin id, then by name (`<plugin>.<name>`): what a rule may read
 * besides the catalogue and `params`. A program's rules get its own plugin's only.
 */
export type PluginFactTypes = Readonly<
  Record<string, Readonly<Record<string, PluginFactDeclaration>>>
>

/** A program parameter with its value, as a program version stores it. */
export interface ProgramParam extends ParamDefinition {
  value: unknown
}

const l = (cs: string, en: string, uk: string, pl: string): Localized => ({ cs, en, uk, pl })

/** The countries an applicant's citizenship is recorded as. */
export const CITIZENSHIP_CHOICES: readonly EnumChoice[] = [
  {
    value: 'CZ',
    label: l('Česká republika', 'Czech Republic', 'Чеська Республіка', 'Republika Czeska'),
  },
  { value: 'UA', label: l('Ukrajina', 'Ukraine', 'Україна', 'Ukraina') },
  { value: 'PL', label: l('Polsko', 'Poland', 'Польща', 'Polska') },
  { value: 'SK', label: l('Slovensko', 'Slovakia', 'Словаччина', 'Słowacja') },
  { value: 'OTHER', label: l('Jiné', 'Other', 'Інше', 'Inne') },
]

/** The protection statuses of a refugee applicant. */
export const PROTECTION_STATUS_CHOICES: readonly EnumChoice[] = [
  { value: 'none', label: l('Žádná', 'None', 'Немає', 'Brak') },
  {
    value: 'temporary_protection',
    label: l('Dočasná ochrana', 'Temporary protection', 'Тимчасовий захист', 'Ochrona czasowa'),
  },
  {
    value: 'tolerance_visa',
    label: l('Vízum strpění', 'Tolerance visa', 'Віза толерантності', 'Wiza tolerancyjna'),
  },
]

const benefit = (
  key: string,
  label: Localized,
  isTrue: Localized,
  isFalse: Localized
): FactDefinition => ({
  path: `applicant.benefits.${key}`,
  type: 'boolean',
  label,
  requirement: { isTrue, isFalse },
  source: 'catalogue',
})

/** Every fixed fact (params and list lengths are resolved by `lookupFact`). */
export const FACT_CATALOGUE: readonly FactDefinition[] = [
  {
    path: 'applicant.citizenship',
    type: 'enum',
    label: l('Státní občanství', 'Citizenship', 'Громадянство', 'Obywatelstwo'),
    choices: CITIZENSHIP_CHOICES,
    source: 'catalogue',
  },
  {
    path: 'applicant.home_tenant',
    type: 'string',
    label: l(
      'Domovská obec nebo organizace',
      'Home municipality or organisation',
      'Домашня громада або організація',
      'Macierzysta gmina lub organizacja'
    ),
    description: l(
      'Zkratka (slug) subjektu, který žadatel zvolil při registraci.',
      'The slug of the tenant the applicant picked at registration.',
      'Скорочена назва (slug) суб’єкта, обраного заявником під час реєстрації.',
      'Skrócona nazwa (slug) podmiotu wybranego przez wnioskodawcę przy rejestracji.'
    ),
    source: 'catalogue',
  },
  {
    path: 'applicant.verified',
    type: 'boolean',
    label: l(
      'Ověřený žadatel',
      'Verified applicant',
      'Підтверджений заявник',
      'Zweryfikowany wnioskodawca'
    ),
    requirement: {
      isTrue: l(
        'Totožnost žadatele musí být ověřena',
        "The applicant's identity must be verified",
        'Особу заявника має бути підтверджено',
        'Tożsamość wnioskodawcy musi być zweryfikowana'
      ),
      isFalse: l(
        'Totožnost žadatele nesmí být ověřena',
        "The applicant's identity must not be verified",
        'Особу заявника не має бути підтверджено',
        'Tożsamość wnioskodawcy nie może być zweryfikowana'
      ),
    },
    source: 'catalogue',
  },
  benefit(
    'child_allowance',
    l('Přídavek na dítě', 'Child allowance', 'Допомога на дитину', 'Zasiłek rodzinny'),
    l(
      'Žadatel musí pobírat přídavek na dítě',
      'The applicant must receive the child allowance',
      'Заявник має отримувати допомогу на дитину',
      'Wnioskodawca musi pobierać zasiłek rodzinny'
    ),
    l(
      'Žadatel nesmí pobírat přídavek na dítě',
      'The applicant must not receive the child allowance',
      'Заявник не повинен отримувати допомогу на дитину',
      'Wnioskodawca nie może pobierać zasiłku rodzinnego'
    )
  ),
  benefit(
    'care_allowance',
    l('Příspěvek na péči', 'Care allowance', 'Допомога на догляд', 'Zasiłek pielęgnacyjny'),
    l(
      'Žadatel musí pobírat příspěvek na péči',
      'The applicant must receive the care allowance',
      'Заявник має отримувати допомогу на догляд',
      'Wnioskodawca musi pobierać zasiłek pielęgnacyjny'
    ),
    l(
      'Žadatel nesmí pobírat příspěvek na péči',
      'The applicant must not receive the care allowance',
      'Заявник не повинен отримувати допомогу на догляд',
      'Wnioskodawca nie może pobierać zasiłku pielęgnacyjnego'
    )
  ),
  benefit(
    'foster_care_allowance',
    l(
      'Příspěvek na úhradu potřeb dítěte v pěstounské péči',
      'Foster care allowance',
      'Допомога на утримання дитини в прийомній сім’ї',
      'Świadczenie na dziecko w pieczy zastępczej'
    ),
    l(
      'Žadatel musí pobírat příspěvek na úhradu potřeb dítěte v pěstounské péči',
      'The applicant must receive the foster care allowance',
      'Заявник має отримувати допомогу на утримання дитини в прийомній сім’ї',
      'Wnioskodawca musi pobierać świadczenie na dziecko w pieczy zastępczej'
    ),
    l(
      'Žadatel nesmí pobírat příspěvek na úhradu potřeb dítěte v pěstounské péči',
      'The applicant must not receive the foster care allowance',
      'Заявник не повинен отримувати допомогу на утримання дитини в прийомній сім’ї',
      'Wnioskodawca nie może pobierać świadczenia na dziecko w pieczy zastępczej'
    )
  ),
  benefit(
    'foster_parent_reward',
    l(
      'Odměna pěstouna',
      'Foster parent reward',
      'Винагорода прийомним батькам',
      'Wynagrodzenie rodziny zastępczej'
    ),
    l(
      'Žadatel musí pobírat odměnu pěstouna',
      'The applicant must receive the foster parent reward',
      'Заявник має отримувати винагороду прийомним батькам',
      'Wnioskodawca musi pobierać wynagrodzenie rodziny zastępczej'
    ),
    l(
      'Žadatel nesmí pobírat odměnu pěstouna',
      'The applicant must not receive the foster parent reward',
      'Заявник не повинен отримувати винагороду прийомним батькам',
      'Wnioskodawca nie może pobierać wynagrodzenia rodziny zastępczej'
    )
  ),
  {
    path: 'applicant.protection_status',
    type: 'enum',
    label: l('Typ ochrany', 'Protection status', 'Статус захисту', 'Status ochrony'),
    choices: PROTECTION_STATUS_CHOICES,
    source: 'catalogue',
  },
  {
    path: 'applicant.birth_date',
    type: 'date',
    label: l(
      'Datum narození žadatele',
      "Applicant's date of birth",
      'Дата народження заявника',
      'Data urodzenia wnioskodawcy'
    ),
    ageLabel: l('Věk žadatele', "Applicant's age", 'Вік заявника', 'Wiek wnioskodawcy'),
    source: 'catalogue',
  },
  {
    path: 'applicant.documents',
    type: 'list',
    label: l(
      'Nahrané dokumenty',
      'Uploaded documents',
      'Завантажені документи',
      'Przesłane dokumenty'
    ),
    countLabel: l(
      'Počet nahraných dokumentů',
      'Number of uploaded documents',
      'Кількість завантажених документів',
      'Liczba przesłanych dokumentów'
    ),
    description: l(
      'Typy dokumentů, které žadatel k žádosti nahrál.',
      'The types of the documents the applicant uploaded to the application.',
      'Типи документів, які заявник завантажив до заяви.',
      'Rodzaje dokumentów przesłanych przez wnioskodawcę do wniosku.'
    ),
    item: { type: 'string' },
    source: 'catalogue',
  },
  {
    path: 'child.birth_date',
    type: 'date',
    label: l(
      'Datum narození dítěte',
      "Child's date of birth",
      'Дата народження дитини',
      'Data urodzenia dziecka'
    ),
    ageLabel: l('Věk dítěte', "Child's age", 'Вік дитини', 'Wiek dziecka'),
    source: 'catalogue',
  },
  {
    path: 'household.children',
    type: 'list',
    label: l(
      'Děti v domácnosti',
      'Children in the household',
      'Діти в домогосподарстві',
      'Dzieci w gospodarstwie domowym'
    ),
    countLabel: l(
      'Počet evidovaných dětí',
      'Number of registered children',
      'Кількість зареєстрованих дітей',
      'Liczba zarejestrowanych dzieci'
    ),
    item: {
      type: 'object',
      fields: {
        birth_date: {
          type: 'date',
          label: l(
            'Datum narození dítěte',
            "Child's date of birth",
            'Дата народження дитини',
            'Data urodzenia dziecka'
          ),
        },
      },
    },
    source: 'catalogue',
  },
  {
    path: 'household.children_count',
    type: 'number',
    label: l(
      'Počet dětí v domácnosti',
      'Number of children in the household',
      'Кількість дітей у домогосподарстві',
      'Liczba dzieci w gospodarstwie domowym'
    ),
    format: { maximumFractionDigits: 0 },
    source: 'catalogue',
  },
  {
    path: 'household.monthly_income',
    type: 'money',
    label: l(
      'Měsíční příjem domácnosti',
      'Household monthly income',
      'Щомісячний дохід домогосподарства',
      'Miesięczny dochód gospodarstwa domowego'
    ),
    source: 'catalogue',
  },
  {
    path: 'household.subsistence_minimum',
    type: 'money',
    label: l(
      'Životní minimum domácnosti',
      'Household subsistence minimum',
      'Прожитковий мінімум домогосподарства',
      'Minimum egzystencji gospodarstwa domowego'
    ),
    source: 'catalogue',
  },
  {
    path: 'household.income_multiple',
    type: 'number',
    label: l(
      'Příjem jako násobek životního minima',
      'Income as a multiple of the subsistence minimum',
      'Дохід як кратне прожиткового мінімуму',
      'Dochód jako wielokrotność minimum egzystencji'
    ),
    description: l(
      'Počítá ho sestavovatel faktů: měsíční příjem / životní minimum (obojí v haléřích téže měny), nezaokrouhleno; null, pokud je minimum 0 nebo neznámé.',
      'Computed by the facts builder: monthly_income / subsistence_minimum (both in minor units of the same currency), not rounded; null when the minimum is 0 or unknown.',
      'Обчислює збирач фактів: monthly_income / subsistence_minimum (обидва в копійках однієї валюти), без округлення; null, якщо мінімум 0 або невідомий.',
      'Oblicza go moduł budujący fakty: monthly_income / subsistence_minimum (oba w groszach tej samej waluty), bez zaokrąglenia; null, gdy minimum wynosi 0 lub jest nieznane.'
    ),
    format: { maximumFractionDigits: 2 },
    source: 'catalogue',
  },
  {
    path: 'history.applications_in_period',
    type: 'number',
    label: l(
      'Počet žádostí v období',
      'Applications in the period',
      'Кількість заяв за період',
      'Liczba wniosków w okresie'
    ),
    format: { maximumFractionDigits: 0 },
    source: 'catalogue',
  },
  {
    path: 'history.benefits_in_period',
    type: 'number',
    label: l(
      'Počet přiznaných podpor v období',
      'Benefits granted in the period',
      'Кількість наданих допомог за період',
      'Liczba przyznanych świadczeń w okresie'
    ),
    format: { maximumFractionDigits: 0 },
    source: 'catalogue',
  },
  {
    path: 'history.amount_granted_in_period',
    type: 'money',
    label: l(
      'Částka přiznaná v období',
      'Amount granted in the period',
      'Сума, надана за період',
      'Kwota przyznana w okresie'
    ),
    source: 'catalogue',
  },
  {
    path: 'period.start',
    type: 'date',
    label: l('Začátek období', 'Start of the period', 'Початок періоду', 'Początek okresu'),
    referencePhrase: l(
      'k začátku období',
      'at the start of the period',
      'на початок періоду',
      'na początek okresu'
    ),
    source: 'catalogue',
  },
  {
    path: 'period.end',
    type: 'date',
    label: l('Konec období', 'End of the period', 'Кінець періоду', 'Koniec okresu'),
    referencePhrase: l(
      'ke konci období',
      'at the end of the period',
      'на кінець періоду',
      'na koniec okresu'
    ),
    source: 'catalogue',
  },
  {
    path: 'reference_date',
    type: 'date',
    label: l('Rozhodné datum', 'Reference date', 'Контрольна дата', 'Data referencyjna'),
    referencePhrase: l(
      'k rozhodnému datu',
      'on the reference date',
      'на контрольну дату',
      'na datę referencyjną'
    ),
    source: 'catalogue',
  },
]

const BY_PATH: ReadonlyMap<string, FactDefinition> = new Map(FACT_CATALOGUE.map((f) => [f.path, f]))

/** Path segments that are refused everywhere (prototype pollution and escape hatches). */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
])

/** Whether a `var` path has a segment that is refused everywhere. */
export function hasForbiddenSegment(path: string): string | undefined {
  for (const segment of path.split('.')) {
    if (FORBIDDEN_SEGMENTS.has(segment)) return segment
  }
  return undefined
}

const INHERITED = new Set<string>()
for (const proto of [
  Object.prototype,
  Array.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
]) {
  for (const name of Object.getOwnPropertyNames(proto)) INHERITED.add(name)
}
INHERITED.delete('length')

/**
 * Whether a name is inherited by JSON values (e.g. `toString`), so reading it needs an own-property guard.
 */
export function isInheritedName(name: string): boolean {
  return INHERITED.has(name)
}

const PARAM_NAME = /^[a-z][a-z0-9_]{0,63}$/

/** Whether a string is a valid program parameter name (`params.<name>`). */
export function isValidParamName(name: string): boolean {
  return PARAM_NAME.test(name) && !INHERITED.has(name) && !FORBIDDEN_SEGMENTS.has(name)
}

/** The first segments of the catalogue's paths and `params`: no plugin may declare facts under them. */
export const CORE_FACT_NAMESPACES: ReadonlySet<string> = new Set([
  'params',
  ...FACT_CATALOGUE.map((f) => f.path.split('.')[0]),
])

/**
 * Whether a string is a valid name of a plugin fact (`<plugin>.<name>`): one lowercase
 * snake_case segment, not inherited by JSON values, not a forbidden segment, not `length` (which
 * reads a list's count).
 */
export function isValidPluginFactName(name: string): boolean {
  return isValidParamName(name) && name !== 'length'
}

/** A plugin fact's definition from its declaration. */
function pluginFact(path: string, declared: PluginFactDeclaration): FactDefinition {
  return {
    path,
    type: declared.type,
    label: declared.label,
    description: declared.description,
    choices: declared.choices,
    format: declared.format,
    requirement: declared.requirement,
    source: 'plugin',
  }
}

/** The plugin's declared fact a path names (`<plugin>.<name>`), when it is one of `plugins`. */
function lookupPluginFact(
  path: string,
  plugins: PluginFactTypes | undefined
): FactDefinition | undefined {
  if (!plugins) return undefined
  const dot = path.indexOf('.')
  if (dot <= 0) return undefined
  const plugin = path.slice(0, dot)
  const name = path.slice(dot + 1)
  if (CORE_FACT_NAMESPACES.has(plugin) || !Object.hasOwn(plugins, plugin)) return undefined
  const declared = plugins[plugin]
  if (!isValidPluginFactName(name) || !Object.hasOwn(declared, name)) return undefined
  return pluginFact(path, declared[name])
}

/** Every fact the plugins declare, as definitions (plugin by plugin, in declaration order). */
export function pluginFactDefinitions(plugins: PluginFactTypes | undefined): FactDefinition[] {
  const out: FactDefinition[] = []
  for (const [plugin, facts] of Object.entries(plugins ?? {})) {
    if (CORE_FACT_NAMESPACES.has(plugin)) continue
    for (const [name, declared] of Object.entries(facts)) {
      if (isValidPluginFactName(name)) out.push(pluginFact(`${plugin}.${name}`, declared))
    }
  }
  return out
}

/** The plugin id a path would name a fact of (its first segment), unless it is a core namespace. */
export function pluginOfPath(path: string): string | undefined {
  const dot = path.indexOf('.')
  if (dot <= 0) return undefined
  const head = path.slice(0, dot)
  return CORE_FACT_NAMESPACES.has(head) ? undefined : head
}

/**
 * Looks up a fact's definition by its `var` path: catalogue facts, `params.<name>` given the program's
 * parameter types, `<plugin>.<name>` given the plugin fact declarations in scope, and
 * `<list fact>.length` (the number of elements, type number).
 */
export function lookupFact(
  path: string,
  params?: ParamTypes,
  plugins?: PluginFactTypes
): FactDefinition | undefined {
  const fixed = BY_PATH.get(path)
  if (fixed) return fixed
  const declared = lookupPluginFact(path, plugins)
  if (declared) return declared
  if (path.startsWith('params.')) {
    const name = path.slice('params.'.length)
    if (!params || !isValidParamName(name) || !Object.hasOwn(params, name)) return undefined
    const param = params[name]
    return {
      path,
      type: param.type,
      label: param.label ?? { cs: name, en: name, uk: name, pl: name },
      choices: param.choices,
      format: param.format,
      source: 'param',
    }
  }
  if (path.endsWith('.length')) {
    const list = BY_PATH.get(path.slice(0, -'.length'.length))
    if (list?.type === 'list') {
      return {
        path,
        type: 'number',
        label: list.countLabel ?? list.label,
        format: { maximumFractionDigits: 0 },
        source: 'count',
      }
    }
  }
  return undefined
}

/** The label of a list element's field, used inside `all`/`some`/`none` over that list. */
export function lookupItemField(
  list: FactDefinition,
  field: string
): { type: Exclude<FactType, 'list'>; label: Localized } | undefined {
  if (list.item?.type !== 'object') return undefined
  return Object.hasOwn(list.item.fields, field) ? list.item.fields[field] : undefined
}

/** The label of an enum choice in a locale (the raw value when it is not a known choice). */
export function choiceLabel(
  fact: Pick<FactDefinition, 'choices'>,
  value: unknown,
  locale: Locale
): string {
  const choice = fact.choices?.find((c) => c.value === value)
  return choice ? choice.label[locale] : String(value)
}

/** Parameter values by name from declarations with values (what goes into `facts.params`). */
export function paramValues(
  params: Readonly<Record<string, ProgramParam>>
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, param] of Object.entries(params)) values[name] = param.value
  return values
}
