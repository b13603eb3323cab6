import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'
import { parseBirthNumber } from '#verification/birth_number'

/** The oldest a household member may be: children and young adults. */
export const MAX_CHILD_AGE_YEARS = 26

/**
 * What the household rules need besides the input: today's date (so tests and the
 * server agree on one day) and a translator for messages kept in `errors.household.*`.
 */
export interface HouseholdMeta {
  today: string
  t: (key: string, values?: Record<string, unknown>) => string
}

function report(field: FieldContext, key: string, values: Record<string, unknown> = {}) {
  const meta = field.meta as HouseholdMeta
  field.report(meta.t(`errors.household.${key}`, values), `household.${key}`, field)
}

/** The earliest birth date accepted on a day. */
export function earliestBirthDate(today: string) {
  return DateTime.fromISO(today).minus({ years: MAX_CHILD_AGE_YEARS }).toISODate()!
}

/** A real calendar date, not in the future, at most MAX_CHILD_AGE_YEARS years ago. */
const birthDateRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const meta = field.meta as HouseholdMeta
  if (!DateTime.fromISO(value).isValid) return report(field, 'birth_date_invalid')
  if (value > meta.today) return report(field, 'birth_date_future')
  if (value < earliestBirthDate(meta.today))
    return report(field, 'birth_date_too_old', { years: MAX_CHILD_AGE_YEARS })
})

/**
 * A valid Czech birth number (app/verification/birth_number.ts) that encodes the birth date
 * given alongside it. Normalised to the written form YYMMDD/SSSC.
 */
const birthNumberRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const meta = field.meta as HouseholdMeta
  const parsed = parseBirthNumber(value, { today: new Date(`${meta.today}T12:00:00Z`) })
  if (!parsed.valid) return report(field, 'birth_number_invalid')
  const birthDate = (field.parent as Record<string, unknown>)?.birthDate
  if (typeof birthDate === 'string' && birthDate !== parsed.birthDate) {
    return report(field, 'birth_number_mismatch')
  }
  field.mutate(parsed.formatted, field)
})

export const childValidator = vine.withMetaData<HouseholdMeta>().compile(
  vine.object({
    firstName: vine.string().trim().minLength(1).maxLength(100),
    lastName: vine.string().trim().minLength(1).maxLength(100),
    birthDate: vine
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .use(birthDateRule()),
    birthNumber: vine.string().trim().maxLength(20).use(birthNumberRule()).nullable().optional(),
  })
)
