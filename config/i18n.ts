import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import { pluginTranslations } from '#plugin_engine/translations_loader'

/**
 * Interface languages: Czech (default), English, Ukrainian, Polish. Messages live in
 * resources/lang/<locale>/<namespace>.json; the `ui` namespace is also sent to the Vue pages.
 * Each plugin's plugins/<id>/lang/<locale>.json is mounted under `plugins.<id>`.
 */
const i18nConfig = defineConfig({
  defaultLocale: 'cs',
  supportedLocales: ['cs', 'en', 'uk', 'pl'],
  fallbackLocales: { uk: 'en', pl: 'en' },
  formatter: formatters.icu(),
  // Plugins' own messages are mounted under `plugins.<id>.` (app/plugin_engine/translations_loader.ts).
  loaders: [
    loaders.fs({ location: app.languageFilesPath() }),
    pluginTranslations(app.makePath('plugins')),
  ],
})

export default i18nConfig
