import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { validateRule, type ValidationError } from '#eligibility/validate'
import type { ParamTypes, PluginFactTypes, ProgramParam } from '#eligibility/fact_catalog'
import { referencedVars } from '#applications/declared'

/** Document formats an applicant may upload (checked by content when uploaded). */
export const DOCUMENT_FORMATS = ['application/pdf', 'image/jpeg', 'image/png'] as const

/** Activity categories a program may allow. */
export const ACTIVITY_CATEGORIES = [
  'sport',
  'art',
  'music',
  'science',
  'languages',
  'camp',
  'swimming',
  'culture',
  'school_supplies',
  'books',
  'other',
] as const

const translated = (max: number) =>
  vine.object({
    cs: vine.string().trim().minLength(1).maxLength(max),
    en: vine.string().trim().maxLength(max).optional(),
    uk: vine.string().trim().maxLength(max).optional(),
    pl: vine.string().trim().maxLength(max).optional(),
  })
const optionalTranslated = (max: number) =>
  vine.object({
    cs: vine.string().trim().maxLength(max).optional(),
    en: vine.string().trim().maxLength(max).optional(),
    uk: vine.string().trim().maxLength(max).optional(),
    pl: vine.string().trim().maxLength(max).optional(),
  })
const isoDate = () => vine.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const money = () => vine.number().withoutDecimals().min(0).max(1e13)

/**
 * The configuration of a program version: the same schema validates blueprints
 * (tenants/<slug>/programs/*.ts), the admin form and the JSON API. Money is in integer minor
 * units; shares are basis points (2000 = 20 %).
 */
export const programConfigSchema = vine.object({
  name: translated(200),
  description: optionalTranslated(5000).optional(),
  applicationOpensAt: vine.string().optional(),
  applicationClosesAt: vine.string().optional(),
  periods: vine
    .array(
      vine.object({
        key: vine.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
        name: translated(100),
        start: isoDate(),
        end: isoDate(),
        activitiesOpenFrom: isoDate().optional(),
      })
    )
    .minLength(1)
    .maxLength(24),
  audience: vine.object({
    scope: vine.enum(['residents', 'nationwide'] as const),
    /**
     * Who the benefit is for: a child of the applicant (the default when absent), or the
     * applicant themselves (seniors' passes, a student's exam fee).
     */
    beneficiary: vine.enum(['child', 'applicant'] as const).optional(),
    citizenships: vine
      .array(vine.enum(['CZ', 'UA', 'PL', 'SK', 'OTHER'] as const))
      .distinct()
      .optional(),
  }),
  currency: vine.enum(['CZK', 'PLN', 'EUR'] as const),
  budgetMinor: money(),
  /**
   * What an approval does when the budget cannot cover it: refuse it (the default), or put the
   * application on a waiting list granted in submission order when the budget grows.
   */
  whenBudgetExhausted: vine.enum(['refuse', 'waitlist'] as const).optional(),
  limits: vine.object({
    perChildAmountMinor: money().optional(),
    perChildCountPerPeriod: vine.number().withoutDecimals().min(1).max(100).optional(),
    perHouseholdAmountMinor: money().optional(),
  }),
  coPaymentBp: vine.number().withoutDecimals().min(0).max(9999),
  documents: vine
    .array(
      vine.object({
        key: vine.string().regex(/^[a-z0-9_]{1,40}$/),
        name: translated(200),
        help: optionalTranslated(2000).optional(),
        formats: vine.array(vine.enum(DOCUMENT_FORMATS)).minLength(1).distinct(),
        maxSizeBytes: vine
          .number()
          .withoutDecimals()
          .min(1024)
          .max(20 * 1024 * 1024),
        requiredWhen: vine.any().optional(),
      })
    )
    .maxLength(20),
  eligibilityRule: vine.any(),
  params: vine.record(
    vine.object({
      type: vine.enum(['number', 'money', 'date', 'boolean', 'enum', 'string'] as const),
      value: vine.any(),
      label: optionalTranslated(200).optional(),
    })
  ),
  categories: vine.array(vine.enum(ACTIVITY_CATEGORIES)).distinct(),
  requiresActivityApproval: vine.boolean(),
  pluginSettings: vine.record(vine.any()),
})

