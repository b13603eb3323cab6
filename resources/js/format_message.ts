import { IntlMessageFormat } from 'intl-messageformat'

/** Compiled ICU messages, by locale and template. */
const compiled = new Map<string, IntlMessageFormat>()

/** Whether a template uses ICU arguments beyond plain {name} (plural, select, number…). */
const ICU_ARGUMENT = /\{\s*\w+\s*,/

/**
 * Formats a message of the `ui` namespace (resources/lang/<locale>/ui.json), sent by the
 * server with every page. Plain {name} placeholders are replaced directly (a value not given
 * stays visible as {name}); a template with ICU arguments (`{n, plural, one {…} other {…}}`,
 * select, number) is formatted by FormatJS's intl-messageformat, the library the server's
 * i18n uses, with the locale's plural rules.
 */
export function format(template: string, values: Record<string, unknown> = {}, locale = 'en') {
  if (ICU_ARGUMENT.test(template)) {
    const key = `${locale}\u0000${template}`
    let message = compiled.get(key)
    if (!message) {
      message = new IntlMessageFormat(template, locale)
      compiled.set(key, message)
    }
    return String(message.format(values as Record<string, string | number>))
  }
  return template.replace(/\{(\w+)\}/g, (_, name) =>
    values[name] === undefined ? `{${name}}` : String(values[name])
  )
}
