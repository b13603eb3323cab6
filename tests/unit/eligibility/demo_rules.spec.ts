import { test } from '@japa/runner'
import jsonLogic from 'json-logic-js'
import {
  DEMO_PROGRAMS,
  DK_CZ_RULE,
  DK_UA_PARAMS,
  DK_UA_RULE,
  SYNTHETIC_60_RULE,
} from '../../../app/eligibility/demo_rules.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { describeRule, explain } from '../../../app/eligibility/explain.js'
import { paramValues } from '../../../app/eligibility/fact_catalog.js'
import { installCustomOperators } from '../../../app/eligibility/operators.js'
import { validateRule } from '../../../app/eligibility/validate.js'

installCustomOperators(jsonLogic as any)

/** Money in the facts is in minor units (haléře): 71 176 CZK is 7 117 600. */
const CZK = (amount: number) => amount * 100
const NBSP = '\u00a0'

const UA_FAMILY = {
  child: { birth_date: '2016-03-10' },
  period: { start: '2025-09-01', end: '2026-01-31' },
  applicant: { citizenship: 'UA', protection_status: 'temporary_protection' },
  household: { monthly_income: CZK(71_176), subsistence_minimum: CZK(13_490) },
}

const CZ_FAMILY = {
  child: { birth_date: '2016-03-10' },
  period: { start: '2025-09-01', end: '2026-01-31' },
  applicant: {
    citizenship: 'CZ',
    benefits: {
      child_allowance: true,
      care_allowance: false,
      foster_care_allowance: false,
      foster_parent_reward: false,
    },
  },
}

test.group('eligibility / demo rules: Darujeme kroužky dětem (CZ)', () => {
  test('a 9-year-old with the child allowance is eligible', ({ assert }) => {
    const result = evaluate(DK_CZ_RULE, CZ_FAMILY)
    assert.isTrue(result.eligible)
    assert.isTrue(jsonLogic.apply(DK_CZ_RULE as any, CZ_FAMILY))
  })

  test('any one of the four benefits is enough; none is not', ({ assert }) => {
    for (const benefit of [
      'child_allowance',
      'care_allowance',
      'foster_care_allowance',
      'foster_parent_reward',
    ]) {
      const facts = { ...CZ_FAMILY, applicant: { benefits: { [benefit]: true } } }
      assert.isTrue(evaluate(DK_CZ_RULE, facts).eligible, benefit)
    }
    const none = { ...CZ_FAMILY, applicant: { benefits: { child_allowance: false } } }
    assert.isFalse(evaluate(DK_CZ_RULE, none).eligible)
    // "true" as a string is not a benefit: the rule compares with === true.
    const text = { ...CZ_FAMILY, applicant: { benefits: { child_allowance: 'true' } } }
    assert.isFalse(evaluate(DK_CZ_RULE, text).eligible)
  })

  test('age 3 to 18 inclusive on the period start, birthdays on the boundary', ({ assert }) => {
    const verdict = (birth: string) =>
      evaluate(DK_CZ_RULE, { ...CZ_FAMILY, child: { birth_date: birth } }).eligible
    assert.isTrue(verdict('2022-09-01')) // turns 3 on the period start
    assert.isFalse(verdict('2022-09-02')) // turns 3 a day later
    assert.isTrue(verdict('2006-09-02')) // 18, turns 19 the day after the start
    assert.isFalse(verdict('2006-09-01')) // turns 19 on the period start
  })

  test('explanations in Czech and English name each unmet condition', ({ assert }) => {
    const toddler = {
      child: { birth_date: '2023-01-15' },
      period: { start: '2025-09-01' },
      applicant: { benefits: { child_allowance: false } },
    }
    const en = explain(DK_CZ_RULE, toddler, { locale: 'en' })
    assert.isFalse(en.eligible)
    assert.deepEqual(en.sentences, [
      "Child's age on September 1, 2025 must be between 3 and 18 years (it is 2 years).",
      'At least one of the following must hold: the applicant must receive the child allowance; the applicant must receive the care allowance; the applicant must receive the foster care allowance; the applicant must receive the foster parent reward.',
    ])
    const cs = explain(DK_CZ_RULE, toddler, { locale: 'cs' })
    assert.deepEqual(cs.sentences, [
      'Věk dítěte k 1. září 2025 musí být od 3 do 18 let (je 2 roky).',
      'Musí platit alespoň jedno z následujícího: žadatel musí pobírat přídavek na dítě; žadatel musí pobírat příspěvek na péči; žadatel musí pobírat příspěvek na úhradu potřeb dítěte v pěstounské péči; žadatel musí pobírat odměnu pěstouna.',
    ])
    assert.deepEqual(explain(DK_CZ_RULE, CZ_FAMILY, { locale: 'cs' }).sentences, [])
  })

  test('the sentence view summarises the rule', ({ assert }) => {
    assert.equal(
      describeRule(DK_CZ_RULE, { locale: 'en' }),
      "Eligible when: child's age at the start of the period must be between 3 and 18 years; at least one of (the applicant must receive the child allowance; the applicant must receive the care allowance; the applicant must receive the foster care allowance; the applicant must receive the foster parent reward)."
    )
    assert.equal(
      describeRule(DK_CZ_RULE, { locale: 'cs' }),
      'Nárok vzniká, když: věk dítěte k začátku období musí být od 3 do 18 let; alespoň jedno z (žadatel musí pobírat přídavek na dítě; žadatel musí pobírat příspěvek na péči; žadatel musí pobírat příspěvek na úhradu potřeb dítěte v pěstounské péči; žadatel musí pobírat odměnu pěstouna).'
    )
  })
})

