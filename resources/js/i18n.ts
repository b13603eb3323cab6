import { computed } from 'vue'
import { usePage } from '@inertiajs/vue3'

/**
 * Formats a message of the `ui` namespace (resources/lang/<locale>/ui.json), sent by the
 * server with every page. Supports {name} placeholders; a missing key shows the key itself,
 * so untranslated strings are visible in tests.
 */
export function format(template: string, values: Record<string, unknown> = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => (values[name] === undefined ? `{${name}}` : String(values[name])))
}

export function useI18n() {
  const page = usePage<{ messages: Record<string, string>; locale: string }>()
  const locale = computed(() => page.props.locale)
  function t(key: string, values: Record<string, unknown> = {}) {
    const template = page.props.messages?.[key]
    return template === undefined ? key : format(template, values)
  }
  function date(iso: string | null | undefined) {
    if (!iso) return ''
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
  }
  return { t, locale, date }
}
