/*
 * Demo eligibility rules as data (JSON Logic, as a program version stores them) with their parameters.
 * The first three are real programs (docs: ../shared/domain.md); the last is a synthetic rule with more
 * than 60 operations mixing every operator, used by tests and bench/eligibility.
 */
import type { ProgramParam } from './fact_catalog.js'
import type { JsonLogicRule, Localized } from './types.js'

const l = (cs: string, en: string, uk: string, pl: string): Localized => ({ cs, en, uk, pl })

/** `age_on(child.birth_date, period.start)`: the child's age at the start of the half-year. */
const CHILD_AGE_AT_PERIOD_START = { age_on: [{ var: 'child.birth_date' }, { var: 'period.start' }] }

/** Children aged 3 to 18 (inclusive) at the start of the period. */
const CHILD_AGED_3_TO_18 = { '<=': [3, CHILD_AGE_AT_PERIOD_START, 18] }

/** Parameters of "Darujeme kroužky dětem (UA)". */
export const DK_UA_PARAMS: Record<string, ProgramParam> = {
  income_multiplier: {
    type: 'number',
    value: 3.4,
    label: l(
      'Limit příjmu (násobek životního minima)',
      'Income limit (multiple of the subsistence minimum)',
      'Межа доходу (кратне прожиткового мінімуму)',
      'Limit dochodu (wielokrotność minimum egzystencji)'
    ),
  },
}

/**
 * "Darujeme kroužky dětem (CZ)": a child aged 3–18 at the start of the period, and the family receives
 * the child allowance, the care allowance, the foster care allowance or the foster parent reward.
 */
export const DK_CZ_RULE: JsonLogicRule = {
  and: [
    CHILD_AGED_3_TO_18,
    {
      or: [
        { '===': [{ var: 'applicant.benefits.child_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.care_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.foster_care_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.foster_parent_reward' }, true] },
      ],
    },
  ],
}

/**
 * "Darujeme kroužky dětem (UA)": a child aged 3–18 at the start of the period, temporary protection or a
 * tolerance visa, and household income at most `params.income_multiplier` (3.4) × the subsistence minimum.
 */
export const DK_UA_RULE: JsonLogicRule = {
  and: [
    CHILD_AGED_3_TO_18,
    { in: [{ var: 'applicant.protection_status' }, ['temporary_protection', 'tolerance_visa']] },
    {
      '<=': [
        { var: 'household.monthly_income' },
        { '*': [{ var: 'params.income_multiplier' }, { var: 'household.subsistence_minimum' }] },
      ],
    },
  ],
}

/** Olomouc seniors: the applicant is at least 60 on the reference date. */
export const OLOMOUC_SENIORS_RULE: JsonLogicRule = {
  '>=': [{ age_on: [{ var: 'applicant.birth_date' }, { var: 'reference_date' }] }, 60],
}

/** Parameters of the synthetic rule. */
export const SYNTHETIC_PARAMS: Record<string, ProgramParam> = {
  ...DK_UA_PARAMS,
  max_applications: {
    type: 'number',
    value: 5,
    label: l(
      'Nejvyšší počet žádostí v období',
      'Maximum applications in the period',
      'Максимальна кількість заяв за період',
      'Maksymalna liczba wniosków w okresie'
    ),
  },
  max_amount_per_period: {
    type: 'money',
    value: 400_000,
    label: l(
      'Nejvyšší částka v období',
      'Maximum amount in the period',
      'Максимальна сума за період',
      'Maksymalna kwota w okresie'
    ),
  },
}

/**
 * A synthetic rule with 60+ operations (not counting `var`) mixing comparisons, between, boolean logic,
 * membership, arithmetic, strings, arrays, missing, all/some/none and every date operator.
 */
