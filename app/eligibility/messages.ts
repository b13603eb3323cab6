/*
 * Texts of the eligibility engine in every locale: validation errors, evaluation errors and the
 * building blocks of explanations. Kept here (typed, checked for completeness by the compiler) because the
 * app's i18n files are owned elsewhere; placeholders are `{name}`.
 */
import type { EvaluationErrorCode } from './errors.js'
import type { Locale } from './types.js'
import type { ValidationErrorCode } from './validate.js'

/** Sentence templates for comparing a subject with an expected value. */
export interface ComparisonTemplates {
  lt: string
  lte: string
  gt: string
  gte: string
  eq: string
  ne: string
  between: string
  betweenExclusive: string
  dateLt: string
  dateLte: string
  dateGt: string
  dateGte: string
}

/** Everything the engine says, in one locale. */
export interface EngineMessages {
  validation: Record<ValidationErrorCode, string>
  evaluation: Record<EvaluationErrorCode, string>
  explain: {
    compare: ComparisonTemplates
    /** Appended when the subject is computed (an age): the actual value. */
    computedActual: string
    oneOf: string
    noneOf: string
    anyOf: string
    allOf: string
    noneOfGroup: string
    anyOfInline: string
    allOfInline: string
    noneOfInline: string
    not: string
    generic: string
    genericRequirement: string
    product: string
    productValue: string
    factValue: string
    onDate: string
    isTrue: string
    isFalse: string
    notProvided: string
    provided: string
    provideAll: string
    provideSome: string
    element: string
    missingFacts: string
    evaluationFailed: string
    summary: string
    words: { and: string; or: string; not: string; yes: string; no: string }
  }
}

