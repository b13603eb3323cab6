import { test } from '@japa/runner'
import { MAX_EVALUATION_STEPS, compile } from '../../../app/eligibility/compile.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { RuleValidationError } from '../../../app/eligibility/errors.js'
import { MESSAGES, formatValidationError } from '../../../app/eligibility/messages.js'
import { MAX_FACT_ARRAY_LENGTH } from '../../../app/eligibility/operators.js'
import { LOCALES } from '../../../app/eligibility/types.js'
import {
  DEFAULT_LIMITS,
  type ValidationErrorCode,
  type ValidationResult,
  validateRule,
} from '../../../app/eligibility/validate.js'

const PARAMS = { income_multiplier: { type: 'number' as const } }

function codes(result: ValidationResult): string[] {
  return result.valid ? [] : result.errors.map((e) => e.code)
}

function refused(rule: unknown, code: ValidationErrorCode, path?: string) {
  const result = validateRule(rule, { params: PARAMS })
  if (result.valid) throw new Error(`expected ${code}, the rule was accepted`)
  const error = result.errors.find((e) => e.code === code)
  if (!error) throw new Error(`expected ${code}, got ${JSON.stringify(result.errors)}`)
  if (path !== undefined && error.path !== path)
    throw new Error(`expected ${code} at ${path}, got ${error.path}`)
  return error
}

/**
 * "Refused or stopped without hanging": a bound far above the few milliseconds these take, so a
 * loaded machine does not fail the suite, yet far below the minutes a hostile rule would run if
 * the limits were missing. Speed itself is measured in bench/, not asserted here.
 */
const NEVER_HANGS_MS = 2000

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now()
  const value = run()
  return { value, ms: performance.now() - started }
}

