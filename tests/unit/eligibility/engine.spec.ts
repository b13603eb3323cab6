import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { LruCache, compile, compiledRules, ruleKey } from '../../../app/eligibility/compile.js'
import { DK_UA_PARAMS, DK_UA_RULE } from '../../../app/eligibility/demo_rules.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { EligibilityEvaluationError, RuleValidationError } from '../../../app/eligibility/errors.js'
import { explain, formatMoney } from '../../../app/eligibility/explain.js'
import { FACT_CATALOGUE, lookupFact } from '../../../app/eligibility/fact_catalog.js'
import {
  ageOn,
  dateAfter,
  dateBefore,
  daysBetween,
  isIsoDate,
  monthsBetween,
} from '../../../app/eligibility/operators.js'
import { LOCALES } from '../../../app/eligibility/types.js'

const UA_FAMILY = {
  child: { birth_date: '2016-03-10' },
  period: { start: '2025-09-01' },
  applicant: { protection_status: 'none' },
  household: { monthly_income: 7_117_600, subsistence_minimum: 1_349_000 },
}

test.group('eligibility / date operators are anchored at the given dates', () => {
  test('age_on counts whole years; 29 February birthdays fall on 28 February in common years', ({
    assert,
  }) => {
    assert.equal(ageOn('2015-09-01', '2025-09-01'), 10)
    assert.equal(ageOn('2015-09-02', '2025-09-01'), 9)
    assert.equal(ageOn('2020-02-29', '2021-02-27'), 0)
    assert.equal(ageOn('2020-02-29', '2021-02-28'), 1)
    assert.equal(ageOn('2020-02-29', '2024-02-28'), 3)
    assert.equal(ageOn('2020-02-29', '2024-02-29'), 4)
    assert.equal(ageOn('2025-09-02', '2025-09-01'), -1)
    assert.isNull(ageOn(null, '2025-09-01'))
    assert.isNull(ageOn('2015-01-01', undefined))
    assert.throws(() => ageOn('2015-02-30', '2025-01-01'), EligibilityEvaluationError)
    assert.throws(() => ageOn('1.1.2015', '2025-01-01'), EligibilityEvaluationError)
    assert.throws(() => ageOn(20150101, '2025-01-01'), EligibilityEvaluationError)
  })

  test('months_between, days_between, date_before and date_after', ({ assert }) => {
    assert.equal(monthsBetween('2025-01-15', '2025-03-15'), 2)
    assert.equal(monthsBetween('2025-01-15', '2025-03-14'), 1)
    assert.equal(monthsBetween('2025-01-31', '2025-02-28'), 1) // no 31 February: the last day completes the month
    assert.equal(monthsBetween('2025-01-31', '2025-02-27'), 0)
    assert.equal(monthsBetween('2025-03-15', '2025-01-15'), -2)
    assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2)
    assert.equal(daysBetween('2025-01-01', '2024-01-01'), -366)
    assert.equal(daysBetween('1970-01-01', '2000-03-01'), 11_017)
    assert.equal(daysBetween('0001-01-01', '9999-12-31'), 3_652_058)
    assert.isTrue(dateBefore('2025-08-31', '2025-09-01'))
    assert.isFalse(dateBefore('2025-09-01', '2025-09-01'))
    assert.isTrue(dateAfter('2025-09-02', '2025-09-01'))
    assert.isNull(dateAfter(null, '2025-09-01'))
    assert.isTrue(isIsoDate('2024-02-29'))
    assert.isFalse(isIsoDate('2023-02-29'))
    assert.isFalse(isIsoDate('2023-2-9'))
  })

  test('an invalid date in the facts fails closed with an error and a sentence', ({ assert }) => {
    const facts = { ...UA_FAMILY, child: { birth_date: '10.3.2016' } }
    const result = evaluate(DK_UA_RULE, facts, { params: DK_UA_PARAMS })
    assert.isFalse(result.eligible)
    assert.equal(result.error?.code, 'invalid_date')
    assert.deepEqual(explain(DK_UA_RULE, facts, { locale: 'en', params: DK_UA_PARAMS }).sentences, [
      'Eligibility could not be evaluated: “10.3.2016” is not a valid date.',
    ])
  })
})