/** The engine's texts per locale. */
export const MESSAGES: Readonly<Record<Locale, EngineMessages>> = {
  cs: {
    validation: {
      invalid_value: 'Povoleny jsou jen hodnoty JSON (nalezeno: {type}).',
      non_finite_number: 'Čísla musí být konečná.',
      string_too_long: 'Text je příliš dlouhý ({length} znaků, nejvýše {max}).',
      array_too_long: 'Seznam je příliš dlouhý ({length} položek, nejvýše {max}).',
      too_deep: 'Pravidlo je příliš hluboce vnořené (nejvýše {max} úrovní).',
      too_many_nodes: 'Pravidlo je příliš velké (nejvýše {max} částí).',
      invalid_object: 'Operace musí mít právě jeden operátor (nalezeno klíčů: {keys}).',
      unknown_operator: 'Operátor „{operator}“ není povolen.',
      arity: 'Operátor „{operator}“ přijímá {min} až {max} argumentů, ne {count}.',
      var_path_not_literal: 'Údaj musí být určen textovou cestou.',
      forbidden_path: 'Cesta „{path}“ obsahuje zakázanou část „{segment}“.',
      unknown_fact: '„{path}“ není známý údaj.',
      unknown_param: 'Program nemá parametr „{name}“.',
      unknown_plugin_fact: 'Typ programu „{plugin}“ nedeklaruje údaj „{path}“.',
      unknown_item_field: 'Položky seznamu „{list}“ nemají pole „{path}“.',
      missing_keys_not_literal: 'Údaje ke kontrole uveďte jako texty.',
      scope_too_deep: '„all“, „some“ a „none“ lze vnořit nejvýše do {max} úrovní.',
      invalid_date: '„{value}“ není datum ve tvaru rrrr-mm-dd.',
      type_mismatch: '„{operator}“ potřebuje hodnotu typu {expected}, ne {actual}.',
    },
    evaluation: {
      invalid_date: '„{value}“ není platné datum',
      array_too_long: 'seznam v údajích je příliš dlouhý ({length} položek, nejvýše {max})',
      iteration_budget: 'vyhodnocení pravidla je příliš náročné',
    },
    explain: {
      compare: {
        lt: '{subject} musí být menší než {expected}',
        lte: '{subject} musí být nejvýše {expected}',
        gt: '{subject} musí být větší než {expected}',
        gte: '{subject} musí být alespoň {expected}',
        eq: '{subject} musí mít hodnotu {expected}',
        ne: '{subject} nesmí mít hodnotu {expected}',
        between: '{subject} musí být od {min} do {max}',
        betweenExclusive: '{subject} musí být větší než {min} a menší než {max}',
        dateLt: '{subject} musí být před {expected}',
        dateLte: '{subject} musí být nejpozději {expected}',
        dateGt: '{subject} musí být po {expected}',
        dateGte: '{subject} musí být nejdříve {expected}',
      },
      computedActual: '(je {actual})',
      oneOf: '{subject} musí být jedna z možností: {choices}',
      noneOf: '{subject} nesmí být žádná z možností: {choices}',
      anyOf: 'Musí platit alespoň jedno z následujícího: {items}',
      allOf: 'Musí platit vše z následujícího: {items}',
      noneOfGroup: 'Nesmí platit nic z následujícího: {items}',
      anyOfInline: 'alespoň jedno z ({items})',
      allOfInline: 'vše z ({items})',
      noneOfInline: 'nic z ({items})',
      not: 'Nesmí platit: {item}',
      generic: 'Podmínka {expression} není splněna',
      genericRequirement: 'Musí platit podmínka {expression}',
      product: '{factor} × {label}',
      productValue: '{factor} × {label}, tj. {value}',
      factValue: '{label} ({value})',
      onDate: 'k {date}',
      isTrue: '{subject}: musí být ano',
      isFalse: '{subject}: musí být ne',
      notProvided: 'neuvedeno',
      provided: 'Údaj „{subject}“ musí být vyplněn',
      provideAll: 'Musí být uvedeny tyto údaje: {facts}',
      provideSome: 'Musí být uvedeno alespoň {count} z těchto údajů: {facts}',
      element: 'prvek',
      missingFacts: 'Chybí tyto údaje: {facts}',
      evaluationFailed: 'Nárok nelze vyhodnotit: {reason}',
      summary: 'Nárok vzniká, když: {body}',
      words: { and: 'a', or: 'nebo', not: 'neplatí', yes: 'ano', no: 'ne' },
    },
  },
  en: {
    validation: {
      invalid_value: 'Only JSON values are allowed (found {type}).',
      non_finite_number: 'Numbers must be finite.',
      string_too_long: 'The text is too long ({length} characters, at most {max}).',
      array_too_long: 'The list is too long ({length} items, at most {max}).',
      too_deep: 'The rule is nested too deeply (at most {max} levels).',
      too_many_nodes: 'The rule is too large (at most {max} parts).',
      invalid_object: 'An operation must have exactly one operator (found {keys} keys).',
      unknown_operator: 'The operator “{operator}” is not allowed.',
      arity: 'The operator “{operator}” takes {min} to {max} arguments, not {count}.',
      var_path_not_literal: 'A fact must be named by a text path.',
      forbidden_path: 'The path “{path}” contains the forbidden part “{segment}”.',
      unknown_fact: '“{path}” is not a known fact.',
      unknown_param: 'The program has no parameter “{name}”.',
      unknown_plugin_fact: 'The programme type “{plugin}” declares no fact “{path}”.',
      unknown_item_field: 'Items of “{list}” have no field “{path}”.',
      missing_keys_not_literal: 'List the facts to check as texts.',
      scope_too_deep: '“all”, “some” and “none” may be nested at most {max} levels deep.',
      invalid_date: '“{value}” is not a date in the form yyyy-mm-dd.',
      type_mismatch: '“{operator}” needs a {expected}, not a {actual}.',
    },
    evaluation: {
      invalid_date: '“{value}” is not a valid date',
      array_too_long: 'a list in the facts is too long ({length} items, at most {max})',
      iteration_budget: 'the rule needs too much work to evaluate',
    },
    explain: {
      compare: {
        lt: '{subject} must be less than {expected}',
        lte: '{subject} must be at most {expected}',
        gt: '{subject} must be more than {expected}',
        gte: '{subject} must be at least {expected}',
        eq: '{subject} must be {expected}',
        ne: '{subject} must not be {expected}',
        between: '{subject} must be between {min} and {max}',
        betweenExclusive: '{subject} must be more than {min} and less than {max}',
        dateLt: '{subject} must be before {expected}',
        dateLte: '{subject} must be on or before {expected}',
        dateGt: '{subject} must be after {expected}',
        dateGte: '{subject} must be on or after {expected}',
      },
      computedActual: '(it is {actual})',
      oneOf: '{subject} must be one of: {choices}',
      noneOf: '{subject} must not be any of: {choices}',
      anyOf: 'At least one of the following must hold: {items}',
      allOf: 'All of the following must hold: {items}',
      noneOfGroup: 'None of the following may hold: {items}',
      anyOfInline: 'at least one of ({items})',
      allOfInline: 'all of ({items})',
      noneOfInline: 'none of ({items})',
      not: 'The following must not hold: {item}',
      generic: 'The condition {expression} is not met',
      genericRequirement: 'The condition {expression} must hold',
      product: '{factor} × {label}',
      productValue: '{factor} × {label}, {value}',
      factValue: '{label} ({value})',
      onDate: 'on {date}',
      isTrue: '{subject} must be yes',
      isFalse: '{subject} must be no',
      notProvided: 'not provided',
      provided: '{subject} must be provided',
      provideAll: 'The following must be provided: {facts}',
      provideSome: 'At least {count} of the following must be provided: {facts}',
      element: 'element',
      missingFacts: 'The following information is missing: {facts}',
      evaluationFailed: 'Eligibility could not be evaluated: {reason}',
      summary: 'Eligible when: {body}',
      words: { and: 'and', or: 'or', not: 'not', yes: 'yes', no: 'no' },
    },
  },
  uk: {
    validation: {
      invalid_value: 'Дозволені лише значення JSON (знайдено: {type}).',
      non_finite_number: 'Числа мають бути скінченними.',
      string_too_long: 'Текст задовгий ({length} символів, щонайбільше {max}).',
      array_too_long: 'Список задовгий ({length} елементів, щонайбільше {max}).',
      too_deep: 'Правило має завелику вкладеність (щонайбільше {max} рівнів).',
      too_many_nodes: 'Правило завелике (щонайбільше {max} частин).',
      invalid_object: 'Операція повинна мати рівно один оператор (знайдено ключів: {keys}).',
      unknown_operator: 'Оператор «{operator}» не дозволено.',
      arity: 'Оператор «{operator}» приймає від {min} до {max} аргументів, а не {count}.',
      var_path_not_literal: 'Факт має бути вказаний текстовим шляхом.',
      forbidden_path: 'Шлях «{path}» містить заборонену частину «{segment}».',
      unknown_fact: '«{path}» не є відомим фактом.',
      unknown_param: 'Програма не має параметра «{name}».',
      unknown_plugin_fact: 'Тип програми «{plugin}» не оголошує факт «{path}».',
      unknown_item_field: 'Елементи списку «{list}» не мають поля «{path}».',
      missing_keys_not_literal: 'Факти для перевірки вкажіть як тексти.',
      scope_too_deep: '«all», «some» і «none» можна вкладати щонайбільше на {max} рівні.',
      invalid_date: '«{value}» не є датою у форматі рррр-мм-дд.',
      type_mismatch: '«{operator}» потребує значення типу {expected}, а не {actual}.',
    },
    evaluation: {
      invalid_date: '«{value}» не є дійсною датою',
      array_too_long: 'список у даних задовгий ({length} елементів, щонайбільше {max})',
      iteration_budget: 'оцінювання правила надто трудомістке',
    },
    explain: {
      compare: {
        lt: '{subject} має бути менше ніж {expected}',
        lte: '{subject} має бути не більше ніж {expected}',
        gt: '{subject} має бути більше ніж {expected}',
        gte: '{subject} має бути не менше ніж {expected}',
        eq: '{subject} має мати значення {expected}',
        ne: '{subject} не може мати значення {expected}',
        between: '{subject} має бути від {min} до {max}',
        betweenExclusive: '{subject} має бути більше ніж {min} і менше ніж {max}',
        dateLt: '{subject} має бути раніше ніж {expected}',
        dateLte: '{subject} має бути не пізніше ніж {expected}',
        dateGt: '{subject} має бути пізніше ніж {expected}',
        dateGte: '{subject} має бути не раніше ніж {expected}',
      },
      computedActual: '(становить {actual})',
      oneOf: '{subject} має бути одним із: {choices}',
      noneOf: '{subject} не може бути жодним із: {choices}',
      anyOf: 'Має виконуватися принаймні одна з умов: {items}',
      allOf: 'Мають виконуватися всі умови: {items}',
      noneOfGroup: 'Не може виконуватися жодна з умов: {items}',
      anyOfInline: 'принаймні одна з ({items})',
      allOfInline: 'усі з ({items})',
      noneOfInline: 'жодна з ({items})',
      not: 'Не має виконуватися: {item}',
      generic: 'Умова {expression} не виконується',
      genericRequirement: 'Має виконуватися умова {expression}',
      product: '{factor} × {label}',
      productValue: '{factor} × {label}, тобто {value}',
      factValue: '{label} ({value})',
      onDate: 'станом на {date}',
      isTrue: '{subject}: має бути так',
      isFalse: '{subject}: має бути ні',
      notProvided: 'не вказано',
      provided: 'Поле «{subject}» має бути заповнене',
      provideAll: 'Мають бути вказані такі дані: {facts}',
      provideSome: 'Мають бути вказані щонайменше {count} з таких даних: {facts}',
      element: 'елемент',
      missingFacts: 'Бракує таких даних: {facts}',
      evaluationFailed: 'Право не вдалося оцінити: {reason}',
      summary: 'Право виникає, якщо: {body}',
      words: { and: 'і', or: 'або', not: 'не', yes: 'так', no: 'ні' },
    },
  },
  pl: {
    validation: {
      invalid_value: 'Dozwolone są tylko wartości JSON (znaleziono: {type}).',
      non_finite_number: 'Liczby muszą być skończone.',
      string_too_long: 'Tekst jest za długi ({length} znaków, najwyżej {max}).',
      array_too_long: 'Lista jest za długa ({length} elementów, najwyżej {max}).',
      too_deep: 'Reguła jest zbyt głęboko zagnieżdżona (najwyżej {max} poziomów).',
      too_many_nodes: 'Reguła jest zbyt duża (najwyżej {max} części).',
      invalid_object: 'Operacja musi mieć dokładnie jeden operator (znaleziono kluczy: {keys}).',
      unknown_operator: 'Operator „{operator}” jest niedozwolony.',
      arity: 'Operator „{operator}” przyjmuje od {min} do {max} argumentów, a nie {count}.',
      var_path_not_literal: 'Fakt musi być wskazany ścieżką tekstową.',
      forbidden_path: 'Ścieżka „{path}” zawiera zabronioną część „{segment}”.',
      unknown_fact: '„{path}” nie jest znanym faktem.',
      unknown_param: 'Program nie ma parametru „{name}”.',
      unknown_plugin_fact: 'Typ programu „{plugin}” nie deklaruje faktu „{path}”.',
      unknown_item_field: 'Elementy listy „{list}” nie mają pola „{path}”.',
      missing_keys_not_literal: 'Fakty do sprawdzenia podaj jako teksty.',
      scope_too_deep: '„all”, „some” i „none” można zagnieżdżać najwyżej na {max} poziomy.',
      invalid_date: '„{value}” nie jest datą w formacie rrrr-mm-dd.',
      type_mismatch: '„{operator}” wymaga wartości typu {expected}, a nie {actual}.',
    },
    evaluation: {
      invalid_date: '„{value}” nie jest prawidłową datą',
      array_too_long: 'lista w danych jest za długa ({length} elementów, najwyżej {max})',
      iteration_budget: 'ocena reguły jest zbyt pracochłonna',
    },
    explain: {
      compare: {
        lt: '{subject} musi wynosić mniej niż {expected}',
        lte: '{subject} musi wynosić najwyżej {expected}',
        gt: '{subject} musi wynosić więcej niż {expected}',
        gte: '{subject} musi wynosić co najmniej {expected}',
        eq: '{subject} musi mieć wartość {expected}',
        ne: '{subject} nie może mieć wartości {expected}',
        between: '{subject} musi wynosić od {min} do {max}',
        betweenExclusive: '{subject} musi wynosić więcej niż {min} i mniej niż {max}',
        dateLt: '{subject} musi przypadać przed {expected}',
        dateLte: '{subject} musi przypadać najpóźniej {expected}',
        dateGt: '{subject} musi przypadać po {expected}',
        dateGte: '{subject} musi przypadać najwcześniej {expected}',
      },
      computedActual: '(wynosi {actual})',
      oneOf: '{subject} musi być jedną z wartości: {choices}',
      noneOf: '{subject} nie może być żadną z wartości: {choices}',
      anyOf: 'Musi być spełniony co najmniej jeden z warunków: {items}',
      allOf: 'Muszą być spełnione wszystkie warunki: {items}',
      noneOfGroup: 'Żaden z warunków nie może być spełniony: {items}',
      anyOfInline: 'co najmniej jeden z ({items})',
      allOfInline: 'wszystkie z ({items})',
      noneOfInline: 'żaden z ({items})',
      not: 'Nie może być spełnione: {item}',
      generic: 'Warunek {expression} nie jest spełniony',
      genericRequirement: 'Musi być spełniony warunek {expression}',
      product: '{factor} × {label}',
      productValue: '{factor} × {label}, tj. {value}',
      factValue: '{label} ({value})',
      onDate: 'na dzień {date}',
      isTrue: '{subject}: musi być tak',
      isFalse: '{subject}: musi być nie',
      notProvided: 'nie podano',
      provided: 'Pole „{subject}” musi być wypełnione',
      provideAll: 'Muszą być podane następujące dane: {facts}',
      provideSome: 'Musi być podanych co najmniej {count} z następujących danych: {facts}',
      element: 'element',
      missingFacts: 'Brakuje następujących danych: {facts}',
      evaluationFailed: 'Nie można ocenić uprawnienia: {reason}',
      summary: 'Uprawnienie przysługuje, gdy: {body}',
      words: { and: 'i', or: 'lub', not: 'nie', yes: 'tak', no: 'nie' },
    },
  },
}

/** Fills `{name}` placeholders of a template (unknown placeholders stay visible). */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole
  )
}

/** The engine's messages in a locale (Czech when the locale is unknown). */
export function messagesFor(locale: string): EngineMessages {
  return Object.hasOwn(MESSAGES, locale) ? MESSAGES[locale as Locale] : MESSAGES.cs
}

/** A validation error's text in a locale. */
export function formatValidationError(
  error: { code: ValidationErrorCode; message: { values: Record<string, string | number> } },
  locale: Locale
): string {
  return fillTemplate(messagesFor(locale).validation[error.code], error.message.values)
}

/** An evaluation error's text in a locale. */
export function formatEvaluationError(
  error: { code: EvaluationErrorCode; values: Record<string, string | number> },
  locale: Locale
): string {
  return fillTemplate(messagesFor(locale).evaluation[error.code], error.values)
}