test.group('eligibility / validation refuses malicious rules', () => {
  test('prototype paths are refused with forbidden_path', ({ assert }) => {
    const error = refused({ var: '__proto__.x' }, 'forbidden_path', '/var')
    assert.deepEqual(error.message, {
      key: 'eligibility.validation.forbidden_path',
      values: { path: '__proto__.x', segment: '__proto__' },
    })
    refused({ var: 'constructor.prototype' }, 'forbidden_path', '/var')
    refused({ '==': [{ var: ['applicant.prototype', 1] }, 1] }, 'forbidden_path', '/==/0/var/0')
    refused({ missing: ['applicant.__proto__'] }, 'forbidden_path', '/missing/0')
    refused({ some: [[{}], { var: 'constructor' }] }, 'forbidden_path')
    // A JSON-parsed "__proto__" key is an own key, hence simply an unknown operator.
    refused(
      JSON.parse('{"__proto__": {"var": "applicant.verified"}}'),
      'unknown_operator',
      '/__proto__'
    )
  })

  test('unknown operators, unknown facts and undeclared params are refused', ({ assert }) => {
    refused({ eval: ['process.exit()'] }, 'unknown_operator', '/eval')
    refused({ and: [true, { log: ['x'] }] }, 'unknown_operator', '/and/1/log')
    refused({ map: [[1], { var: '' }] }, 'unknown_operator')
    refused({ method: [{ var: 'applicant.home_tenant' }, 'toUpperCase'] }, 'unknown_operator')
    refused({ var: 'applicant.password' }, 'unknown_fact', '/var')
    refused({ var: '' }, 'unknown_fact')
    refused({ var: 'params.secret' }, 'unknown_param')
    refused({ var: { var: 'applicant.home_tenant' } }, 'var_path_not_literal')
    refused({ some: [{ var: 'household.children' }, { var: 'name' }] }, 'unknown_item_field')
    assert.isTrue(
      validateRule({ some: [{ var: 'household.children' }, { var: 'birth_date' }] }).valid
    )
    assert.isTrue(
      validateRule(
        { '<=': [{ var: 'household.income_multiple' }, { var: 'params.income_multiplier' }] },
        { params: PARAMS }
      ).valid
    )
  })

  test('arity, values and dates are checked', ({ assert }) => {
    refused({ '==': [1] }, 'arity', '/==')
    refused({ '>': [1, 2, 3] }, 'arity')
    refused({ and: [] }, 'arity')
    refused({ '*': [] }, 'arity')
    refused({ '!': [] }, 'arity')
    refused({ a: 1, b: 2 }, 'invalid_object')
    refused({}, 'invalid_object')
    refused({ '==': [Number.NaN, 1] }, 'non_finite_number', '/==/0')
    refused({ '==': [undefined, 1] }, 'invalid_value')
    refused({ '==': [() => 1, 1] }, 'invalid_value')
    refused({ '==': [new Date(), 1] }, 'invalid_value')
    refused({ age_on: [{ var: 'child.birth_date' }, '2025-02-30'] }, 'invalid_date', '/age_on/1')
    refused(
      { age_on: [{ var: 'household.monthly_income' }, { var: 'period.start' }] },
      'type_mismatch',
      '/age_on/0'
    )
    refused({ missing_some: [1, { var: 'applicant.documents' }] }, 'missing_keys_not_literal')
    refused(
      { missing: [new Array(1000).fill('applicant.verified')] },
      'array_too_long',
      '/missing/0'
    )
    assert.deepEqual(codes(validateRule({ '<': [1, 2, 3] })), [])
  })

  test('10 000-deep nesting is refused in < 100 ms without a RangeError', ({ assert }) => {
    let rule: unknown = true
    for (let i = 0; i < 10_000; i++) rule = { '!': [rule] }
    let array: unknown = 1
    for (let i = 0; i < 10_000; i++) array = [array]
    for (const deep of [rule, array]) {
      const { value, ms } = timed(() => validateRule(deep))
      assert.deepEqual(codes(value), ['too_deep'])
      assert.isBelow(ms, NEVER_HANGS_MS)
      assert.throws(() => compile(deep), RuleValidationError)
      const result = timed(() => {
        try {
          evaluate(deep, {})
        } catch (error) {
          return error
        }
      })
      assert.instanceOf(result.value, RuleValidationError)
      assert.notInstanceOf(result.value, RangeError)
      assert.isBelow(result.ms, NEVER_HANGS_MS)
    }
    // A million levels do not get further either.
    let huge: unknown = 0
    for (let i = 0; i < 1_000_000; i++) huge = { '+': [huge] }
    const { value, ms } = timed(() => validateRule(huge))
    assert.deepEqual(codes(value), ['too_deep'])
    assert.isBelow(ms, NEVER_HANGS_MS)
  })

  test('a 1 000 000-element array, a huge string and a 100 000-node rule are refused quickly', ({
    assert,
  }) => {
    const million = new Array(1_000_000).fill(1)
    let outcome = timed(() => validateRule({ in: [{ var: 'applicant.citizenship' }, million] }))
    assert.deepEqual(codes(outcome.value), ['array_too_long'])
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)

    outcome = timed(() => validateRule({ '+': million }))
    assert.deepEqual(codes(outcome.value), ['array_too_long'])

    outcome = timed(() =>
      validateRule({ '==': [{ var: 'applicant.home_tenant' }, 'x'.repeat(10_000_000)] })
    )
    assert.deepEqual(codes(outcome.value), ['string_too_long'])
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)
    refused({ var: `applicant.${'a'.repeat(5000)}` }, 'string_too_long')

    // 100 000 nodes, every array within the length limit: 400 groups of 250 comparisons.
    const wide = {
      and: Array.from({ length: 400 }, () => ({
        or: Array.from({ length: 250 }, () => ({ '==': [1, 1] })),
      })),
    }
    outcome = timed(() => validateRule(wide))
    assert.deepEqual(codes(outcome.value), ['too_many_nodes'])
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)
  })

  test('error texts exist in every locale', ({ assert }) => {
    const error = refused({ eval: [1] }, 'unknown_operator')
    assert.equal(formatValidationError(error, 'en'), 'The operator “eval” is not allowed.')
    assert.equal(formatValidationError(error, 'cs'), 'Operátor „eval“ není povolen.')
    assert.equal(formatValidationError(error, 'uk'), 'Оператор «eval» не дозволено.')
    assert.equal(formatValidationError(error, 'pl'), 'Operator „eval” jest niedozwolony.')
    for (const locale of LOCALES) {
      for (const [code, text] of Object.entries(MESSAGES[locale].validation)) {
        assert.isAbove(text.length, 5, `${locale}.${code}`)
      }
      assert.deepEqual(
        Object.keys(MESSAGES[locale].validation).sort(),
        Object.keys(MESSAGES.en.validation).sort()
      )
    }
  })
})