test.group('eligibility / engine', () => {
  test('the trace records every condition with operands, pass/fail and labelled facts', ({
    assert,
  }) => {
    const result = evaluate(DK_UA_RULE, UA_FAMILY, {
      params: DK_UA_PARAMS,
      trace: true,
      locale: 'en',
    })
    assert.isFalse(result.eligible)
    const trace = result.trace!
    assert.deepEqual(
      trace.map((n) => [n.pointer, n.parent, n.operator, n.passed]),
      [
        ['', null, 'and', false],
        ['/and/0', '', '<=', true],
        ['/and/1', '', 'in', false],
        ['/and/2', '', '<=', false],
      ]
    )
    const income = trace[3]
    assert.deepEqual(income.operands, [7_117_600, 4_586_600])
    assert.isTrue(income.shortCircuited)
    assert.isUndefined(trace[1].shortCircuited)
    assert.sameDeepMembers(income.facts, [
      { path: 'household.monthly_income', label: 'Household monthly income' },
      {
        path: 'params.income_multiplier',
        label: 'Income limit (multiple of the subsistence minimum)',
      },
      { path: 'household.subsistence_minimum', label: 'Household subsistence minimum' },
    ])
    assert.sameMembers(
      trace[1].facts.map((f) => f.label),
      ["Child's date of birth", 'Start of the period']
    )
    assert.deepEqual(trace[2].operands, ['none', ['temporary_protection', 'tolerance_visa']])
    // Without trace: no trace, same verdict.
    const plain = evaluate(DK_UA_RULE, UA_FAMILY, { params: DK_UA_PARAMS })
    assert.notProperty(plain, 'trace')
    assert.equal(plain.eligible, result.eligible)
    assert.equal(plain.ruleKey, result.ruleKey)
  })

  test('eligible follows JSON Logic truthiness of the value', ({ assert }) => {
    assert.isFalse(evaluate({ merge: [[]] }, {}).eligible)
    assert.isTrue(evaluate({ merge: [[0]] }, {}).eligible)
    assert.isFalse(evaluate({ cat: [''] }, {}).eligible)
    assert.isTrue(evaluate({ cat: ['0'] }, {}).eligible)
  })

  test('compiled rules are cached by key in an LRU map and reused', ({ assert }) => {
    const first = compile(DK_UA_RULE, { params: DK_UA_PARAMS, key: 'program-version:42' })
    assert.strictEqual(
      compile({ other: 'ignored for a cached key' }, { key: 'program-version:42' }),
      first
    )
    assert.isTrue(compiledRules.has('program-version:42'))
    const hashed = compile(DK_UA_RULE, { params: DK_UA_PARAMS })
    assert.match(hashed.key, /^sha256:[0-9a-f]{64}$/)
    assert.equal(hashed.key, ruleKey(JSON.parse(JSON.stringify(DK_UA_RULE)), DK_UA_PARAMS))
    assert.strictEqual(
      compile(JSON.parse(JSON.stringify(DK_UA_RULE)), { params: DK_UA_PARAMS }),
      hashed
    )
    assert.notStrictEqual(compile(DK_UA_RULE, { params: DK_UA_PARAMS, cache: false }), hashed)
    assert.throws(() => compile({ eval: [1] }), RuleValidationError)

    const lru = new LruCache<string, number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    assert.equal(lru.get('a'), 1)
    lru.set('c', 3)
    assert.isTrue(lru.has('a'))
    assert.isFalse(lru.has('b'))
    assert.equal(lru.size, 2)
  })

  test('the engine never uses eval; only codegen.ts builds code, at one place', ({ assert }) => {
    const folder = new URL('../../../app/eligibility/', import.meta.url)
    for (const file of readdirSync(folder)) {
      const source = readFileSync(new URL(file, folder), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
      assert.notMatch(source, /\beval\s*\(/, file)
      const builders = source.match(/new\s+Function\b|\bFunction\s*\(/g) ?? []
      assert.lengthOf(builders, file === 'codegen.ts' ? 1 : 0, file)
    }
  })
})

test.group('eligibility / fact catalogue', () => {
  test('every fact has a label in every locale and resolves to itself', ({ assert }) => {
    for (const fact of FACT_CATALOGUE) {
      for (const locale of LOCALES)
        assert.isAbove(fact.label[locale].trim().length, 2, `${fact.path} ${locale}`)
      assert.strictEqual(lookupFact(fact.path), fact)
      if (fact.type === 'enum') assert.isAbove(fact.choices!.length, 1)
      if (fact.type === 'boolean') assert.exists(fact.requirement)
    }
    assert.equal(lookupFact('household.monthly_income')!.label.cs, 'Měsíční příjem domácnosti')
    assert.equal(lookupFact('applicant.citizenship')!.choices![0].label.uk, 'Чеська Республіка')
  })

  test('params and list lengths resolve; unknown and dangerous names do not', ({ assert }) => {
    const params = {
      income_multiplier: { type: 'number' as const },
      toString: { type: 'number' as const },
    }
    assert.equal(lookupFact('params.income_multiplier', params)?.type, 'number')
    assert.equal(lookupFact('params.income_multiplier', params)?.source, 'param')
    assert.isUndefined(lookupFact('params.income_multiplier'))
    assert.isUndefined(lookupFact('params.toString', params))
    assert.isUndefined(lookupFact('params.__proto__', params))
    assert.equal(lookupFact('applicant.documents.length')?.label.en, 'Number of uploaded documents')
    assert.isUndefined(lookupFact('household.monthly_income.length'))
    assert.isUndefined(lookupFact('applicant'))
  })

  test('money is formatted from minor units with the context currency', ({ assert }) => {
    assert.equal(formatMoney(7_117_600, 'CZK', 'cs'), '71\u00a0176\u00a0Kč')
    assert.equal(formatMoney(7_117_600, 'CZK', 'en'), 'CZK\u00a071,176')
    assert.equal(formatMoney(1_050, 'EUR', 'en'), '€10.50')
    assert.equal(formatMoney(123_456, 'PLN', 'pl'), '1234,56\u00a0zł')
  })
})
