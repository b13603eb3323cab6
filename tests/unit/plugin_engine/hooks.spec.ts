import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { IntlMessageFormat } from 'intl-messageformat'
import { HOOK_NAMES, hookCatalogue, isHookName } from '../../../app/plugin_engine/hooks.js'
import { PluginRegistry } from '../../../app/plugin_engine/registry.js'
import { LOCALES } from '../../../app/plugin_engine/settings_schema.js'
import { PROJECT_ROOT } from './fixtures.js'

test.group('hook catalogue', () => {
  test('declares the initial hooks with their blocking semantics', ({ assert }) => {
    assert.deepEqual(
      Object.fromEntries(HOOK_NAMES.map((name) => [name, hookCatalogue[name].blocking])),
      {
        'application.eligibility_facts': true,
        'application.approved': true,
        'application.withdrawn': false,
        'booking.validate': true,
        'program.nav_items': false,
        'program.settings_saved': false,
      }
    )
    for (const name of HOOK_NAMES) {
      assert.isAbove(hookCatalogue[name].when.length, 10, name)
      assert.isAbove(hookCatalogue[name].returns.length, 5, name)
    }
    assert.isTrue(isHookName('booking.validate'))
    assert.isFalse(isHookName('toString'))
  })

  test('every hook is documented in docs/plugins.md', ({ assert }) => {
    const guide = readFileSync(path.join(PROJECT_ROOT, 'docs/plugins.md'), 'utf8')
    for (const name of HOOK_NAMES) assert.include(guide, `\`${name}\``, name)
  })
})

test.group('built-in plugin translations', () => {
  /** The messages of a file, nested keys joined with dots (`ui.voucher.print`). */
  function flatten(value: unknown, prefix = '', into: Record<string, string> = {}) {
    if (typeof value === 'string') into[prefix] = value
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        flatten(inner, prefix ? `${prefix}.${key}` : key, into)
      }
    }
    return into
  }

  test('every locale has the same keys and every message formats', async ({ assert }) => {
    const registry = await PluginRegistry.load({ root: PROJECT_ROOT })
    for (const manifest of registry.all()) {
      if (!manifest.translations) continue
      const folder = path.join(registry.details(manifest.id).folder, manifest.translations)
      const read = (locale: string) =>
        flatten(JSON.parse(readFileSync(path.join(folder, `${locale}.json`), 'utf8')))
      const english = Object.keys(read('en')).sort()
      for (const locale of LOCALES) {
        const messages = read(locale)
        assert.deepEqual(Object.keys(messages).sort(), english, `${manifest.id} ${locale}`)
        for (const [key, message] of Object.entries(messages)) {
          const text = new IntlMessageFormat(message, locale).format({
            voucherCount: 2,
            max: 2,
            minimumPrice: 2500,
            minimumPriceMinor: 250_000,
            currency: 'CZK',
            coPaymentPercent: 20,
            capMinor: 100_000,
            program: 'Program',
            code: 'ABCD EFGH JKLM NPQR',
            issuer: 'ČRDM',
            email: 'someone@example.cz',
            limit: 500,
          })
          assert.isString(text, `${manifest.id} ${locale} ${key}`)
          assert.notInclude(String(text), '{', `${manifest.id} ${locale} ${key}`)
          // Messages for the pages are formatted by the client, which knows only {name}.
          if (key.startsWith('ui.')) {
            assert.match(message, /^[^{}]*(\{\w+\}[^{}]*)*$/, `${manifest.id} ${locale} ${key}`)
          }
        }
      }
    }
  })
})
