import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'

/** What the rules need besides the input: today's date and a translator (`errors.verification.*`). */
export interface VerificationMeta {
  today: string
  t: (key: string, values?: Record<string, unknown>) => string
}

function report(field: FieldContext, key: string) {
  const meta = field.meta as VerificationMeta
  field.report(meta.t(`errors.verification.${key}`), `verification.${key}`, field)
}

/** A real calendar date, not in the future, at most 130 years ago. */
const birthDateRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const meta = field.meta as VerificationMeta
  const date = DateTime.fromISO(value)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !date.isValid)
    return report(field, 'birth_date_invalid')
  if (value > meta.today) return report(field, 'birth_date_future')
  if (value < DateTime.fromISO(meta.today).minus({ years: 130 }).toISODate()!)
    return report(field, 'birth_date_invalid')
})

/** The register form: birth date, and optionally the address (city, street). */
export const verifyByRegisterValidator = vine.withMetaData<VerificationMeta>().compile(
  vine.object({
    birthDate: vine.string().trim().use(birthDateRule()),
    city: vine.string().trim().maxLength(100).nullable().optional(),
    street: vine.string().trim().maxLength(200).nullable().optional(),
  })
)
