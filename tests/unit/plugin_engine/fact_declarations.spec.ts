import { test } from '@japa/runner'
import {
  checkFactDeclarations,
  factValueProblem,
} from '../../../app/plugin_engine/fact_declarations.js'
import { PluginRegistry, PluginRegistryError } from '../../../app/plugin_engine/registry.js'
import { LABEL_SOURCE, manifestSource, removeRoot, temporaryRoot, writePlugin } from './fixtures.js'

const L = { cs: 'Údaj', en: 'Fact', uk: 'Факт', pl: 'Fakt' }
const CHOICES = [
  { value: 'gold', label: L },
  { value: 'basic', label: L },
]

/** The problems of one declaration `name` for the plugin `alpha`. */
const problemsOf = (name: string, declaration: unknown) =>
  checkFactDeclarations(Object.fromEntries([[name, declaration]]), 'alpha')

test.group('plugin fact declarations: the manifest’s facts', () => {
  test('accepts every supported type with its options', ({ assert }) => {
    assert.deepEqual(
      checkFactDeclarations(
        {
          used_this_year: { type: 'number', label: L, format: { maximumFractionDigits: 0 } },
          waited: { type: 'number', label: L, format: { unit: 'month' } },
          spent: { type: 'money', label: L, description: L },
          joined: { type: 'date', label: L },
          member: { type: 'boolean', label: L, requirement: { isTrue: L, isFalse: L } },
          tier: { type: 'enum', label: L, choices: CHOICES },
          code: { type: 'string', label: L },
        },
        'alpha'
      ),
      []
    )
    assert.deepEqual(checkFactDeclarations({}, 'alpha'), [])
  })

  test('refuses bad names, naming the fact', ({ assert }) => {
    const fact = { type: 'number', label: L }
    assert.match(problemsOf('UsedThisYear', fact)[0], /^fact "UsedThisYear" is not a valid name/)
    assert.match(problemsOf('used.this', fact)[0], /^fact "used.this" is not a valid name/)
    assert.match(problemsOf('1st', fact)[0], /is not a valid name/)
    assert.match(problemsOf('a'.repeat(65), fact)[0], /is not a valid name/)
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      assert.equal(
        problemsOf(name, fact)[0],
        `fact "${name}" is a forbidden name (__proto__, constructor, prototype)`
      )
    }
    for (const name of ['toString', 'valueOf', 'concat', 'map']) {
      assert.match(problemsOf(name, fact)[0], new RegExp(`^fact "${name}" is a name every JSON`))
    }
    assert.match(problemsOf('length', fact)[0], /^fact "length" is reserved/)
  })

  test('refuses facts of a plugin whose id is a core fact namespace', ({ assert }) => {
    assert.deepEqual(checkFactDeclarations({ extra: { type: 'number', label: L } }, 'household'), [
      'facts cannot be declared by a plugin whose id "household" is a core fact namespace',
    ])
    assert.deepEqual(checkFactDeclarations({}, 'household'), [])
  })

  test('refuses unknown types, list facts and missing locales', ({ assert }) => {
    assert.deepEqual(problemsOf('n', { type: 'integer', label: L }), [
      'fact "alpha.n" has an unknown type "integer" (one of number, money, date, boolean, enum, string)',
    ])
    assert.deepEqual(problemsOf('n', { label: L }), [
      'fact "alpha.n" has an unknown type undefined (one of number, money, date, boolean, enum, string)',
    ])
    assert.deepEqual(problemsOf('items', { type: 'list', label: L }), [
      'fact "alpha.items": list facts are not supported (declare the number of items as a number fact)',
    ])
    assert.deepEqual(problemsOf('n', { type: 'number', label: { cs: 'Údaj', en: 'Fact' } }), [
      'fact "alpha.n": label is missing the locales uk, pl',
    ])
    assert.deepEqual(problemsOf('n', { type: 'number', label: { ...L, pl: ' ' } }), [
      'fact "alpha.n": label is missing the locales pl',
    ])
    assert.deepEqual(problemsOf('n', { type: 'number', label: L, description: { cs: 'x' } }), [
      'fact "alpha.n": description is missing the locales en, uk, pl',
    ])
    assert.deepEqual(problemsOf('n', { type: 'number', label: L, labl: L }), [
      'fact "alpha.n" has an unknown field "labl"',
    ])
    assert.deepEqual(problemsOf('n', 'number'), [
      'fact "alpha.n" must be a declaration { type, label, ... }',
    ])
    assert.deepEqual(checkFactDeclarations([], 'alpha'), [
      'facts must be an object of fact declarations by name ({ used_this_year: { ... } })',
    ])
  })

  test('refuses an enum without choices and options that do not fit the type', ({ assert }) => {
    assert.deepEqual(problemsOf('tier', { type: 'enum', label: L }), [
      'fact "alpha.tier": an enum needs choices [{ value, label }, ...]',
    ])
    assert.deepEqual(problemsOf('tier', { type: 'enum', label: L, choices: [] }), [
      'fact "alpha.tier": an enum needs choices [{ value, label }, ...]',
    ])
    assert.deepEqual(
      problemsOf('tier', {
        type: 'enum',
        label: L,
        choices: [{ value: 'gold', label: L }, { value: 'gold', label: L }, { label: L }],
      }),
      [
        'fact "alpha.tier": choice "gold" is listed twice',
        'fact "alpha.tier": choice 3 needs a text value',
      ]
    )
    assert.deepEqual(
      problemsOf('tier', {
        type: 'enum',
        label: L,
        choices: [{ value: 'gold', label: { en: 'Gold' } }],
      }),
      ['fact "alpha.tier": the label of choice "gold" is missing the locales cs, uk, pl']
    )
    assert.deepEqual(problemsOf('n', { type: 'number', label: L, choices: CHOICES }), [
      'fact "alpha.n": only an enum has choices',
    ])
    assert.deepEqual(problemsOf('d', { type: 'date', label: L, format: { unit: 'day' } }), [
      'fact "alpha.d": only a number has a format',
    ])
    assert.deepEqual(problemsOf('n', { type: 'number', label: L, format: { unit: 'week' } }), [
      'fact "alpha.n": format.unit must be one of year, month, day',
    ])
    assert.deepEqual(
      problemsOf('n', { type: 'number', label: L, format: { maximumFractionDigits: 1.5 } }),
      ['fact "alpha.n": format.maximumFractionDigits must be a whole number from 0 to 20']
    )
    assert.deepEqual(
      problemsOf('n', { type: 'number', label: L, requirement: { isTrue: L, isFalse: L } }),
      ['fact "alpha.n": only a boolean has requirement sentences']
    )
    assert.deepEqual(
      problemsOf('b', {
        type: 'boolean',
        label: L,
        requirement: { isTrue: L, isFalse: { en: 'x' } },
      }),
      ['fact "alpha.b": requirement.isFalse is missing the locales cs, uk, pl']
    )
  })

  test('checks a value against its declaration', ({ assert }) => {
    const enumFact = { type: 'enum' as const, label: L, choices: CHOICES }
    assert.isUndefined(factValueProblem(enumFact, 'gold'))
    assert.isUndefined(factValueProblem(enumFact, null))
    assert.equal(factValueProblem(enumFact, 'silver'), 'one of gold, basic')
    assert.isUndefined(factValueProblem({ type: 'money', label: L }, 100))
    assert.equal(
      factValueProblem({ type: 'money', label: L }, 1.5),
      'a whole number of minor units'
    )
    assert.equal(factValueProblem({ type: 'number', label: L }, '1'), 'a finite number')
  })
})