test.group('eligibility / demo rules: Darujeme kroužky dětem (UA)', () => {
  test('3.4 × 13 490 = 45 866: income 71 176 is over the limit, 45 866 is exactly on it', ({
    assert,
  }) => {
    assert.equal(3.4 * 13_490, 45_866)
    assert.equal(3.4 * CZK(13_490), CZK(45_866))
    const over = evaluate(DK_UA_RULE, UA_FAMILY, { params: DK_UA_PARAMS })
    assert.isFalse(over.eligible)
    const limit = {
      ...UA_FAMILY,
      household: { ...UA_FAMILY.household, monthly_income: CZK(45_866) },
    }
    assert.isTrue(evaluate(DK_UA_RULE, limit, { params: DK_UA_PARAMS }).eligible)
    const justOver = {
      ...UA_FAMILY,
      household: { ...UA_FAMILY.household, monthly_income: CZK(45_866) + 1 },
    }
    assert.isFalse(evaluate(DK_UA_RULE, justOver, { params: DK_UA_PARAMS }).eligible)
    // The same verdicts as json-logic-js with the params in the facts.
    const withParams = { ...limit, params: paramValues(DK_UA_PARAMS) }
    assert.isTrue(jsonLogic.apply(DK_UA_RULE as any, withParams))
  })

  test('temporary protection or a tolerance visa; nothing else', ({ assert }) => {
    const verdict = (status: unknown) =>
      evaluate(
        DK_UA_RULE,
        {
          ...UA_FAMILY,
          household: { monthly_income: CZK(30_000), subsistence_minimum: CZK(13_490) },
          applicant: { protection_status: status },
        },
        { params: DK_UA_PARAMS }
      ).eligible
    assert.isTrue(verdict('temporary_protection'))
    assert.isTrue(verdict('tolerance_visa'))
    assert.isFalse(verdict('none'))
    assert.isFalse(verdict(null))
  })

  test('explanations: the income sentence with formatted money in Czech and English (and uk, pl)', ({
    assert,
  }) => {
    const expected = {
      en: `Household monthly income CZK${NBSP}71,176 must be at most 3.4 × household subsistence minimum, CZK${NBSP}45,866.`,
      cs: `Měsíční příjem domácnosti 71${NBSP}176${NBSP}Kč musí být nejvýše 3,4 × životní minimum domácnosti, tj. 45${NBSP}866${NBSP}Kč.`,
      uk: `Щомісячний дохід домогосподарства 71${NBSP}176${NBSP}CZK має бути не більше ніж 3,4 × прожитковий мінімум домогосподарства, тобто 45${NBSP}866${NBSP}CZK.`,
      pl: `Miesięczny dochód gospodarstwa domowego 71${NBSP}176${NBSP}CZK musi wynosić najwyżej 3,4 × minimum egzystencji gospodarstwa domowego, tj. 45${NBSP}866${NBSP}CZK.`,
    }
    for (const locale of ['en', 'cs', 'uk', 'pl'] as const) {
      const result = explain(DK_UA_RULE, UA_FAMILY, { locale, params: DK_UA_PARAMS })
      assert.isFalse(result.eligible)
      assert.deepEqual(result.sentences, [expected[locale]])
    }
  })

  test('explanations: membership with choice labels and the actual value', ({ assert }) => {
    const facts = {
      ...UA_FAMILY,
      applicant: { protection_status: 'none' },
      household: { monthly_income: CZK(30_000), subsistence_minimum: CZK(13_490) },
    }
    assert.deepEqual(explain(DK_UA_RULE, facts, { locale: 'en', params: DK_UA_PARAMS }).sentences, [
      'Protection status (None) must be one of: Temporary protection, Tolerance visa.',
    ])
    assert.deepEqual(explain(DK_UA_RULE, facts, { locale: 'cs', params: DK_UA_PARAMS }).sentences, [
      'Typ ochrany (Žádná) musí být jedna z možností: Dočasná ochrana, Vízum strpění.',
    ])
    const citizenship = { in: [{ var: 'applicant.citizenship' }, ['CZ', 'UA']] }
    assert.deepEqual(
      explain(citizenship, { applicant: { citizenship: 'SK' } }, { locale: 'en' }).sentences,
      ['Citizenship (Slovakia) must be one of: Czech Republic, Ukraine.']
    )
    assert.equal(
      describeRule(citizenship, { locale: 'en' }),
      'Eligible when: citizenship must be one of: Czech Republic, Ukraine.'
    )
  })

  test('missing income fails closed instead of being read as 0', ({ assert }) => {
    const facts = { ...UA_FAMILY, household: { subsistence_minimum: CZK(13_490) } }
    // Plain JSON Logic: null <= 45 866 is true.
    assert.isTrue(
      evaluate(DK_UA_RULE, facts, { params: DK_UA_PARAMS, missingFacts: 'allow' }).eligible
    )
    const result = evaluate(DK_UA_RULE, facts, { params: DK_UA_PARAMS })
    assert.isFalse(result.eligible)
    assert.deepEqual(result.missing, ['household.monthly_income'])
    assert.deepEqual(explain(DK_UA_RULE, facts, { locale: 'en', params: DK_UA_PARAMS }).sentences, [
      'The following information is missing: Household monthly income.',
    ])
  })
})

