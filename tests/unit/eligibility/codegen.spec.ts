import { test } from '@japa/runner'
import fc from 'fast-check'
import jsonLogic from 'json-logic-js'
import { MAX_EVALUATION_STEPS, compile } from '../../../app/eligibility/compile.js'
import { GENERATED_HELPERS, jsonString, nestingOf } from '../../../app/eligibility/codegen.js'
import { DEMO_PROGRAMS, DK_UA_PARAMS, DK_UA_RULE } from '../../../app/eligibility/demo_rules.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { EligibilityEvaluationError, RuleValidationError } from '../../../app/eligibility/errors.js'
import { paramValues } from '../../../app/eligibility/fact_catalog.js'
import {
  MAX_FACT_ARRAY_LENGTH,
  installCustomOperators,
} from '../../../app/eligibility/operators.js'
import { validateRule } from '../../../app/eligibility/validate.js'
import { PARAMS, makeArbitraries } from './arbitraries.js'

installCustomOperators(jsonLogic as any)

/** Strings that would break out of a string literal, a script tag or a line if emitted raw. */
const HOSTILE = [
  '"',
  "'",
  '\\',
  '\\"',
  '"); process.exit(1); ("',
  '"]); process["exit"](1); (["',
  "'); process.exit(1); ('",
  '"); globalThis.__eligibilityPwned = true; ("',
  '</script><script>globalThis.__eligibilityPwned = true</script>',
  '\u2028',
  '\u2029',
  'a\u2028b\u2029c',

  '${globalThis.__eligibilityPwned = true}',
  '`',
  '*/ globalThis.__eligibilityPwned = true /*',
  '// x\nglobalThis.__eligibilityPwned = true',
  '\r\n\t\u0000\b',
  '\ud800',
]

/** Element paths that only a rule over an untyped source may read (any path without forbidden segments). */
const ELEMENT_PATHS = [
  'a',
  'x',
  'a.b',
  'birth_date',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'length',
  '0',
  ...HOSTILE.filter((s) => !s.includes('.')),
]

interface Outcome {
  value?: unknown
  error?: string
  values?: Record<string, string | number>
}

/** The value, or the evaluation error's code and values (or the error's name) when it throws. */
function attempt(run: () => unknown): Outcome {
  try {
    return { value: run() }
  } catch (error) {
    if (error instanceof EligibilityEvaluationError)
      return { error: error.code, values: error.values }
    return { error: (error as Error).name }
  }
}

const JSON_STRING = /"(?:[^"\\]|\\.)*"/g
const NUMBER = /(?<![\w$])\d+(?:\.\d+)?(?:e[+-]?\d+)?/g
const WORDS = new Set([
  'let',
  'const',
  'return',
  'function',
  'for',
  'if',
  'rule',
  'data',
  'h',
  'items',
  'i',
  'null',
  'true',
  'false',
  'void',
  'undefined',
  'has',
  'length',
  ...Object.keys(GENERATED_HELPERS),
])

/**
 * Checks the generated-code safety rules on a source: its string literals are JSON, and without them
 * (and numbers) it is made only of the generator's fixed vocabulary, with no quote, backtick, backslash,
 * comment or line separator anywhere.
 */
