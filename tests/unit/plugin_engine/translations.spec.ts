import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { loadPluginTranslations } from '#plugin_engine/translations_loader'

test.group('plugin translations', () => {
  test('every plugin message is mounted under plugins.<id> in every language', async ({
    assert,
  }) => {
    const loaded = loadPluginTranslations(app.makePath('plugins'))
    for (const locale of ['cs', 'en', 'uk', 'pl']) {
      const file = JSON.parse(
        readFileSync(app.makePath('plugins', 'credit', 'lang', `${locale}.json`), 'utf8')
      )
      assert.equal(
        loaded[locale]['plugins.credit.household_cap_reached'],
        file.household_cap_reached
      )
      assert.equal(
        i18nManager.locale(locale).t('plugins.credit.household_cap_reached'),
        file.household_cap_reached
      )
    }
  })
})
