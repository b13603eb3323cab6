import { test } from '@japa/runner'
import fc from 'fast-check'
import jsonLogic from 'json-logic-js'
import { compile } from '../../../app/eligibility/compile.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { installCustomOperators, truthy } from '../../../app/eligibility/operators.js'
import { validateRule } from '../../../app/eligibility/validate.js'
import { PARAMS, makeArbitraries } from './arbitraries.js'

installCustomOperators(jsonLogic as any)

const { rule, factsArbitrary } = makeArbitraries()

interface Outcome {
  value?: unknown
  error?: unknown
}

function attempt(run: () => unknown): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    return { error }
  }
}

test.group('eligibility / compiled evaluator = json-logic-js', () => {
  test('random rules over random facts: generated, closure and traced values equal json-logic-js', ({
    assert,
  }) => {
    fc.assert(
      fc.property(rule, factsArbitrary, (generated, facts) => {
        const validation = validateRule(generated, { params: PARAMS })
        assert.isTrue(validation.valid, JSON.stringify(validation))
        const compiled = compile(generated, { params: PARAMS, cache: false })
        const theirs = attempt(() => jsonLogic.apply(generated as any, facts))
        assert.equal(compiled.backend, 'generated')
        const ours = attempt(() => compiled.run(facts))
        const closures = attempt(() => compiled.runClosure(facts))
        const traced = attempt(() => compiled.runTraced(facts).value)
        if (theirs.error) {
          assert.exists(
            ours.error,
            `json-logic-js threw ${String(theirs.error)}, we returned ${JSON.stringify(ours.value)}`
          )
          assert.exists(closures.error)
          assert.exists(traced.error)
          return
        }
        assert.notExists(ours.error)
        assert.deepEqual(ours.value, theirs.value)
        assert.deepEqual(closures.value, theirs.value)
        assert.deepEqual(traced.value, theirs.value)
        assert.equal(truthy(ours.value), jsonLogic.truthy(theirs.value))
        const result = evaluate(compiled, facts, { missingFacts: 'allow' })
        assert.deepEqual(result.value, theirs.value)
        assert.equal(result.eligible, jsonLogic.truthy(theirs.value))
      }),
      { numRuns: 3000, seed: 20250901 }
    )
  })

  test('edge values: truthiness, coercions and var defaults match json-logic-js', ({ assert }) => {
    const facts = {
      household: { children: [], monthly_income: 0, children_count: '3' },
      applicant: { home_tenant: '' },
    }
    const cases: unknown[] = [
      { '!!': [[]] },
      { '!!': [[0]] },
      { '!': [[]] },
      { '!': [''] },
      { and: [1, [], 2] },
      { or: [0, '', [], null] },
      { '==': [[], ''] },
      { '==': [null, 0] },
      { '===': [{ var: 'household.children_count' }, 3] },
      { '==': [{ var: 'household.children_count' }, 3] },
      { '+': ['3abc', null] },
      { '*': ['2'] },
      { '*': [-1, 0, 5] },
      { '-': [''] },
      { '<': [1, { var: 'household.children_count' }, 5] },
      { in: ['', { var: 'applicant.home_tenant' }] },
      { in: [3, 3] },
      { var: ['household.monthly_income', 5] },
      { var: ['household.subsistence_minimum', 5] },
      { var: ['applicant.home_tenant', 5] },
      { cat: ['a', null, [1, [2, null]], true] },
      { substr: ['abcdef', -3, -1] },
      { merge: [1, [2, [3]], []] },
      { min: [[], '4', 2] },
      { missing: ['household.monthly_income', 'applicant.home_tenant', 'child.birth_date'] },
      { missing_some: [1, ['household.monthly_income', 'child.birth_date']] },
      { all: [{ var: 'household.children' }, true] },
      { none: [{ var: 'household.children' }, true] },
      { some: [[0, '', []], { var: '' }] },
      { if: [[], 'a', 0, 'b'] },
      { if: [[], 'a'] },
    ]
    for (const item of cases) {
      const compiled = compile(item, { cache: false })
      const expected = jsonLogic.apply(item as any, facts)
      assert.deepEqual(compiled.run(facts), expected, JSON.stringify(item))
      assert.deepEqual(compiled.runClosure(facts), expected, JSON.stringify(item))
    }
  })

  test('custom date operators compose like any other operator', ({ assert }) => {
    const dates = fc.oneof(
      fc.constant(null),
      fc
        .tuple(
          fc.integer({ min: 1990, max: 2030 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 28 })
        )
        .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.constantFrom('2024-02-29', '2023-02-28', '2023-03-01', '2025-01-31', '2025-02-28')
    )
    const dateRule = fc.constantFrom(
      { '<=': [3, { age_on: [{ var: 'child.birth_date' }, { var: 'period.start' }] }, 18] },
      { '>=': [{ months_between: [{ var: 'child.birth_date' }, { var: 'period.end' }] }, 36] },
      { '==': [{ days_between: [{ var: 'period.start' }, { var: 'period.end' }] }, 0] },
      {
        or: [
          { date_before: [{ var: 'period.start' }, { var: 'period.end' }] },
          { date_after: [{ var: 'child.birth_date' }, '2020-01-01'] },
        ],
      },
      { '+': [{ age_on: [{ var: 'child.birth_date' }, { var: 'reference_date' }] }, 1] }
    )
    fc.assert(
      fc.property(dateRule, dates, dates, dates, dates, (r, birth, start, end, reference) => {
        const facts = {
          child: { birth_date: birth },
          period: { start, end },
          reference_date: reference,
        }
        const compiled = compile(r, { cache: false })
        const expected = attempt(() => jsonLogic.apply(r as any, facts))
        assert.deepEqual(
          attempt(() => compiled.run(facts)),
          expected
        )
        assert.deepEqual(
          attempt(() => compiled.runClosure(facts)),
          expected
        )
      }),
      { numRuns: 500, seed: 7 }
    )
  })
})
