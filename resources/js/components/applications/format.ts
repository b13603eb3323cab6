import { documentType } from '~/components/verification/format'

/** File name extensions for the `accept` attribute of a document's file input. */
const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
}

/** `accept` for a document's formats (MIME types), e.g. ".pdf,.jpg,.jpeg,.png". */
export function acceptFor(formats: readonly string[]) {
  const list = formats.flatMap((format) => EXTENSIONS[format] ?? [format])
  return list.length > 0 ? [...new Set(list)].join(',') : '.pdf,.jpg,.jpeg,.png'
}

/** The formats of a document in short words: "PDF, JPEG, PNG". */
export function formatNames(formats: readonly string[]) {
  return formats.map(documentType).join(', ')
}

/** The id of the form control an error's field name points to (see the pages' inputs). */
export function controlId(field: string) {
  if (field.startsWith('documents.')) return `document-${field.slice('documents.'.length)}`
  return field.replace(/[^a-zA-Z0-9_-]/g, '-')
}

/**
 * The day of an instant of an application window (e.g. "2026-08-15T00:00:00+02:00") as the
 * programme means it: in Czech time, whatever the reader's time zone, like the server's messages.
 */
export function windowDay(iso: string | null | undefined, locale: string) {
  if (!iso) return ''
  const parsed = new Date(iso)
  if (Number.isNaN(parsed.getTime())) return iso
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Europe/Prague' }).format(
    parsed
  )
}
