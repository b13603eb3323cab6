/*
 * A plugin's eligibility facts (the manifest's `facts`): what the registry checks at boot, what
 * the `application.eligibility_facts` hook's results are checked against, and which declarations
 * the running app's evaluations read.
 *
 * A declaration names a fact relative to the plugin id (`used_this_year` is the fact
 * `<id>.used_this_year`) with the fact catalogue's typed shape (app/eligibility/fact_catalog.ts):
 * type, label in every locale, optional description, choices of an enum, number format, the
 * requirement sentences of a boolean. List facts are not supported: the builder and the
 * explanations would need an element shape and a count label; a plugin declares the number of
 * items instead.
 */
import {
  type PluginFactDeclaration,
  type PluginFactTypes,
  CORE_FACT_NAMESPACES,
  FORBIDDEN_SEGMENTS,
  isInheritedName,
  isValidPluginFactName,
} from '../eligibility/fact_catalog.js'
import { isIsoDate } from '../eligibility/operators.js'
import { LOCALES } from '../eligibility/types.js'

/** The fact types a plugin may declare. */
export const PLUGIN_FACT_TYPES = ['number', 'money', 'date', 'boolean', 'enum', 'string'] as const

const DECLARATION_FIELDS = new Set([
  'type',
  'label',
  'description',
  'choices',
  'format',
  'requirement',
])
const UNITS = ['year', 'month', 'day']

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The locales a text lacks (all of them when it is not an object of texts). */
function missingLocales(text: unknown): string[] {
  return isObject(text)
    ? LOCALES.filter((l) => typeof text[l] !== 'string' || (text[l] as string).trim() === '')
    : [...LOCALES]
}

/**
 * Checks a manifest's `facts` for the plugin `pluginId`; returns each problem as a sentence
 * naming the fact (empty when the declarations are valid).
 */
export function checkFactDeclarations(facts: unknown, pluginId: string): string[] {
  const problems: string[] = []
  if (!isObject(facts) || Object.getPrototypeOf(facts) !== Object.prototype) {
    return ['facts must be an object of fact declarations by name ({ used_this_year: { ... } })']
  }
  const names = Object.keys(facts)
  if (names.length > 0 && CORE_FACT_NAMESPACES.has(pluginId)) {
    problems.push(
      `facts cannot be declared by a plugin whose id "${pluginId}" is a core fact namespace`
    )
  }
  for (const name of names) {
    const fact = `fact "${name}"`
    if (FORBIDDEN_SEGMENTS.has(name)) {
      problems.push(`${fact} is a forbidden name (${[...FORBIDDEN_SEGMENTS].join(', ')})`)
      continue
    }
    if (isInheritedName(name)) {
      problems.push(
        `${fact} is a name every JSON value inherits (such as toString): choose another`
      )
      continue
    }
    if (name === 'length') {
      problems.push(`${fact} is reserved (a rule reads a list's count as <list>.length)`)
      continue
    }
    if (!isValidPluginFactName(name)) {
      problems.push(
        `${fact} is not a valid name: lowercase snake_case, starting with a letter, at most 64 characters (the fact is ${pluginId}.<name>)`
      )
      continue
    }
    problems.push(...checkDeclaration(facts[name], `fact "${pluginId}.${name}"`))
  }
  return problems
}

