/*
 * Plugin facts in the eligibility engine: `<plugin>.<name>` resolved from the declarations in
 * scope (a program's own plugin's), through validation, compilation (required facts, the cache
 * key), evaluation, explanations and the sentence view.
 */
import { test } from '@japa/runner'
import { compile, ruleKey } from '../../../app/eligibility/compile.js'
import { evaluate } from '../../../app/eligibility/engine.js'
import { describeRule, explain } from '../../../app/eligibility/explain.js'
import {
  type PluginFactTypes,
  lookupFact,
  pluginFactDefinitions,
} from '../../../app/eligibility/fact_catalog.js'
import { formatValidationError } from '../../../app/eligibility/messages.js'
import { validateRule } from '../../../app/eligibility/validate.js'

const l = (cs: string, en: string) => ({ cs, en, uk: en, pl: en })

const PROBE: PluginFactTypes = {
  probe: {
    used_this_year: {
      type: 'number',
      label: l('Využito letos', 'Used this year'),
      format: { maximumFractionDigits: 0 },
    },
    member: {
      type: 'boolean',
      label: l('Člen', 'Member'),
      requirement: {
        isTrue: l('Žadatel musí být členem', 'The applicant must be a member'),
        isFalse: l('Žadatel nesmí být členem', 'The applicant must not be a member'),
      },
    },
    tier: {
      type: 'enum',
      label: l('Úroveň', 'Tier'),
      choices: [
        { value: 'gold', label: l('Zlatá', 'Gold') },
        { value: 'basic', label: l('Základní', 'Basic') },
      ],
    },
  },
}

const USED_AT_MOST_TWO = { '<=': [{ var: 'probe.used_this_year' }, 2] }

test.group('eligibility / plugin facts', () => {
  test('lookupFact resolves <plugin>.<name> from the declarations in scope only', ({ assert }) => {
    const def = lookupFact('probe.used_this_year', undefined, PROBE)
    assert.deepInclude(def, {
      path: 'probe.used_this_year',
      type: 'number',
      source: 'plugin',
    })
    assert.equal(def?.label.en, 'Used this year')
    assert.isUndefined(lookupFact('probe.used_this_year'))
    assert.isUndefined(lookupFact('probe.nope', undefined, PROBE))
    assert.isUndefined(lookupFact('voucher.used_this_year', undefined, PROBE))
    assert.isUndefined(lookupFact('probe', undefined, PROBE))
    assert.isUndefined(lookupFact('probe.used_this_year.x', undefined, PROBE))
    // Inherited names never resolve, whatever the object holds.
    assert.isUndefined(lookupFact('probe.constructor', undefined, PROBE))
    assert.isUndefined(lookupFact('probe.toString', undefined, PROBE))
    // A core namespace is never a plugin's, even when declarations say so.
    const hostile = { household: { anything: { type: 'number', label: l('x', 'x') } } }
    assert.isUndefined(lookupFact('household.anything', undefined, hostile as PluginFactTypes))
    assert.deepEqual(
      pluginFactDefinitions(PROBE).map((f) => f.path),
      ['probe.used_this_year', 'probe.member', 'probe.tier']
    )
  })

  test('validation accepts the program’s plugin facts and names an undeclared or foreign one', ({
    assert,
  }) => {
    assert.isTrue(validateRule(USED_AT_MOST_TWO, { pluginFacts: PROBE }).valid)
    // Without the declarations (another program), the same rule is refused.
    const without = validateRule(USED_AT_MOST_TWO)
    assert.isFalse(without.valid)
    const undeclared = validateRule(
      { '===': [{ var: 'probe.nope' }, true] },
      { pluginFacts: PROBE }
    )
    assert.isFalse(undeclared.valid)
    if (!undeclared.valid) {
      assert.equal(undeclared.errors[0].code, 'unknown_plugin_fact')
      assert.equal(
        formatValidationError(undeclared.errors[0], 'en'),
        'The programme type “probe” declares no fact “probe.nope”.'
      )
    }
    const foreign = validateRule(
      { '<=': [{ var: 'voucher.used_this_year' }, 1] },
      { pluginFacts: PROBE }
    )
    assert.isFalse(foreign.valid)
    if (!foreign.valid) {
      assert.equal(foreign.errors[0].code, 'unknown_fact')
      assert.equal(
        formatValidationError(foreign.errors[0], 'en'),
        '“voucher.used_this_year” is not a known fact.'
      )
    }
  })

  test('compilation: a number plugin fact is required; the key covers its type, not its label', ({
    assert,
  }) => {
    const compiled = compile(USED_AT_MOST_TWO, { pluginFacts: PROBE, cache: false })
    assert.deepEqual(compiled.requiredFacts, ['probe.used_this_year'])
    assert.isFalse(evaluate(compiled, { probe: {} }).eligible)
    assert.deepEqual(evaluate(compiled, { probe: {} }).missing, ['probe.used_this_year'])
    assert.isTrue(evaluate(compiled, { probe: { used_this_year: 1 } }).eligible)
    assert.isFalse(evaluate(compiled, { probe: { used_this_year: 3 } }).eligible)

    const relabelled: PluginFactTypes = {
      probe: {
        ...PROBE.probe,
        used_this_year: { ...PROBE.probe.used_this_year, label: l('Jinak', 'Other') },
      },
    }
    const retyped: PluginFactTypes = {
      probe: { ...PROBE.probe, used_this_year: { type: 'string', label: l('x', 'x') } },
    }
    const key = ruleKey(USED_AT_MOST_TWO, undefined, PROBE)
    assert.equal(compiled.key, key)
    assert.equal(ruleKey(USED_AT_MOST_TWO, undefined, relabelled), key)
    assert.notEqual(ruleKey(USED_AT_MOST_TWO, undefined, retyped), key)
    // A rule reading no plugin fact keeps the key it always had (recorded decisions replay).
    const plain = { '===': [{ var: 'applicant.verified' }, true] }
    assert.equal(ruleKey(plain, undefined, PROBE), ruleKey(plain))
  })

  test('explanations and the sentence view use the plugin fact’s labels and choices', ({
    assert,
  }) => {
    const rule = {
      and: [
        USED_AT_MOST_TWO,
        { '===': [{ var: 'probe.member' }, true] },
        { in: [{ var: 'probe.tier' }, ['gold']] },
      ],
    }
    const facts = { probe: { used_this_year: 3, member: false, tier: 'basic' } }
    const { eligible, sentences } = explain(rule, facts, { locale: 'en', pluginFacts: PROBE })
    assert.isFalse(eligible)
    assert.lengthOf(sentences, 3)
    assert.include(sentences[0], 'Used this year')
    assert.include(sentences[0], '3')
    assert.equal(sentences[1], 'The applicant must be a member.')
    assert.include(sentences[2], 'Tier')
    assert.include(sentences[2], 'Gold')
    const czech = describeRule(rule, { locale: 'cs', pluginFacts: PROBE })
    assert.include(czech, 'využito letos')
    assert.include(czech, 'Zlatá')
  })
})
