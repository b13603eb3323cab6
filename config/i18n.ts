import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'

/**
 * Interface languages: Czech (default), English, Ukrainian, Polish. Messages live in
 * resources/lang/<locale>/<namespace>.json; the `ui` namespace is also sent to the Vue pages.
 */
const i18nConfig = defineConfig({
  defaultLocale: 'cs',
  supportedLocales: ['cs', 'en', 'uk', 'pl'],
  fallbackLocales: { uk: 'en', pl: 'en' },
  formatter: formatters.icu(),
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