function checkDeclaration(declaration: unknown, fact: string): string[] {
  const problems: string[] = []
  if (!isObject(declaration)) return [`${fact} must be a declaration { type, label, ... }`]
  for (const key of Object.keys(declaration)) {
    if (!DECLARATION_FIELDS.has(key)) problems.push(`${fact} has an unknown field "${key}"`)
  }
  const type = declaration.type
  if (type === 'list') {
    problems.push(
      `${fact}: list facts are not supported (declare the number of items as a number fact)`
    )
  } else if (!(PLUGIN_FACT_TYPES as readonly unknown[]).includes(type)) {
    problems.push(
      `${fact} has an unknown type ${JSON.stringify(type)} (one of ${PLUGIN_FACT_TYPES.join(', ')})`
    )
  }
  const label = missingLocales(declaration.label)
  if (label.length > 0) problems.push(`${fact}: label is missing the locales ${label.join(', ')}`)
  if (declaration.description !== undefined) {
    const missing = missingLocales(declaration.description)
    if (missing.length > 0)
      problems.push(`${fact}: description is missing the locales ${missing.join(', ')}`)
  }

  if (type === 'enum') {
    const choices = declaration.choices
    if (!Array.isArray(choices) || choices.length === 0) {
      problems.push(`${fact}: an enum needs choices [{ value, label }, ...]`)
    } else {
      const seen = new Set<string>()
      choices.forEach((choice: unknown, index) => {
        if (!isObject(choice) || typeof choice.value !== 'string' || choice.value === '') {
          problems.push(`${fact}: choice ${index + 1} needs a text value`)
          return
        }
        if (seen.has(choice.value))
          problems.push(`${fact}: choice "${choice.value}" is listed twice`)
        seen.add(choice.value)
        const missing = missingLocales(choice.label)
        if (missing.length > 0)
          problems.push(
            `${fact}: the label of choice "${choice.value}" is missing the locales ${missing.join(', ')}`
          )
      })
    }
  } else if (declaration.choices !== undefined) {
    problems.push(`${fact}: only an enum has choices`)
  }

  if (declaration.format !== undefined) {
    const format = declaration.format
    if (type !== 'number') problems.push(`${fact}: only a number has a format`)
    else if (!isObject(format))
      problems.push(`${fact}: format must be { unit?, maximumFractionDigits? }`)
    else {
      for (const key of Object.keys(format)) {
        if (key !== 'unit' && key !== 'maximumFractionDigits')
          problems.push(`${fact}: format has an unknown field "${key}"`)
      }
      if (format.unit !== undefined && !UNITS.includes(format.unit as string))
        problems.push(`${fact}: format.unit must be one of ${UNITS.join(', ')}`)
      const digits = format.maximumFractionDigits
      if (
        digits !== undefined &&
        !(Number.isSafeInteger(digits) && (digits as number) >= 0 && (digits as number) <= 20)
      )
        problems.push(`${fact}: format.maximumFractionDigits must be a whole number from 0 to 20`)
    }
  }

  if (declaration.requirement !== undefined) {
    const requirement = declaration.requirement
    if (type !== 'boolean') problems.push(`${fact}: only a boolean has requirement sentences`)
    else if (!isObject(requirement))
      problems.push(`${fact}: requirement must be { isTrue, isFalse }`)
    else {
      for (const key of ['isTrue', 'isFalse'] as const) {
        const missing = missingLocales(requirement[key])
        if (missing.length > 0)
          problems.push(`${fact}: requirement.${key} is missing the locales ${missing.join(', ')}`)
      }
    }
  }
  return problems
}

/**
 * Why a value cannot be the declared fact's (`undefined` when it can): numbers finite, money a
 * whole number of minor units, dates `yyyy-mm-dd`, an enum one of its choices; `null` always
 * fits (the fact is unknown for this applicant, and a rule reading it decides as for a missing
 * fact).
 */
export function factValueProblem(
  declaration: PluginFactDeclaration,
  value: unknown
): string | undefined {
  if (value === null) return undefined
  switch (declaration.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a finite number'
    case 'money':
      return Number.isSafeInteger(value) ? undefined : 'a whole number of minor units'
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? undefined : 'a date yyyy-mm-dd'
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false'
    case 'enum':
      return typeof value === 'string' && declaration.choices?.some((c) => c.value === value)
        ? undefined
        : `one of ${(declaration.choices ?? []).map((c) => c.value).join(', ')}`
    case 'string':
      return typeof value === 'string' ? undefined : 'a text'
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* The installed plugins' declarations                                                               */
/* ------------------------------------------------------------------------------------------------ */

let installed: PluginFactTypes = Object.freeze({})

/**
 * Tells the app which plugin facts the installed plugins declare (the plugin provider sets it at
 * boot from the registry).
 */
export function usePluginFacts(types: PluginFactTypes) {
  installed = types
}

/**
 * The fact declarations of every installed plugin, by plugin id: what evaluations of stored
 * rules read. A stored rule was validated at save against its own program's plugin only (and a
 * plugin's facts are named by its id, like its tables and routes), so reading them from all
 * installed plugins gives each rule its own plugin's declarations. The same object until the
 * registry changes (the compiler caches by identity).
 */
export function installedPluginFacts(): PluginFactTypes {
  return installed
}