export const programConfigValidator = vine.compile(programConfigSchema)

export type ProgramConfig = Infer<typeof programConfigSchema>

/** Who a program's benefit is for. */
export type Beneficiary = 'child' | 'applicant'

/** Who a program version's benefit is for (a child when the configuration does not say). */
export function beneficiaryOf(version: { audience: ProgramConfig['audience'] }): Beneficiary {
  return version.audience?.beneficiary === 'applicant' ? 'applicant' : 'child'
}

/**
 * A problem found after the schema passed (rules, dates, parameters), with its field path:
 * either a key of the `errors` namespace, or an eligibility validation error (formatted by
 * the eligibility engine's own messages).
 */
export interface ConfigProblem {
  field: string
  key: string
  values: Record<string, string | number>
  ruleError?: ValidationError
}

/** Parameter declarations (types) of a configuration, as the eligibility engine wants them. */
export function paramTypesOf(params: ProgramConfig['params']): ParamTypes {
  const types: Record<string, ProgramParam> = {}
  for (const [name, param] of Object.entries(params)) types[name] = param as ProgramParam
  return types
}

/**
 * Checks what the schema cannot: the eligibility rule and each document's `requiredWhen`
 * rule (catalogue facts, the program's parameters and its plugin's declared facts, allowed
 * operators, size limits), date order, parameter names.
 */
export function checkProgramConfig(
  config: ProgramConfig,
  /** The facts the program's plugin declares (`{ [pluginId]: declarations }`; none when absent). */
  pluginFacts: PluginFactTypes = {}
): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const params = paramTypesOf(config.params)
  for (const name of Object.keys(config.params)) {
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(name))
      problems.push({ field: `params.${name}`, key: 'programs.bad_param_name', values: { name } })
  }
  const rule = validateRule(config.eligibilityRule, { params, pluginFacts })
  if (!rule.valid) {
    for (const error of rule.errors.slice(0, 10)) {
      problems.push({
        field: 'eligibilityRule',
        key: error.message.key,
        values: error.message.values,
        ruleError: error,
      })
    }
  }
  config.documents.forEach((doc, index) => {
    if (doc.requiredWhen === undefined || doc.requiredWhen === null) return
    const check = validateRule(doc.requiredWhen, { params, pluginFacts })
    if (!check.valid) {
      const first = check.errors[0]
      problems.push({
        field: `documents.${index}.requiredWhen`,
        key: first.message.key,
        values: first.message.values,
        ruleError: first,
      })
    }
  })
  if (config.audience.beneficiary === 'applicant') {
    // A program for the applicant has no child to read facts of: refuse such a rule plainly
    // rather than let every application fail on a missing fact.
    const childFacts = [...referencedVars(config.eligibilityRule)].filter((path) =>
      path.startsWith('child.')
    )
    for (const path of childFacts.slice(0, 1)) {
      problems.push({
        field: 'eligibilityRule',
        key: 'programs.child_fact_for_applicant',
        values: { path },
      })
    }
    config.documents.forEach((doc, index) => {
      const path = [...referencedVars(doc.requiredWhen)].find((p) => p.startsWith('child.'))
      if (path)
        problems.push({
          field: `documents.${index}.requiredWhen`,
          key: 'programs.child_fact_for_applicant',
          values: { path },
        })
    })
  }
  const keys = new Set<string>()
  config.documents.forEach((doc, index) => {
    if (keys.has(doc.key))
      problems.push({
        field: `documents.${index}.key`,
        key: 'programs.duplicate_document',
        values: { key: doc.key },
      })
    keys.add(doc.key)
  })
  const periodKeys = new Set<string>()
  config.periods.forEach((period, index) => {
    if (period.end <= period.start)
      problems.push({ field: `periods.${index}.end`, key: 'programs.period_order', values: {} })
    if (periodKeys.has(period.key))
      problems.push({
        field: `periods.${index}.key`,
        key: 'programs.duplicate_period',
        values: { key: period.key },
      })
    periodKeys.add(period.key)
  })
  if (
    config.applicationOpensAt &&
    config.applicationClosesAt &&
    config.applicationClosesAt <= config.applicationOpensAt
  ) {
    problems.push({ field: 'applicationClosesAt', key: 'programs.window_order', values: {} })
  }
  return problems
}
