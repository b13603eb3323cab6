import { test } from '@japa/runner'
import { mergePluginFacts, PluginFactsError } from '#applications/plugin_facts'
import { buildFacts } from '#applications/facts'

const CORE = buildFacts({
  citizenship: 'CZ',
  homeTenantSlug: 'praha-5',
  verified: true,
  child: { birthDate: '2015-03-02' },
  household: [{ birthDate: '2015-03-02' }],
  period: { key: '2026-h1', name: { en: 'First half' }, start: '2026-09-01', end: '2027-01-31' },
  declared: {},
  documentKeys: [],
  referenceDate: '2026-12-06',
})

const refusal = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    if (error instanceof PluginFactsError) return error.message
    throw error
  }
  throw new Error('expected a refusal')
}

test.group('plugin eligibility facts', () => {
  test('adds a plugin’s facts under its id, leaving the core facts as they were', ({ assert }) => {
    const before = structuredClone(CORE)
    const merged = mergePluginFacts(CORE, [
      {
        pluginId: 'voucher',
        result: { 'voucher.used_this_year': 1, 'voucher.last.on': '2026-10-01' },
      },
      { pluginId: 'credit', result: { 'credit.balance_minor': 50_000 } },
    ])
    assert.deepEqual(merged.voucher, { used_this_year: 1, last: { on: '2026-10-01' } })
    assert.deepEqual(merged.credit, { balance_minor: 50_000 })
    assert.deepEqual(merged.applicant, CORE.applicant)
    assert.deepEqual(CORE, before)
  })

  test('refuses a key core has set, even under the plugin’s own id', ({ assert }) => {
    // A plugin whose id is a core namespace cannot replace, extend or descend into core facts.
    assert.include(
      refusal(() =>
        mergePluginFacts(CORE, [
          { pluginId: 'household', result: { 'household.children_count': 9 } },
        ])
      ),
      '"household.children_count" is under "household", a fact core sets'
    )
    assert.include(
      refusal(() =>
        mergePluginFacts(CORE, [{ pluginId: 'household', result: { 'household.extra': 1 } }])
      ),
      '"household.extra" is under "household", a fact core sets'
    )
  })

  test('refuses keys outside the plugin’s id, malformed keys and non-JSON values', ({ assert }) => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['voucher', { 'applicant.citizenship': 'UA' }, 'is not a fact path under "voucher."'],
      ['voucher', { voucher: 1 }, 'is not a fact path under "voucher."'],
      ['voucher', { 'voucher.Used': 1 }, 'is not a fact path'],
      ['voucher', { 'voucher.at': new Date() }, 'is not plain JSON'],
      ['voucher', { 'voucher.n': Number.NaN }, 'is not plain JSON'],
      ['voucher', { 'voucher.n': undefined }, 'is not plain JSON'],
      [
        'voucher',
        { 'voucher.a': 1, 'voucher.a.b': 2 },
        '"voucher.a" and "voucher.a.b" cannot both',
      ],
    ]
    for (const [pluginId, result, message] of cases) {
      assert.include(
        refusal(() => mergePluginFacts(CORE, [{ pluginId, result }])),
        message
      )
    }
  })
})
