import { test } from '@japa/runner'
import fc from 'fast-check'
import jsonLogic from 'json-logic-js'
import { compile } from '../../../app/eligibility/compile.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { FACT_CATALOGUE, type ParamTypes } from '../../../app/eligibility/fact_catalog.js'
import { installCustomOperators, truthy } from '../../../app/eligibility/operators.js'
import { validateRule } from '../../../app/eligibility/validate.js'

installCustomOperators(jsonLogic as any)

const PARAMS: ParamTypes = {
  income_multiplier: { type: 'number' },
  min_age: { type: 'number' },
}

/** Every path a generated rule may read: catalogue facts, list lengths and the declared params. */
const PATHS = [
  ...FACT_CATALOGUE.map((f) => f.path),
  'applicant.documents.length',
  'household.children.length',
  'params.income_multiplier',
  'params.min_age',
]

/** Intermediate objects too, so that facts can have `applicant: null`, `household: "x"` and the like. */
const SET_PATHS = [
  ...PATHS.filter((p) => !p.endsWith('.length')),
  'applicant',
  'applicant.benefits',
  'household',
  'child',
  'period',
  'history',
  'params',
]

const primitive = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -0, 1, 2, 3, 18, 60, -1, 0.5, 3.4, 45866, 1e21),
  fc.integer({ min: -100, max: 100 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(
    '',
    '0',
    '1',
    '3',
    '-0',
    '1e3',
    ' 2 ',
    'a',
    'abc',
    'CZ',
    'UA',
    'null',
    'true',
    '2020-01-01',
    '2025-09-01',
    'temporary_protection'
  )
)

/** A fact value: edge values, small arrays (also empty) and small objects. */
const factValue = fc.oneof(
  { weight: 6, arbitrary: primitive },
  { weight: 2, arbitrary: fc.array(primitive, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('a', 'birth_date', 'x'), primitive, { maxKeys: 2 }),
  }
)

function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const segments = path.split('.')
  let current: any = target
  for (const segment of segments.slice(0, -1)) {
    if (!Object.hasOwn(current, segment)) current[segment] = {}
    current = current[segment]
    // An earlier assignment made this a primitive or an array: the deeper fact is simply absent.
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return
  }
  current[segments.at(-1)!] = value
}

/** Either a sparse, oddly shaped facts object, or one with every leaf fact set (to an edge value or not). */
const factsArbitrary = fc.oneof(
  fc
    .array(fc.tuple(fc.constantFrom(...SET_PATHS), factValue), { maxLength: 14 })
    .map((assignments) => {
      const facts: Record<string, any> = {}
      for (const [path, value] of assignments) setPath(facts, path, value)
      return facts
    }),
  fc
    .array(fc.option(factValue, { freq: 4 }), { minLength: PATHS.length, maxLength: PATHS.length })
    .map((values) => {
      const facts: Record<string, any> = {}
      PATHS.forEach((path, i) => {
        if (values[i] !== null && !path.endsWith('.length')) setPath(facts, path, values[i])
      })
      return facts
    })
)

const constant = fc.oneof(primitive, fc.array(primitive, { maxLength: 3 }))

const varNode = fc.oneof(
  fc.constantFrom(...PATHS).map((path) => ({ var: path })),
  fc.constantFrom(...PATHS).map((path) => ({ var: [path] }))
)

/** Logic run per array element (`var` reads the element). */
const elementLogic = fc.oneof(
  fc.constant({ var: '' }),
  fc
    .tuple(fc.constantFrom('==', '===', '!=', '<', '>='), primitive)
    .map(([op, value]) => ({ [op]: [{ var: '' }, value] })),
  fc.constant({ '!!': [{ var: '' }] }),
  fc.array(primitive, { maxLength: 3 }).map((list) => ({ in: [{ var: '' }, list] })),
  fc.constant({ '+': [{ var: '' }, 1] }),
  primitive
)