test.group('eligibility / rules built to run for minutes stay bounded', () => {
  test('nesting all/some deeper than the limit is refused', () => {
    const items = Array.from({ length: 400 }, (_, i) => i)
    refused(
      { all: [items, { some: [items, { none: [items, { '==': [{ var: '' }, -1] }] }] }] },
      'scope_too_deep'
    )
  })

  test('the largest allowed loop nest over constants is cut by the step budget', ({ assert }) => {
    // Two nested loops of 490 elements fit the node limit, but ≈ 1.2 million element-steps exceed the budget.
    const items = Array.from({ length: 490 }, (_, i) => i)
    const twoLevels = { all: [items, { all: [items, { '!=': [{ var: '' }, -1] }] }] }
    assert.isTrue(validateRule(twoLevels).valid)
    let outcome = timed(() => evaluate(twoLevels, {}))
    assert.isFalse(outcome.value.eligible)
    assert.equal(outcome.value.error?.code, 'iteration_budget')
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)

    // 200 × 200 fits the budget and runs to the end quickly.
    const smaller = items.slice(0, 200)
    outcome = timed(() =>
      evaluate({ all: [smaller, { all: [smaller, { '!=': [{ var: '' }, -1] }] }] }, {})
    )
    assert.isTrue(outcome.value.eligible)
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)
  })

  test('loops over fact arrays fail closed when the array or the work is too large', ({
    assert,
  }) => {
    const rule = { some: [{ var: 'applicant.documents' }, { '==': [{ var: '' }, 'proof'] }] }
    const tooLong = new Array(MAX_FACT_ARRAY_LENGTH + 1).fill('x')
    let outcome = timed(() => evaluate(rule, { applicant: { documents: tooLong } }))
    assert.isFalse(outcome.value.eligible)
    assert.equal(outcome.value.error?.code, 'array_too_long')
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)

    // The biggest per-element logic the node limit allows, over the longest allowed fact array.
    const perElement = {
      and: Array.from({ length: 450 }, (_, i) => ({ '!=': [{ var: '' }, `x${i}`] })),
    }
    const heavy = { some: [{ var: 'applicant.documents' }, perElement] }
    assert.isTrue(validateRule(heavy).valid)
    const documents = new Array(MAX_FACT_ARRAY_LENGTH).fill('proof')
    outcome = timed(() => evaluate(heavy, { applicant: { documents } }))
    assert.equal(outcome.value.error?.code, 'iteration_budget')
    assert.isBelow(outcome.ms, NEVER_HANGS_MS)
    assert.isAbove(MAX_FACT_ARRAY_LENGTH * 1800, MAX_EVALUATION_STEPS)
  })

  test('a rule at the maximum size evaluates in well under a millisecond per evaluation', ({
    assert,
  }) => {
    // ≈ 2000 nodes of arithmetic and comparisons, no loops: the longest a loop-free rule can get.
    const chain = {
      and: Array.from({ length: 180 }, (_, i) => ({
        '<=': [{ '+': [{ var: 'household.children_count' }, i] }, 1000],
      })),
    }
    const result = validateRule(chain)
    assert.isTrue(result.valid, JSON.stringify(result))
    const compiled = compile(chain)
    const facts = { household: { children_count: 2 } }
    const { ms } = timed(() => {
      for (let i = 0; i < 1000; i++) compiled.run(facts)
    })
    assert.isTrue(compiled.run(facts) as boolean)
    assert.isBelow(ms / 1000, 1)
    assert.isAtMost(DEFAULT_LIMITS.maxNodes, 2000)
  })
})
