import { computed } from 'vue'
import { usePage } from '@inertiajs/vue3'
import { format } from '~/format_message'

export function useI18n() {
  const page = usePage<{ messages: Record<string, string>; locale: string }>()
  const locale = computed(() => page.props.locale)
  function t(key: string, values: Record<string, unknown> = {}) {
    const template = page.props.messages?.[key]
    return template === undefined ? key : format(template, values, locale.value)
  }
  function date(iso: string | null | undefined) {
    if (!iso) return ''
    return new Intl.DateTimeFormat(locale.value, {
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(iso))
  }
  return { t, locale, date }
}