const { rule } = fc.letrec<{ rule: unknown; operation: unknown }>((tie) => {
  const node = tie('rule')
  const args = (min: number, max: number) => fc.array(node, { minLength: min, maxLength: max })
  return {
    rule: fc.oneof(
      { maxDepth: 6, depthSize: 'medium', depthIdentifier: 'rule' },
      { weight: 2, arbitrary: constant },
      { weight: 2, arbitrary: varNode },
      { weight: 5, arbitrary: tie('operation') }
    ),
    operation: fc.oneof(
      fc
        .tuple(fc.constantFrom('==', '===', '!=', '!==', '<', '<=', '>', '>='), args(2, 2))
        .map(([op, a]) => ({ [op]: a })),
      fc.tuple(fc.constantFrom('<', '<='), args(3, 3)).map(([op, a]) => ({ [op]: a })),
      fc.tuple(fc.constantFrom('and', 'or'), args(1, 4)).map(([op, a]) => ({ [op]: a })),
      fc
        .tuple(fc.constantFrom('!', '!!'), node, fc.boolean())
        .map(([op, a, unwrap]) => (unwrap && !Array.isArray(a) ? { [op]: a } : { [op]: [a] })),
      args(2, 5).map((a) => ({ if: a })),
      fc
        .tuple(node, fc.oneof(node, fc.array(primitive, { maxLength: 4 })))
        .map(([a, b]) => ({ in: [a, b] })),
      fc
        .tuple(fc.constantFrom(...PATHS), node)
        .map(([path, fallback]) => ({ var: [path, fallback] })),
      fc
        .array(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 3 })
        .chain((keys) => fc.constantFrom({ missing: keys }, { missing: [keys] })),
      fc
        .tuple(
          fc.oneof(fc.integer({ min: 0, max: 3 }), node),
          fc.array(fc.constantFrom(...PATHS), { maxLength: 3 })
        )
        .map(([need, keys]) => ({ missing_some: [need, keys] })),
      fc
        .tuple(fc.constantFrom('+', '*', 'min', 'max', 'cat', 'merge'), args(1, 3))
        .map(([op, a]) => ({ [op]: a })),
      args(1, 2).map((a) => ({ '-': a })),
      fc.tuple(fc.constantFrom('/', '%'), args(2, 2)).map(([op, a]) => ({ [op]: a })),
      args(2, 3).map((a) => ({ substr: a })),
      fc
        .tuple(
          fc.constantFrom('all', 'some', 'none'),
          fc.oneof(
            fc.constantFrom({ var: 'applicant.documents' }, { var: 'household.children' }),
            fc.array(primitive, { maxLength: 4 }),
            node
          ),
          elementLogic
        )
        .map(([op, source, logic]) => ({ [op]: [source, logic] }))
    ),
  }
})

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
  test('random rules over random facts give the same value and truthiness', ({ assert }) => {
    fc.assert(
      fc.property(rule, factsArbitrary, (generated, facts) => {
        const validation = validateRule(generated, { params: PARAMS })
        assert.isTrue(validation.valid, JSON.stringify(validation))
        const compiled = compile(generated, { params: PARAMS, cache: false })
        const theirs = attempt(() => jsonLogic.apply(generated as any, facts))
        const ours = attempt(() => compiled.run(facts))
        const traced = attempt(() => compiled.runTraced(facts).value)
        if (theirs.error) {
          assert.exists(
            ours.error,
            `json-logic-js threw ${String(theirs.error)}, we returned ${JSON.stringify(ours.value)}`
          )
          assert.exists(traced.error)
          return
        }
        assert.notExists(ours.error)
        assert.deepEqual(ours.value, theirs.value)
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
      assert.deepEqual(
        compiled.run(facts),
        jsonLogic.apply(item as any, facts),
        JSON.stringify(item)
      )
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
        assert.deepEqual(compiled.run(facts), jsonLogic.apply(r as any, facts))
      }),
      { numRuns: 500, seed: 7 }
    )
  })
})
