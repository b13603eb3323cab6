/*
 * fast-check generators shared by the eligibility property tests: random valid rules (every allowed
 * operator, catalogue paths, params, all/some/none) and random, oddly shaped facts.
 */
import fc from 'fast-check'
import { FACT_CATALOGUE, type ParamTypes } from '../../../app/eligibility/fact_catalog.js'

/** The parameter declarations the generated rules are valid against. */
export const PARAMS: ParamTypes = {
  income_multiplier: { type: 'number' },
  min_age: { type: 'number' },
}

/** Options of `makeArbitraries`. */
export interface ArbitraryOptions {
  /** More string constants (in rules and facts), e.g. hostile ones. */
  extraStrings?: readonly string[]
  /** Paths read inside all/some/none over sources the validator cannot type (any element path). */
  elementPaths?: readonly string[]
}

/** Builds the generators; without options they are the ones the property test has always used. */
export function makeArbitraries(options: ArbitraryOptions = {}) {
  const extraStrings = options.extraStrings ?? []
  const elementPaths = options.elementPaths ?? []
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
      'temporary_protection',
      ...extraStrings
    )
  )

  /** A fact value: edge values, small arrays (also empty) and small objects. */
  const dictionaryKeys = [
    'a',
    'birth_date',
    'x',
    ...elementPaths.filter((path) => !path.includes('.')),
  ]
  const dictionary = fc.dictionary(fc.constantFrom(...dictionaryKeys), primitive, { maxKeys: 2 })
  const factValue = fc.oneof(
    { weight: 6, arbitrary: primitive },
    { weight: 2, arbitrary: fc.array(primitive, { maxLength: 4 }) },
    { weight: 1, arbitrary: dictionary },
    // Lists of objects for element paths (only when asked: the default generators stay as they were).
    ...(elementPaths.length > 0
      ? [{ weight: 2, arbitrary: fc.array(dictionary, { maxLength: 3 }) }]
      : [])
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
      .array(fc.option(factValue, { freq: 4 }), {
        minLength: PATHS.length,
        maxLength: PATHS.length,
      })
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
          .map(([op, source, logic]) => ({ [op]: [source, logic] })),
        // Element paths over sources the validator cannot type: any path without a forbidden segment
        // is then valid (read as own properties only).
        ...(elementPaths.length > 0
          ? [
              fc
                .tuple(
                  fc.constantFrom('all', 'some', 'none'),
                  fc.constantFrom(
                    { merge: [{ var: 'household.children' }] },
                    { if: [true, { var: 'household.children' }, []] }
                  ),
                  fc.oneof(
                    fc.constantFrom(...elementPaths).map((path) => ({ var: path })),
                    fc
                      .tuple(fc.constantFrom(...elementPaths), primitive)
                      .map(([path, value]) => ({ '==': [{ var: [path, value] }, value] })),
                    fc
                      .array(fc.constantFrom(...elementPaths), { minLength: 1, maxLength: 2 })
                      .map((keys) => ({ '!': { missing: keys } })),
                    fc
                      .array(fc.constantFrom(...elementPaths), { minLength: 1, maxLength: 2 })
                      .map((keys) => ({ missing_some: [1, keys] }))
                  )
                )
                .map(([op, source, logic]) => ({ [op]: [source, logic] })),
            ]
          : [])
      ),
    }
  })

  return { PATHS, primitive, factValue, factsArbitrary, constant, varNode, elementLogic, rule }
}
