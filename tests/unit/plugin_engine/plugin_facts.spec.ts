import { test } from '@japa/runner'
import { mergePluginFacts, PluginFactsError } from '#applications/plugin_facts'
import { buildFacts } from '#applications/facts'
import type { PluginFactTypes } from '#eligibility/fact_catalog'

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

const L = (text: string) => ({ cs: text, en: text, uk: text, pl: text })

/** What the plugins of these tests declare (the manifests' `facts`). */
const DECLARED: PluginFactTypes = {
  voucher: {
    used_this_year: { type: 'number', label: L('Used this year') },
    last_on: { type: 'date', label: L('Last used on') },
    tier: {
      type: 'enum',
      label: L('Tier'),
      choices: [
        { value: 'gold', label: L('Gold') },
        { value: 'basic', label: L('Basic') },
      ],
    },
    member: { type: 'boolean', label: L('Member') },
    spent: { type: 'money', label: L('Spent') },
    code: { type: 'string', label: L('Code') },
  },
  credit: { balance_minor: { type: 'money', label: L('Balance') } },
  household: { extra: { type: 'number', label: L('Extra') } },
}

test.group('plugin eligibility facts', () => {
  test('adds a plugin’s declared facts under its id, leaving the core facts as they were', ({
    assert,
  }) => {
    const before = structuredClone(CORE)
    const merged = mergePluginFacts(
      CORE,
      [
        {
          pluginId: 'voucher',
          result: {
            'voucher.used_this_year': 1,
            'voucher.last_on': '2026-10-01',
            'voucher.tier': 'gold',
            'voucher.member': false,
            'voucher.spent': 125_000,
            'voucher.code': 'A-1',
          },
        },
        { pluginId: 'credit', result: { 'credit.balance_minor': 50_000 } },
      ],
      DECLARED
    )
    assert.deepEqual(merged.voucher, {
      used_this_year: 1,
      last_on: '2026-10-01',
      tier: 'gold',
      member: false,
      spent: 125_000,
      code: 'A-1',
    })
    assert.deepEqual(merged.credit, { balance_minor: 50_000 })
    assert.deepEqual(merged.applicant, CORE.applicant)
    assert.deepEqual(CORE, before)
    // null: the plugin does not know the fact for this applicant (a rule then decides as missing).
    const unknown = mergePluginFacts(
      CORE,
      [{ pluginId: 'voucher', result: { 'voucher.used_this_year': null } }],
      DECLARED
    )
    assert.deepEqual(unknown.voucher, { used_this_year: null })
  })

  test('refuses a key core has set, even under the plugin’s own id', ({ assert }) => {
    // A plugin whose id is a core namespace cannot replace, extend or descend into core facts.
    assert.include(
      refusal(() =>
        mergePluginFacts(
          CORE,
          [{ pluginId: 'household', result: { 'household.children_count': 9 } }],
          DECLARED
        )
      ),
      '"household.children_count" is under "household", a fact core sets'
    )
    assert.include(
      refusal(() =>
        mergePluginFacts(
          CORE,
          [{ pluginId: 'household', result: { 'household.extra': 1 } }],
          DECLARED
        )
      ),
      '"household.extra" is under "household", a fact core sets'
    )
  })

  test('refuses keys outside the plugin’s id, undeclared keys, non-JSON values and values of the wrong type', ({
    assert,
  }) => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['voucher', { 'applicant.citizenship': 'UA' }, 'is not a fact path under "voucher."'],
      ['voucher', { voucher: 1 }, 'is not a fact path under "voucher."'],
      ['voucher', { 'voucher.Used': 1 }, 'is not a fact path'],
      ['voucher', { 'voucher.nope': 1 }, '"voucher.nope" is not declared in the manifest’s facts'],
      ['voucher', { 'voucher.used_this_year.x': 1 }, 'is not declared'],
      ['voucher', { 'voucher.constructor': 1 }, 'is not declared'],
      ['probe', { 'probe.anything': 1 }, '(declared: none)'],
      ['voucher', { 'voucher.last_on': new Date() }, 'is not plain JSON'],
      ['voucher', { 'voucher.used_this_year': Number.NaN }, 'is not plain JSON'],
      ['voucher', { 'voucher.used_this_year': undefined }, 'is not plain JSON'],
      ['voucher', { 'voucher.used_this_year': '3' }, 'declared number, so its value must be'],
      ['voucher', { 'voucher.spent': 10.5 }, 'a whole number of minor units'],
      ['voucher', { 'voucher.last_on': '2026-02-30' }, 'a date yyyy-mm-dd'],
      ['voucher', { 'voucher.member': 'yes' }, 'true or false'],
      ['voucher', { 'voucher.tier': 'platinum' }, 'one of gold, basic'],
      ['voucher', { 'voucher.code': 7 }, 'a text'],
    ]
    for (const [pluginId, result, message] of cases) {
      assert.include(
        refusal(() => mergePluginFacts(CORE, [{ pluginId, result }], DECLARED)),
        message.replace('’', "'")
      )
    }
  })
})