function assertSafeSource(assert: any, source: string | undefined): void {
  assert.isString(source)
  for (const literal of source!.match(JSON_STRING) ?? []) JSON.parse(literal)
  const rest = source!.replace(JSON_STRING, '""').replace(NUMBER, '0')
  assert.notMatch(rest, /['`\\\u2028\u2029]|\/\/|\/\*/)
  for (const word of rest.match(/[$A-Z_a-z][\w$]*/g) ?? []) {
    assert.isTrue(WORDS.has(word) || /^[kLmptx]\d+$/.test(word), `unexpected word ${word}`)
  }
  assert.isBelow(nestingOf(source!), 300)
}

test.group('eligibility / generated code = closures = json-logic-js', () => {
  test('random rules and facts (with hostile strings) agree on all three backends', ({
    assert,
  }) => {
    const { rule, factsArbitrary } = makeArbitraries({ extraStrings: HOSTILE })
    const factSets = fc.array(factsArbitrary, { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(rule, factSets, (generated, many) => {
        assert.isTrue(validateRule(generated, { params: PARAMS }).valid)
        const compiled = compile(generated, { params: PARAMS, cache: false })
        assert.equal(compiled.backend, 'generated')
        assertSafeSource(assert, compiled.source)
        for (const facts of many) {
          const theirs = attempt(() => jsonLogic.apply(generated as any, facts))
          const ours = attempt(() => compiled.run(facts))
          const closures = attempt(() => compiled.runClosure(facts))
          assert.deepEqual(ours, closures)
          if (theirs.error) {
            assert.exists(ours.error)
            continue
          }
          assert.deepEqual(ours.value, theirs.value)
        }
      }),
      { numRuns: 1500, seed: 20251122 }
    )
    assert.isUndefined((globalThis as any).__eligibilityPwned)
  })

  test('element paths over untyped lists: own properties only, as on closures', ({ assert }) => {
    const { rule, factsArbitrary } = makeArbitraries({
      extraStrings: HOSTILE,
      elementPaths: ELEMENT_PATHS,
    })
    fc.assert(
      fc.property(rule, factsArbitrary, (generated, facts) => {
        assert.isTrue(validateRule(generated, { params: PARAMS }).valid)
        const compiled = compile(generated, { params: PARAMS, cache: false })
        assert.equal(compiled.backend, 'generated')
        assertSafeSource(assert, compiled.source)
        assert.deepEqual(
          attempt(() => compiled.run(facts)),
          attempt(() => compiled.runClosure(facts))
        )
      }),
      { numRuns: 1500, seed: 7 }
    )
    // Inherited names are never read through the prototype (json-logic-js would return a function).
    const inherited = { some: [{ merge: [{ var: 'household.children' }] }, { var: 'toString' }] }
    const compiled = compile(inherited, { cache: false })
    assert.isFalse(compiled.run({ household: { children: [{}, { a: 1 }] } }))
    assert.isTrue(compiled.run({ household: { children: [{ toString: 'own' }] } }))
    assert.isUndefined((globalThis as any).__eligibilityPwned)
  })

  test('date operators with every kind of argument, over many evaluations of one rule', ({
    assert,
  }) => {
    const date = fc.constantFrom(
      '2020-02-29',
      '2021-02-28',
      '2021-03-01',
      '2024-12-31',
      '2015-06-15',
      '2025-09-01',
      '2023-02-29',
      '2025-9-1',
      'x',
      '',
      20_250_901,
      null
    )
    const argument = fc.oneof(
      fc.constantFrom(null, '2020-02-29', '2024-12-31', '2025-09-01'),
      fc.constantFrom(
        { var: 'child.birth_date' },
        { var: 'period.start' },
        { var: 'period.end' },
        { var: 'reference_date' },
        { var: ['child.birth_date', '2020-01-01'] },
        { var: ['period.start', null] },
        { cat: ['2020-0', { var: 'household.children_count' }, '-01'] },
        { if: [{ var: 'applicant.verified' }, { var: 'period.start' }, null] }
      )
    )
    const operation = fc
      .tuple(
        fc.constantFrom('age_on', 'months_between', 'days_between', 'date_before', 'date_after'),
        argument,
        argument
      )
      .map(([op, a, b]) => ({ [op]: [a, b] }))
    const dateRule = fc.oneof(
      operation,
      fc.tuple(operation, operation).map(([a, b]) => ({ '+': [a, b] })),
      fc.tuple(operation, operation).map(([a, b]) => ({ or: [a, b] })),
      operation.map((a) => ({ '<=': [1, a, 18] }))
    )
    const facts = fc.record({
      child: fc.record({ birth_date: date }),
      period: fc.record({ start: date, end: date }),
      reference_date: date,
      household: fc.record({ children_count: fc.constantFrom(1, 2, 9, 10, 'x', null) }),
      applicant: fc.record({ verified: fc.boolean() }),
    })
    fc.assert(
      fc.property(dateRule, fc.array(facts, { minLength: 1, maxLength: 6 }), (r, factSets) => {
        assert.isTrue(validateRule(r).valid, JSON.stringify(r))
        const compiled = compile(r, { cache: false })
        assert.equal(compiled.backend, 'generated')
        // One compiled rule over several fact sets in a row: remembered dates never leak.
        for (const f of factSets) {
          const ours = attempt(() => compiled.run(f))
          assert.deepEqual(
            ours,
            attempt(() => compiled.runClosure(f)),
            JSON.stringify([r, f])
          )
          // json-logic-js (with our operators) fails on the same evaluations; for days_between it
          // parses the second date first, so when both are invalid it names the other one.
          const theirs = attempt(() => jsonLogic.apply(r as any, f))
          assert.deepEqual(ours.value, theirs.value)
          assert.equal(ours.error, theirs.error)
        }
      }),
      { numRuns: 1500, seed: 29 }
    )
  })

  test('the demo rules are generated, and agree with closures and json-logic-js', ({ assert }) => {
    for (const program of Object.values(DEMO_PROGRAMS)) {
      const compiled = compile(program.rule, { params: program.params, cache: false })
      assert.equal(compiled.backend, 'generated', program.key)
      assertSafeSource(assert, compiled.source)
      const facts = {
        applicant: {
          citizenship: 'UA',
          home_tenant: 'praha5',
          verified: true,
          benefits: { child_allowance: true },
          protection_status: 'temporary_protection',
          birth_date: '1960-05-05',
          documents: ['decision'],
        },
        child: { birth_date: '2015-02-28' },
        household: {
          children_count: 1,
          children: [{ birth_date: '2015-02-28' }],
          monthly_income: 2_000_000,
          subsistence_minimum: 1_349_000,
          income_multiple: 2_000_000 / 1_349_000,
        },
        history: { applications_in_period: 0, benefits_in_period: 0, amount_granted_in_period: 0 },
        period: { start: '2025-09-01', end: '2026-01-31' },
        reference_date: '2025-09-01',
        params: paramValues(program.params),
      }
      const expected = jsonLogic.apply(program.rule as any, facts)
      assert.deepEqual(compiled.run(facts), expected, program.key)
      assert.deepEqual(compiled.runClosure(facts), expected, program.key)
      assert.isTrue(expected as boolean, program.key)
    }
  })
})

test.group('eligibility / generated code: hostile strings stay data', (group) => {
  group.each.teardown(() => {
    delete (globalThis as any).__eligibilityPwned
  })

  test('hostile literals and fact values are JSON-encoded and change nothing', ({ assert }) => {
    for (const hostile of HOSTILE) {
      const long = Array.from({ length: 12 }, (_, i) => `${hostile}${i}`)
      const rule = {
        and: [
          { '!=': [{ var: 'applicant.citizenship' }, hostile] },
          { '!': { in: [{ var: 'applicant.home_tenant' }, [hostile, 'x']] } },
          { '!': { in: [{ var: 'applicant.home_tenant' }, long] } },
          { '!': { in: [{ var: 'applicant.protection_status' }, `${hostile}!`] } },
          { '==': [{ cat: [hostile, { var: 'applicant.citizenship' }] }, `${hostile}${hostile}`] },
          { '===': [{ var: ['applicant.birth_date', hostile] }, hostile] },
          { '===': [{ substr: [hostile, 0] }, hostile] },
          { if: [{ var: 'applicant.verified' }, hostile, { missing: ['applicant.citizenship'] }] },
        ],
      }
      assert.isTrue(validateRule(rule).valid)
      const compiled = compile(rule, { cache: false })
      assert.equal(compiled.backend, 'generated')
      assertSafeSource(assert, compiled.source)
      assert.include(compiled.source!, jsonString(hostile))
      for (const facts of [
        {
          applicant: {
            citizenship: hostile,
            home_tenant: hostile,
            protection_status: hostile,
            verified: true,
          },
        },
        { applicant: { citizenship: 'CZ', home_tenant: `${hostile}3`, verified: false } },
        { applicant: { citizenship: `"${hostile}`, home_tenant: 'x' } },
      ]) {
        const expected = attempt(() => jsonLogic.apply(rule as any, facts))
        assert.deepEqual(
          attempt(() => compiled.run(facts)),
          expected,
          JSON.stringify([hostile, facts])
        )
        assert.deepEqual(
          attempt(() => compiled.runClosure(facts)),
          expected
        )
      }
    }
    assert.isUndefined((globalThis as any).__eligibilityPwned)
  })

  test('hostile element paths and missing keys are quoted property reads', ({ assert }) => {
    for (const hostile of HOSTILE.filter((s) => !s.includes('.'))) {
      const rule = {
        and: [
          { some: [{ merge: [{ var: 'household.children' }] }, { '==': [{ var: hostile }, 1] }] },
          { none: [{ merge: [{ var: 'household.children' }] }, { missing: [hostile] }] },
          {
            all: [
              { if: [true, { var: 'household.children' }, []] },
              { '!': { missing_some: [1, [hostile, 'x']] } },
            ],
          },
        ],
      }
      assert.isTrue(validateRule(rule).valid, hostile)
      const compiled = compile(rule, { cache: false })
      assert.equal(compiled.backend, 'generated')
      assertSafeSource(assert, compiled.source)
      assert.include(compiled.source!, `[${jsonString(hostile)}]`)
      for (const children of [
        [{ [hostile]: 1 }],
        [{ [hostile]: 1, x: 2 }, { x: 1 }],
        [{ a: 1 }],
        [],
      ]) {
        const facts = { household: { children } }
        const expected = attempt(() => jsonLogic.apply(rule as any, facts))
        assert.deepEqual(
          attempt(() => compiled.run(facts)),
          expected,
          JSON.stringify(facts)
        )
        assert.deepEqual(
          attempt(() => compiled.runClosure(facts)),
          expected
        )
      }
    }
    assert.isUndefined((globalThis as any).__eligibilityPwned)
  })
})

test.group('eligibility / generated code: bounds and failing closed', () => {
  /** Per-element logic of exactly `size` nodes (the cost charged per element). */
  const logicOfSize = (size: number) => {
    const conditions = Math.floor((size - 1) / 4)
    const padding = size - 1 - 4 * conditions
    return {
      and: [
        ...Array.from({ length: conditions }, (_, i) => ({ '!=': [{ var: '' }, `x${i}`] })),
        ...Array.from({ length: padding }, () => true),
      ],
    }
  }

  test('the step budget stops both backends at exactly the same point', ({ assert }) => {
    const documents = new Array(MAX_FACT_ARRAY_LENGTH).fill('proof')
    const facts = { applicant: { documents } }
    // 10 000 elements × 100 steps is exactly the budget; one more step per element exceeds it.
    for (const [size, code] of [
      [100, undefined],
      [101, 'iteration_budget'],
    ] as const) {
      assert.equal(MAX_FACT_ARRAY_LENGTH * size > MAX_EVALUATION_STEPS, code !== undefined)
      for (const op of ['some', 'all', 'none']) {
        const rule = { [op]: [{ var: 'applicant.documents' }, logicOfSize(size)] }
        const compiled = compile(rule, { cache: false })
        assert.equal(compiled.backend, 'generated')
        const ours = attempt(() => compiled.run(facts))
        assert.deepEqual(
          ours,
          attempt(() => compiled.runClosure(facts))
        )
        assert.equal(ours.error, code, `${op} ${size}`)
        if (code) assert.deepEqual(ours.values, { max: MAX_EVALUATION_STEPS })
        assert.equal(evaluate(compiled, facts).error?.code, code)
      }
    }
  })

  test('nested loops share one budget per evaluation, reset for the next evaluation', ({
    assert,
  }) => {
    const rule = {
      none: [
        { merge: [{ var: 'household.children' }] },
        { some: [{ var: 'docs' }, { '==': [{ var: '' }, 'a'] }] },
      ],
    }
    const compiled = compile(rule, { cache: false })
    assert.equal(compiled.backend, 'generated')
    const child = { docs: new Array(9000).fill('b') }
    // 27 × (9000 × 4) + 27 × 7 fits; 28 children do not.
    const fits = { household: { children: new Array(27).fill(child) } }
    const exceeds = { household: { children: new Array(28).fill(child) } }
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(
        attempt(() => compiled.run(fits)),
        { value: true }
      )
      assert.deepEqual(
        attempt(() => compiled.run(exceeds)),
        { error: 'iteration_budget', values: { max: MAX_EVALUATION_STEPS } }
      )
      assert.deepEqual(
        attempt(() => compiled.runClosure(exceeds)),
        { error: 'iteration_budget', values: { max: MAX_EVALUATION_STEPS } }
      )
      assert.deepEqual(
        attempt(() => compiled.runClosure(fits)),
        { value: true }
      )
    }
  })

  test('arrays from the facts longer than the cap fail closed wherever they are read', ({
    assert,
  }) => {
    const tooLong = new Array(MAX_FACT_ARRAY_LENGTH + 1).fill('x')
    const atCap = new Array(MAX_FACT_ARRAY_LENGTH).fill('x')
    const rules = [
      { some: [{ var: 'applicant.documents' }, { '==': [{ var: '' }, 'proof'] }] },
      { all: [{ var: 'applicant.documents' }, true] },
      { none: [{ var: 'applicant.documents' }, false] },
      { in: ['proof', { var: 'applicant.documents' }] },
      { in: ['proof', { merge: [{ var: 'applicant.documents' }, ['a']] }] },
      { merge: [{ var: 'applicant.documents' }] },
    ]
    for (const rule of rules) {
      const compiled = compile(rule, { cache: false })
      assert.equal(compiled.backend, 'generated')
      const facts = { applicant: { documents: tooLong } }
      assert.deepEqual(
        attempt(() => compiled.run(facts)),
        {
          error: 'array_too_long',
          values: { length: MAX_FACT_ARRAY_LENGTH + 1, max: MAX_FACT_ARRAY_LENGTH },
        }
      )
      assert.deepEqual(
        attempt(() => compiled.runClosure(facts)),
        {
          error: 'array_too_long',
          values: { length: MAX_FACT_ARRAY_LENGTH + 1, max: MAX_FACT_ARRAY_LENGTH },
        }
      )
      const result = evaluate(compiled, facts)
      assert.isFalse(result.eligible)
      assert.equal(result.error?.code, 'array_too_long')
      const fine = { applicant: { documents: atCap } }
      assert.notExists(attempt(() => compiled.run(fine)).error, JSON.stringify(rule))
    }
  })

  test('missing facts fail closed exactly as before', ({ assert }) => {
    const params = paramValues(DK_UA_PARAMS)
    const complete = {
      child: { birth_date: '2015-02-28' },
      period: { start: '2025-09-01' },
      applicant: { protection_status: 'tolerance_visa' },
      household: { monthly_income: 2_000_000, subsistence_minimum: 1_349_000 },
      params,
    }
    const compiled = compile(DK_UA_RULE, { params: DK_UA_PARAMS, cache: false })
    assert.equal(compiled.backend, 'generated')
    assert.isTrue(evaluate(compiled, complete).eligible)

    // Without the income JSON Logic compares null <= limit (true): the engine reports it missing instead.
    const noIncome = { ...complete, household: { subsistence_minimum: 1_349_000 } }
    const result = evaluate(compiled, noIncome)
    assert.isFalse(result.eligible)
    assert.deepEqual(result.missing, ['household.monthly_income'])
    assert.isTrue(result.value as boolean)
    assert.deepEqual(result.value, compiled.runClosure(noIncome))
    assert.isTrue(evaluate(compiled, noIncome, { missingFacts: 'allow' }).eligible)

    const nothing = evaluate(compiled, { params })
    assert.isFalse(nothing.eligible)
    assert.deepEqual(nothing.missing, [
      'child.birth_date',
      'household.monthly_income',
      'household.subsistence_minimum',
      'period.start',
    ])
    assert.deepEqual(nothing.value, compiled.runClosure({ params }))

    const nullIncome = { ...complete, household: { ...complete.household, monthly_income: null } }
    assert.deepEqual(evaluate(compiled, nullIncome).missing, ['household.monthly_income'])
    // The trace (closures) and the untraced value (generated) agree.
    const traced = evaluate(compiled, noIncome, { trace: true })
    assert.equal(traced.value, result.value)
    assert.deepEqual(traced.missing, result.missing)
  })

  test('invalid dates stop both backends with the same error', ({ assert }) => {
    const rule = DEMO_PROGRAMS.dk_cz.rule
    const compiled = compile(rule, { cache: false })
    for (const birth of ['2015-02-30', '1.1.2015', 20150101, '2015-02-28']) {
      const facts = {
        child: { birth_date: birth },
        period: { start: '2025-09-01' },
        applicant: { benefits: { care_allowance: true } },
      }
      // Twice: a value that failed to parse is never remembered as parsed.
      for (let i = 0; i < 2; i++) {
        const ours = attempt(() => compiled.run(facts))
        assert.deepEqual(
          ours,
          attempt(() => compiled.runClosure(facts))
        )
        assert.deepEqual(
          ours,
          attempt(() => jsonLogic.apply(rule as any, facts))
        )
      }
    }
  })
})

test.group('eligibility / generated code is built once, from validated rules only', (group) => {
  const original = globalThis.Function
  group.each.teardown(() => {
    globalThis.Function = original
  })

  test('only a validated rule reaches new Function, once per compiled rule', ({ assert }) => {
    let built = 0
    globalThis.Function = new Proxy(original, {
      construct(target, args) {
        built += 1
        return Reflect.construct(target, args)
      },
    })
    assert.throws(
      () => compile({ eval: ['process.exit(1)'] }, { cache: false }),
      RuleValidationError
    )
    assert.throws(
      () => compile({ var: 'applicant.__proto__.polluted' }, { cache: false }),
      RuleValidationError
    )
    assert.equal(built, 0)
    const compiled = compile(DK_UA_RULE, { params: DK_UA_PARAMS, key: 'codegen-spec:1' })
    assert.equal(built, 1)
    for (let i = 0; i < 100; i++) compiled.run({ params: paramValues(DK_UA_PARAMS) })
    assert.strictEqual(compile(DK_UA_RULE, { key: 'codegen-spec:1' }), compiled)
    assert.equal(built, 1)
  })

  test('where new Function is forbidden, rules run on closures with the same values', ({
    assert,
  }) => {
    globalThis.Function = function forbidden() {
      throw new EvalError('Code generation from strings disallowed for this context')
    } as unknown as FunctionConstructor
    const compiled = compile(DK_UA_RULE, { params: DK_UA_PARAMS, cache: false })
    globalThis.Function = original
    assert.equal(compiled.backend, 'closure')
    assert.isUndefined(compiled.source)
    const facts = {
      child: { birth_date: '2015-02-28' },
      period: { start: '2025-09-01' },
      applicant: { protection_status: 'tolerance_visa' },
      household: { monthly_income: 2_000_000, subsistence_minimum: 1_349_000 },
      params: paramValues(DK_UA_PARAMS),
    }
    assert.isTrue(compiled.run(facts) as boolean)
    assert.isTrue(evaluate(compiled, facts).eligible)
    assert.deepEqual(compiled.run(facts), compiled.runClosure(facts))
  })

  test('hot shapes are specialised: Set for long lists, packed constant dates, no slots', ({
    assert,
  }) => {
    const long = Array.from({ length: 20 }, (_, i) => `c${i}`)
    const rule = {
      and: [
        { in: [{ var: 'applicant.citizenship' }, long] },
        { date_before: [{ var: 'child.birth_date' }, '2022-09-01'] },
        { in: [{ var: 'applicant.home_tenant' }, ['a', 'b']] },
      ],
    }
    const compiled = compile(rule, { cache: false })
    assert.match(compiled.source!, /const k\d+ = h\.lookupSet\(k\d+\);/)
    assert.include(compiled.source!, '< 20220901')
    assert.match(compiled.source!, /t\d+ === "a" \|\| t\d+ === "b"/)
    const facts = {
      applicant: { citizenship: 'c7', home_tenant: 'b' },
      child: { birth_date: '2020-01-01' },
    }
    assert.isTrue(compiled.run(facts) as boolean)
    assert.isFalse(
      compiled.run({ ...facts, applicant: { citizenship: 'c77', home_tenant: 'b' } }) as boolean
    )
  })
})