test.group('eligibility / demo rules: Olomouc seniors and the synthetic rule', () => {
  test('seniors: 60 on the reference date, never "today"', ({ assert }) => {
    const rule = DEMO_PROGRAMS.olomouc_seniors.rule
    const verdict = (birth: string, reference: string) =>
      evaluate(rule, { applicant: { birth_date: birth }, reference_date: reference }).eligible
    assert.isTrue(verdict('1965-06-30', '2025-06-30'))
    assert.isFalse(verdict('1965-07-01', '2025-06-30'))
    assert.isTrue(verdict('1964-02-29', '2024-02-29'))
    assert.isFalse(verdict('1964-02-29', '2024-02-28'))
    assert.deepEqual(
      explain(
        rule,
        { applicant: { birth_date: '1970-01-01' }, reference_date: '2025-06-30' },
        { locale: 'en' }
      ).sentences,
      ["Applicant's age on June 30, 2025 must be at least 60 years (it is 55 years)."]
    )
  })

  test('the synthetic rule has 60+ operations, validates and agrees with json-logic-js', ({
    assert,
  }) => {
    const count = (node: unknown): number => {
      if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + count(item), 0)
      if (node === null || typeof node !== 'object') return 0
      const [operator] = Object.keys(node)
      return (operator === 'var' ? 0 : 1) + count((node as Record<string, unknown>)[operator])
    }
    assert.isAtLeast(count(SYNTHETIC_60_RULE), 60)
    const program = DEMO_PROGRAMS.synthetic_60
    assert.isTrue(validateRule(program.rule, { params: program.params }).valid)
    const facts = {
      ...CZ_FAMILY,
      reference_date: '2025-09-01',
      applicant: {
        ...CZ_FAMILY.applicant,
        home_tenant: 'praha5',
        protection_status: 'none',
        birth_date: '1985-04-12',
        verified: true,
        documents: ['decision'],
      },
      household: {
        monthly_income: CZK(30_000),
        subsistence_minimum: CZK(13_490),
        income_multiple: 30_000 / 13_490,
        children_count: 2,
        children: [{ birth_date: '2016-03-10' }, { birth_date: '2019-11-02' }],
      },
      history: {
        applications_in_period: 1,
        benefits_in_period: 1,
        amount_granted_in_period: CZK(1_000),
      },
      params: paramValues(program.params),
    }
    assert.isTrue(evaluate(program.rule, facts, { params: program.params }).eligible)
    assert.isTrue(jsonLogic.apply(program.rule as any, facts))
    const unverified = { ...facts, applicant: { ...facts.applicant, verified: false } }
    assert.isFalse(evaluate(program.rule, unverified, { params: program.params }).eligible)
    assert.deepEqual(
      explain(program.rule, unverified, { locale: 'en', params: program.params }).sentences,
      ["The applicant's identity must be verified."]
    )
  })
})
