import type { Ref } from 'vue'

/** A file size in the reader's language (kB under 1 MB, else MB with one decimal). */
export function fileSize(bytes: number, locale: Ref<string> | string) {
  const lang = typeof locale === 'string' ? locale : locale.value
  const megabytes = bytes / (1024 * 1024)
  const [value, unit] = megabytes >= 1 ? [megabytes, 'megabyte'] : [bytes / 1024, 'kilobyte']
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value)
}

/** A short name of a document's sniffed type. */
export function documentType(contentType: string) {
  return (
    { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' }[contentType] ??
    contentType
  )
}