test.group('plugin fact declarations: the registry', (group) => {
  let root: string
  group.each.setup(async () => {
    root = await temporaryRoot()
    return () => removeRoot(root)
  })

  test('refuses to start on a bad declaration, naming the plugin and the fact', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `facts: { used: { type: 'list', label: ${LABEL_SOURCE} }, ['constructor']: { type: 'number', label: ${LABEL_SOURCE} } },`
      ),
    })
    try {
      await PluginRegistry.load({ root })
      assert.fail('expected the registry to refuse to start')
    } catch (error) {
      assert.instanceOf(error, PluginRegistryError)
      const message = (error as Error).message
      assert.include(
        message,
        'plugins/alpha: fact "alpha.used": list facts are not supported (declare the number of items as a number fact)'
      )
      assert.include(
        message,
        'plugins/alpha: fact "constructor" is a forbidden name (__proto__, constructor, prototype)'
      )
    }
  })

  test('lists the declared facts by plugin; a program gets its own plugin’s only', async ({
    assert,
  }) => {
    await writePlugin(root, 'alpha', {
      'plugin.ts': manifestSource(
        'alpha',
        `facts: { used_this_year: { type: 'number', label: ${LABEL_SOURCE} } },`
      ),
    })
    await writePlugin(root, 'beta', { 'plugin.ts': manifestSource('beta') })
    const registry = await PluginRegistry.load({ root })
    assert.deepEqual(Object.keys(registry.factTypes()), ['alpha'])
    assert.strictEqual(registry.factTypes(), registry.factTypes())
    assert.deepEqual(registry.factsFor('alpha'), {
      alpha: {
        used_this_year: {
          type: 'number',
          label: { cs: 'Pole', en: 'Field', uk: 'Поле', pl: 'Pole' },
        },
      },
    })
    assert.deepEqual(registry.factsFor('beta'), {})
    assert.throws(() => registry.factsFor('gamma'), /not installed/)
  })
})
