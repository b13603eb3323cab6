import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  type BuilderCondition,
  type BuilderNode,
  BuilderConversionError,
  OPERATORS_BY_TYPE,
  type Operand,
  fromJsonLogic,
  operatorsForFact,
  toJsonLogic,
} from '../../../app/eligibility/builder_tree.js'
import { DEMO_PROGRAMS } from '../../../app/eligibility/demo_rules.js'
import {
  FACT_CATALOGUE,
  type FactDefinition,
  type ParamTypes,
  type PluginFactTypes,
  pluginFactDefinitions,
} from '../../../app/eligibility/fact_catalog.js'
import { validateRule } from '../../../app/eligibility/validate.js'

const PARAMS: ParamTypes = {
  income_multiplier: { type: 'number' },
  min_age: { type: 'number' },
  max_amount: { type: 'money' },
  cutoff_date: { type: 'date' },
  tenant: { type: 'string' },
}

const L = (text: string) => ({ cs: text, en: text, uk: text, pl: text })

/** A plugin's declared facts, one of each type: conditions on them round-trip like catalogue ones. */
const PLUGIN_FACTS: PluginFactTypes = {
  probe: {
    score: { type: 'number', label: L('Score') },
    spent: { type: 'money', label: L('Spent') },
    joined: { type: 'date', label: L('Joined') },
    member: {
      type: 'boolean',
      label: L('Member'),
      requirement: { isTrue: L('Must be a member'), isFalse: L('Must not be a member') },
    },
    tier: {
      type: 'enum',
      label: L('Tier'),
      choices: [
        { value: 'gold', label: L('Gold') },
        { value: 'silver', label: L('Silver') },
      ],
    },
    code: { type: 'string', label: L('Code') },
  },
}
const SCOPE = { params: PARAMS, pluginFacts: PLUGIN_FACTS }
const ALL_FACTS: FactDefinition[] = [...FACT_CATALOGUE, ...pluginFactDefinitions(PLUGIN_FACTS)]

const factsOfType = (type: FactDefinition['type']) =>
  ALL_FACTS.filter((f) => f.type === type).map((f) => f.path)
const paramsOfType = (type: FactDefinition['type']) =>
  Object.entries(PARAMS)
    .filter(([, p]) => p.type === type)
    .map(([name]) => name)

const isoDate = fc
  .tuple(
    fc.integer({ min: 1900, max: 2100 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 })
  )
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)

const finite = fc.double({ noNaN: true, noDefaultInfinity: true })

/** A value for a fact of a type: a constant, a param of the same type, a param × fact, or another fact. */
function operand(
  type: 'number' | 'money' | 'date' | 'string',
  allowFact: boolean
): fc.Arbitrary<Operand> {
  const options: fc.Arbitrary<Operand>[] = []
  if (type === 'number') options.push(finite)
  if (type === 'money') options.push(fc.integer({ min: -1e9, max: 1e9 }))
  if (type === 'date') options.push(isoDate)
  if (type === 'string') options.push(fc.string({ maxLength: 20 }))
  options.push(fc.constantFrom(...paramsOfType(type)).map((param) => ({ param })))
  if (type === 'number' || type === 'money') {
    options.push(
      fc
        .tuple(fc.constantFrom(...paramsOfType('number')), fc.constantFrom(...factsOfType(type)))
        .map(([param, timesFact]) => ({ param, timesFact }))
    )
  }
  if (allowFact) options.push(fc.constantFrom(...factsOfType(type)).map((fact) => ({ fact })))
  return fc.oneof(...options)
}

const count = fc.oneof(
  fc.nat({ max: 50 }) as fc.Arbitrary<Operand>,
  fc.constantFrom(...paramsOfType('number')).map((param) => ({ param }) as Operand)
)
const reference = fc.constantFrom('reference_date', 'period.start', 'period.end')

function conditionFor(def: FactDefinition, id: string): fc.Arbitrary<BuilderCondition> {
  const base = { kind: 'condition' as const, id, fact: def.path }
  return fc
    .constantFrom(...OPERATORS_BY_TYPE[def.type])
    .chain((operator): fc.Arbitrary<BuilderCondition> => {
      switch (operator) {
        case 'eq':
        case 'ne':
        case 'lt':
        case 'lte':
        case 'gt':
        case 'gte':
          return operand(def.type as 'number' | 'money' | 'string', true).map((value) => ({
            ...base,
            operator,
            value,
          }))
        case 'between':
          return fc
            .record({
              min: operand(def.type as 'number', false),
              max: operand(def.type as 'number', false),
            })
            .map((value) => ({ ...base, operator, value }))
        case 'age_between':
          return fc
            .tuple(reference, fc.record({ min: count, max: count }))
            .map(([ref, value]) => ({ ...base, operator, reference: ref, value }))
        case 'age_at_least':
        case 'age_at_most':
          return fc
            .tuple(reference, count)
            .map(([ref, value]) => ({ ...base, operator, reference: ref, value }))
        case 'before':
        case 'after':
          return operand('date', true).map((value) => ({ ...base, operator, value }))
        case 'one_of':
        case 'none_of': {
          const values = def.choices
            ? fc.subarray(
                def.choices.map((c) => c.value),
                { minLength: 1 }
              )
            : fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 })
          return values.map((value) => ({ ...base, operator, value }))
        }
        case 'is_true':
        case 'is_false':
          return fc.constant({ ...base, operator })
        case 'count_at_least':
        case 'count_at_most':
          return count.map((value) => ({ ...base, operator, value }))
      }
    })
}

const condition = fc
  .tuple(fc.constantFrom(...ALL_FACTS), fc.uuid())
  .chain(([def, id]) => conditionFor(def, id))