export const SYNTHETIC_60_RULE: JsonLogicRule = {
  and: [
    CHILD_AGED_3_TO_18,
    {
      or: [
        { '===': [{ var: 'applicant.benefits.child_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.care_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.foster_care_allowance' }, true] },
        { '===': [{ var: 'applicant.benefits.foster_parent_reward' }, true] },
      ],
    },
    { in: [{ var: 'applicant.citizenship' }, ['CZ', 'UA', 'PL', 'SK']] },
    { '!': [{ in: [{ var: 'applicant.home_tenant' }, ['blocked-tenant', 'test-tenant']] }] },
    {
      or: [
        { '<=': [{ var: 'household.income_multiple' }, { var: 'params.income_multiplier' }] },
        {
          '<=': [
            { var: 'household.monthly_income' },
            {
              '*': [{ var: 'params.income_multiplier' }, { var: 'household.subsistence_minimum' }],
            },
          ],
        },
      ],
    },
    { '<': [{ var: 'history.applications_in_period' }, { var: 'params.max_applications' }] },
    {
      '<=': [
        { '+': [{ var: 'history.amount_granted_in_period' }, 200_000] },
        { var: 'params.max_amount_per_period' },
      ],
    },
    { '<=': [{ var: 'history.benefits_in_period' }, 2] },
    { '>=': [{ var: 'applicant.documents.length' }, 1] },
    {
      some: [{ var: 'household.children' }, { date_before: [{ var: 'birth_date' }, '2022-09-01'] }],
    },
    { all: [{ var: 'household.children' }, { date_after: [{ var: 'birth_date' }, '2005-09-01'] }] },
    { none: [{ var: 'applicant.documents' }, { '==': [{ var: '' }, 'revoked'] }] },
    { '>=': [{ months_between: [{ var: 'child.birth_date' }, { var: 'period.end' }] }, 36] },
    { '<=': [1, { days_between: [{ var: 'period.start' }, { var: 'period.end' }] }, 366] },
    { date_before: [{ var: 'period.start' }, { var: 'period.end' }] },
    { '>=': [{ age_on: [{ var: 'applicant.birth_date' }, { var: 'reference_date' }] }, 18] },
    {
      if: [
        { '===': [{ var: 'applicant.citizenship' }, 'UA'] },
        {
          in: [{ var: 'applicant.protection_status' }, ['temporary_protection', 'tolerance_visa']],
        },
        { '!==': [{ var: 'applicant.protection_status' }, 'tolerance_visa'] },
      ],
    },
    { '!!': [{ var: 'applicant.verified' }] },
    { '<': [0, { var: 'household.children_count' }, 13] },
    {
      '>=': [
        { max: [{ var: 'household.children_count' }, { var: 'household.children.length' }] },
        1,
      ],
    },
    {
      '<=': [
        {
          '-': [
            { var: 'history.amount_granted_in_period' },
            { '%': [{ var: 'history.amount_granted_in_period' }, 100] },
          ],
        },
        { '/': [{ var: 'params.max_amount_per_period' }, 1] },
      ],
    },
    { '!=': [{ substr: [{ cat: [{ var: 'applicant.home_tenant' }, '-x'] }, 0, 5] }, 'test-'] },
    { '!': [{ in: ['revoked', { merge: [{ var: 'applicant.documents' }, ['none']] }] }] },
    { '!': [{ missing: ['household.monthly_income', 'household.subsistence_minimum'] }] },
    { '!': [{ missing_some: [1, ['applicant.citizenship', 'applicant.home_tenant']] }] },
    { '!==': [{ var: 'child.birth_date' }, null] },
    { '<=': [{ age_on: [{ var: 'child.birth_date' }, { var: 'period.end' }] }, 19] },
    { '>': [{ '+': [{ var: 'household.subsistence_minimum' }, 1] }, 0] },
    { '<=': [{ min: [{ var: 'household.children_count' }, 20] }, 12] },
  ],
}

/** A demo program: its rule, its parameters and a name. */
export interface DemoProgram {
  key: string
  name: Localized
  rule: JsonLogicRule
  params: Record<string, ProgramParam>
}

/** The demo programs by key. */
export const DEMO_PROGRAMS: Readonly<
  Record<'dk_cz' | 'dk_ua' | 'olomouc_seniors' | 'synthetic_60', DemoProgram>
> = {
  dk_cz: {
    key: 'demo:dk_cz:v1',
    name: l(
      'Darujeme kroužky dětem (CZ)',
      'We donate clubs to children (CZ)',
      'Даруємо гуртки дітям (CZ)',
      'Darujemy zajęcia dzieciom (CZ)'
    ),
    rule: DK_CZ_RULE,
    params: {},
  },
  dk_ua: {
    key: 'demo:dk_ua:v1',
    name: l(
      'Darujeme kroužky dětem (UA)',
      'We donate clubs to children (UA)',
      'Даруємо гуртки дітям (UA)',
      'Darujemy zajęcia dzieciom (UA)'
    ),
    rule: DK_UA_RULE,
    params: DK_UA_PARAMS,
  },
  olomouc_seniors: {
    key: 'demo:olomouc_seniors:v1',
    name: l(
      'Olomouc – senioři',
      'Olomouc – seniors',
      'Оломоуць – сеньйори',
      'Ołomuniec – seniorzy'
    ),
    rule: OLOMOUC_SENIORS_RULE,
    params: {},
  },
  synthetic_60: {
    key: 'demo:synthetic_60:v1',
    name: l(
      'Syntetické pravidlo (60+ operací)',
      'Synthetic rule (60+ operations)',
      'Синтетичне правило (60+ операцій)',
      'Reguła syntetyczna (60+ operacji)'
    ),
    rule: SYNTHETIC_60_RULE,
    params: SYNTHETIC_PARAMS,
  },
}
