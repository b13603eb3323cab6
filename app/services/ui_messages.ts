import i18nManager from '@adonisjs/i18n/services/main'

const cache = new Map<string, Record<string, string>>()

const PLUGIN_UI = /^plugins\.[a-z][a-z0-9_]*\.ui\./

/**
 * The `ui` namespace of a locale, flattened ("nav.home" -> text), with the fallback
 * locale's messages under it, and each plugin's `ui` messages under their full key
 * ("plugins.voucher.ui.print"). Sent to the Vue pages, which format them (resources/js/i18n.ts).
 */
export function uiMessages(locale: string): Record<string, string> {
  const cached = cache.get(locale)
  if (cached) return cached
  const pick = (loc: string) => {
    const all = i18nManager.getTranslationsFor(loc) as Record<string, string>
    const out: Record<string, string> = {}
    for (const [key, value] of Object.entries(all))
      if (key.startsWith('ui.')) out[key.slice(3)] = value
      else if (PLUGIN_UI.test(key)) out[key] = value
    return out
  }
  const messages = { ...pick('en'), ...pick(locale) }
  if (!process.env.NODE_ENV || process.env.NODE_ENV === 'production') cache.set(locale, messages)
  return messages
}
