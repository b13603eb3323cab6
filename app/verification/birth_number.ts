/*
 * Czech birth number (rodné číslo), Act No. 133/2000 Coll., section 13:
 *
 * - YYMMDD followed by a 3-digit serial (9 digits) for people born before 1 January 1954, or a
 *   3-digit serial and a check digit (10 digits) from 1954 on.
 * - Month + 50 for women; from 2004 on, month + 20 (men) or + 70 (women) when a day's serials ran
 *   out.
 * - The 10-digit number is divisible by 11. Exception kept for numbers issued up to 1985: when the
 *   first nine digits leave remainder 10, the check digit is 0.
 * - Two-digit years: a 9-digit number is 19YY (YY < 54); a 10-digit number is 19YY for YY >= 54
 *   and 20YY for YY < 54.
 */

/** Why a birth number was refused, as a code for the UI to translate. */
export type BirthNumberError =
  'format' | 'nine_digits_after_1953' | 'month' | 'day' | 'checksum' | 'in_future'

/** The result of parsing a birth number: its parts when valid, an error code otherwise. */
export type BirthNumberResult =
  | {
      valid: true
      /** Digits only, 9 or 10 of them. */
      digits: string
      /** The usual written form, YYMMDD/SSS(C). */
      formatted: string
      /** ISO date of birth (YYYY-MM-DD). */
      birthDate: string
      sex: 'female' | 'male'
      /** True when the month carries the +20 extension used from 2004 on. */
      extended: boolean
    }
  | { valid: false; error: BirthNumberError }

/** The last year whose 10-digit numbers may use the "remainder 10 gives check digit 0" exception. */
export const CHECKSUM_EXCEPTION_LAST_YEAR = 1985

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function pad(value: number, length = 2): string {
  return String(value).padStart(length, '0')
}

/** Removes the usual separators (one slash, spaces) from a birth number; returns null if other characters remain. */
export function birthNumberDigits(input: string): string | null {
  const compact = input.trim().replace(/\s+/g, '')
  if (!/^\d{6}\/?\d{3,4}$/.test(compact)) return null
  return compact.replace('/', '')
}

/** Parses and validates a birth number, with the date it encodes, or says why it is invalid. */
export function parseBirthNumber(input: string, options: { today?: Date } = {}): BirthNumberResult {
  const digits = birthNumberDigits(input)
  if (!digits) return { valid: false, error: 'format' }

  const yy = Number(digits.slice(0, 2))
  let month = Number(digits.slice(2, 4))
  const day = Number(digits.slice(4, 6))

  let year: number
  if (digits.length === 9) {
    if (yy >= 54) return { valid: false, error: 'nine_digits_after_1953' }
    year = 1900 + yy
  } else {
    year = yy >= 54 ? 1900 + yy : 2000 + yy
  }

  let sex: 'female' | 'male' = 'male'
  let extended = false
  if (month > 50) {
    sex = 'female'
    month -= 50
  }
  if (month > 20 && year >= 2004) {
    extended = true
    month -= 20
  }
  if (month < 1 || month > 12) return { valid: false, error: 'month' }
  if (day < 1 || day > daysInMonth(year, month)) return { valid: false, error: 'day' }

  if (digits.length === 10) {
    const remainder = Number(digits.slice(0, 9)) % 11
    const check = Number(digits[9])
    const exception = remainder === 10 && check === 0 && year <= CHECKSUM_EXCEPTION_LAST_YEAR
    if (remainder !== check && !exception) return { valid: false, error: 'checksum' }
  }

  const birthDate = `${year}-${pad(month)}-${pad(day)}`
  const today = (options.today ?? new Date()).toISOString().slice(0, 10)
  if (birthDate > today) return { valid: false, error: 'in_future' }

  return {
    valid: true,
    digits,
    formatted: `${digits.slice(0, 6)}/${digits.slice(6)}`,
    birthDate,
    sex,
    extended,
  }
}

/** True when the input is a valid Czech birth number. */
export function isValidBirthNumber(input: string, options: { today?: Date } = {}): boolean {
  return parseBirthNumber(input, options).valid
}

/**
 * Builds the birth number for a date, sex and 3-digit serial (for demo data and tests); returns
 * null when the serial gives no valid check digit after 1985 (remainder 10).
 */
export function composeBirthNumber(input: {
  birthDate: string
  sex: 'female' | 'male'
  serial: number
  extended?: boolean
}): string | null {
  const [year, month, day] = input.birthDate.split('-').map(Number)
  const monthCode = month + (input.sex === 'female' ? 50 : 0) + (input.extended ? 20 : 0)
  if (input.extended && year < 2004) return null
  const first = `${pad(year % 100)}${pad(monthCode)}${pad(day)}${pad(input.serial, 3)}`
  if (year < 1954) return `${first.slice(0, 6)}/${first.slice(6)}`
  const remainder = Number(first) % 11
  if (remainder === 10 && year > CHECKSUM_EXCEPTION_LAST_YEAR) return null
  return `${first.slice(0, 6)}/${first.slice(6)}${remainder === 10 ? 0 : remainder}`
}