const { tree } = fc.letrec<{ tree: BuilderNode }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    condition,
    fc
      .record({
        kind: fc.constant('group' as const),
        id: fc.uuid(),
        combinator: fc.constantFrom('all' as const, 'any' as const, 'none' as const),
        children: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
      })
      .map((group) => group as BuilderNode)
  ),
}))

/** The tree without ids (fromJsonLogic assigns new ones). */
function withoutIds(node: BuilderNode): unknown {
  if (node.kind === 'group') {
    return { kind: 'group', combinator: node.combinator, children: node.children.map(withoutIds) }
  }
  const rest: Partial<BuilderCondition> = { ...node }
  delete rest.id
  return rest
}

test.group('eligibility / builder tree', () => {
  test('random trees (catalogue, parameter and plugin facts) survive toJsonLogic → fromJsonLogic, and their JSON Logic validates', ({
    assert,
  }) => {
    fc.assert(
      fc.property(tree, (original) => {
        const rule = toJsonLogic(original, SCOPE)
        const validation = validateRule(rule, SCOPE)
        assert.isTrue(validation.valid, JSON.stringify(validation))
        const back = fromJsonLogic(rule, SCOPE)
        assert.deepEqual(withoutIds(back), withoutIds(original))
        assert.deepEqual(toJsonLogic(back, SCOPE), rule)
      }),
      { numRuns: 1500, seed: 42 }
    )
  })

  test('the demo rules are builder rules: fromJsonLogic → toJsonLogic gives them back unchanged', ({
    assert,
  }) => {
    for (const program of [
      DEMO_PROGRAMS.dk_cz,
      DEMO_PROGRAMS.dk_ua,
      DEMO_PROGRAMS.olomouc_seniors,
    ]) {
      const back = toJsonLogic(fromJsonLogic(program.rule, { params: program.params }), {
        params: program.params,
      })
      assert.deepEqual(back, program.rule as any, program.key)
    }
    const ua = fromJsonLogic(DEMO_PROGRAMS.dk_ua.rule, {
      params: DEMO_PROGRAMS.dk_ua.params,
      newId: () => 'x',
    })
    assert.deepEqual(ua, {
      kind: 'group',
      id: 'x',
      combinator: 'all',
      children: [
        {
          kind: 'condition',
          id: 'x',
          fact: 'child.birth_date',
          operator: 'age_between',
          reference: 'period.start',
          value: { min: 3, max: 18 },
        },
        {
          kind: 'condition',
          id: 'x',
          fact: 'applicant.protection_status',
          operator: 'one_of',
          value: ['temporary_protection', 'tolerance_visa'],
        },
        {
          kind: 'condition',
          id: 'x',
          fact: 'household.monthly_income',
          operator: 'lte',
          value: { param: 'income_multiplier', timesFact: 'household.subsistence_minimum' },
        },
      ],
    })
  })

  test('fromJsonLogic throws a clear error instead of dropping what it cannot represent', ({
    assert,
  }) => {
    const cases: Array<[unknown, string]> = [
      [
        { and: [{ '===': [{ var: 'applicant.verified' }, true] }, { if: [true, 1, 0] }] },
        'unsupported',
      ],
      [{ '==': [{ var: 'household.children_count' }, 3] }, 'unsupported'],
      [{ and: [] }, 'empty_group'],
      [{ '<': [1, { var: 'household.children_count' }, 3] }, 'between'],
      [{ '>=': [{ var: ['household.children_count', 0] }, 1] }, 'subject'],
      [{ '===': [{ var: 'applicant.verified' }, 1] }, 'boolean'],
      [{ in: [{ var: 'applicant.citizenship' }, ['CZ', 'XX']] }, 'operand'],
      [{ '>=': [{ var: 'household.monthly_income' }, { '+': [1, 2] }] }, 'operand'],
      [{ '>=': [{ var: 'household.monthly_income' }, 10.5] }, 'operand'],
      [{ '!': [{ '===': [{ var: 'applicant.verified' }, true] }] }, 'unsupported'],
      [{ '>=': [{ var: 'no.such.fact' }, 1] }, 'unknown_fact'],
      [true, 'not_a_condition'],
    ]
    for (const [rule, code] of cases) {
      assert.throws(() => fromJsonLogic(rule, { params: PARAMS }))
      try {
        fromJsonLogic(rule, { params: PARAMS })
      } catch (error) {
        assert.instanceOf(error, BuilderConversionError)
        assert.equal((error as BuilderConversionError).code, code, JSON.stringify(rule))
        assert.match((error as Error).message, /^Rule builder: /)
      }
    }
  })

  test('toJsonLogic refuses empty groups and operators that do not fit the fact', ({ assert }) => {
    assert.throws(
      () => toJsonLogic({ kind: 'group', id: 'g', combinator: 'all', children: [] }),
      /empty_group/
    )
    assert.throws(
      () =>
        toJsonLogic({
          kind: 'condition',
          id: 'c',
          fact: 'applicant.verified',
          operator: 'gte',
          value: 3,
        } as BuilderCondition),
      /operator/
    )
    assert.throws(
      () =>
        toJsonLogic({
          kind: 'condition',
          id: 'c',
          fact: 'household.monthly_income',
          operator: 'lte',
          value: { param: 'nope' },
        }),
      /unknown_fact/
    )
    assert.deepEqual(operatorsForFact('applicant.citizenship'), ['one_of', 'none_of'])
    assert.deepEqual(operatorsForFact('params.min_age', PARAMS), OPERATORS_BY_TYPE.number)
    assert.deepEqual(operatorsForFact('nope'), [])
  })
})
