import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'
import { parseBirthNumber } from '#verification/birth_number'

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

/** A valid Czech birth number that encodes the birth date typed beside it (census method). */
const birthNumberRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const meta = field.meta as VerificationMeta
  const parsed = parseBirthNumber(value, { today: new Date(`${meta.today}T12:00:00Z`) })
  if (!parsed.valid) return report(field, 'birth_number_invalid')
  const birthDate = (field.parent as Record<string, unknown>)?.birthDate
  if (typeof birthDate === 'string' && birthDate !== parsed.birthDate) {
    return report(field, 'birth_number_mismatch')
  }
  field.mutate(parsed.formatted, field)
})

/**
 * The online verification form: the register (birth date, optional address) or the census
 * (birth date, optional birth number). `method` picks one; without it the tenant's register is
 * used, else its census.
 */
export const verifyOnlineValidator = vine.withMetaData<VerificationMeta>().compile(
  vine.object({
    method: vine.enum(['register', 'census'] as const).optional(),
    birthDate: vine.string().trim().use(birthDateRule()),
    city: vine.string().trim().maxLength(100).nullable().optional(),
    street: vine.string().trim().maxLength(200).nullable().optional(),
    birthNumber: vine.string().trim().maxLength(20).use(birthNumberRule()).nullable().optional(),
  })
)

/** A staff decision or revocation: the reason (required to refuse or revoke, checked by the action). */
export const staffReasonValidator = vine.compile(
  vine.object({
    reason: vine.string().nullable().optional(),
  })
)

/** The admin list of verifications: which ones to show. */
export const verificationListValidator = vine.compile(
  vine.object({
    status: vine
      .enum(['pending', 'verified', 'refused', 'revoked', 'no_match', 'all'] as const)
      .optional(),
  })
)
