/*
 * The "census file" method, for a tenant whose town hall has no register module: an admin
 * uploads a CSV of residents and the platform keeps only keyed SHA-256 hashes (HMAC-SHA-256 with
 * a per-tenant secret salt) of the normalised name with the birth date, and of the birth
 * number, the way Decidim keeps census data. A citizen is then checked by hashing what they typed
 * the same way. Pure functions: storing the hashes is the caller's job. Errors are codes with line
 * numbers, so the admin UI can show them in any of the four languages.
 */
import { createHmac } from 'node:crypto'
import { parseBirthNumber } from '#verification/birth_number'
import { parseCsv } from '#verification/csv'
import { nameKey, stripDiacritics } from '#verification/names'

/** One resident read from a census file. */
export interface CensusRow {
  fullName: string
  /** ISO date, YYYY-MM-DD. */
  birthDate: string
  /** Digits only; absent when the file has none for this person. */
  birthNumber?: string
}

/** What is stored for one census row: no name, no date, no birth number. */
export interface CensusRowHash {
  personHash: string
  birthNumberHash: string | null
}

/** A problem found on one line of a census file (codes, for the UI to translate). */
export interface CensusLineError {
  line: number
  code:
    | 'empty_file'
    | 'missing_column'
    | 'too_many_columns'
    | 'missing_value'
    | 'bad_date'
    | 'bad_birth_number'
    | 'birth_number_date_mismatch'
    | 'duplicate_row'
    | 'unterminated_quote'
    | 'text_after_quote'
  /** The column concerned, by its canonical name (full_name, given_names, family_name, birth_date, birth_number). */
  column?: CensusColumn
  /** A finer code, e.g. the birth number error (checksum, month, …). */
  detail?: string
}

/** Canonical column names of a census file. */
export type CensusColumn =
  'full_name' | 'given_names' | 'family_name' | 'birth_date' | 'birth_number'

/** Header names accepted for each column (compared without case, diacritics, spaces or hyphens). */
export const CENSUS_COLUMN_ALIASES: Readonly<Record<CensusColumn, readonly string[]>> = {
  full_name: [
    'full_name',
    'name',
    'jmeno_a_prijmeni',
    'cele_jmeno',
    'imie_i_nazwisko',
    'pib',
    'піб',
  ],
  given_names: [
    'given_names',
    'given_name',
    'first_name',
    'jmeno',
    'krestni_jmeno',
    'imie',
    'imia',
    'імя',
    "ім'я",
    'ім’я',
  ],
  family_name: [
    'family_name',
    'last_name',
    'surname',
    'prijmeni',
    'nazwisko',
    'prizvyshche',
    'прізвище',
  ],
  birth_date: [
    'birth_date',
    'date_of_birth',
    'datum_narozeni',
    'data_urodzenia',
    'data_narodzhennia',
    'дата_народження',
  ],
  birth_number: ['birth_number', 'rodne_cislo', 'rc'],
}

/** Minimum length of a census salt; a short salt would make the hashes easy to reverse. */
export const MIN_SALT_LENGTH = 16

function headerKey(header: string): string {
  return stripDiacritics(header.trim().toLowerCase()).replace(/[\s-]+/g, '_')
}

/**
 * Reads a birth date as an ISO date: YYYY-MM-DD, or D.M.YYYY / DD.MM.YYYY / D. M. YYYY as Czech,
 * Polish and Ukrainian spreadsheets write it; null when it is no real past date.
 */
export function parseCensusDate(value: string, today = new Date()): string | null {
  const text = value.trim()
  let year: number
  let month: number
  let day: number
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)
  const dotted = /^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$/.exec(text)
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else if (dotted) [day, month, year] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])]
  else return null
  const date = new Date(Date.UTC(year, month - 1, day))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null
  }
  if (year < 1880) return null
  const result = date.toISOString().slice(0, 10)
  return result > today.toISOString().slice(0, 10) ? null : result
}

/** Parses a census CSV file (',' or ';', header row required) into rows and per-line errors. */
export function parseCensusCsv(text: string): { rows: CensusRow[]; errors: CensusLineError[] } {
  const { records, errors: syntax } = parseCsv(text)
  const errors: CensusLineError[] = syntax.map((error) => ({ line: error.line, code: error.code }))
  const [header, ...data] = records
  if (!header) return { rows: [], errors: [...errors, { line: 1, code: 'empty_file' }] }

  const keys = header.fields.map(headerKey)
  const position = (column: CensusColumn) =>
    keys.findIndex((key) => CENSUS_COLUMN_ALIASES[column].includes(key))
  const columns = {
    full_name: position('full_name'),
    given_names: position('given_names'),
    family_name: position('family_name'),
    birth_date: position('birth_date'),
    birth_number: position('birth_number'),
  }
  const splitName = columns.full_name < 0
  const headerErrors: CensusLineError[] = []
  if (splitName && columns.given_names < 0) {
    headerErrors.push({ line: header.line, code: 'missing_column', column: 'given_names' })
  }
  if (splitName && columns.family_name < 0) {
    headerErrors.push({ line: header.line, code: 'missing_column', column: 'family_name' })
  }
  if (columns.birth_date < 0) {
    headerErrors.push({ line: header.line, code: 'missing_column', column: 'birth_date' })
  }
  if (headerErrors.length > 0) return { rows: [], errors: [...errors, ...headerErrors] }

  const rows: CensusRow[] = []
  const seen = new Set<string>()
  for (const record of data) {
    const lineErrors: CensusLineError[] = []
    const line = record.line
    const value = (column: CensusColumn): string | undefined => {
      const index = columns[column]
      if (index < 0) return undefined
      return record.fields[index]?.trim()
    }
    const required = (column: CensusColumn): string | null => {
      const found = value(column)
      if (found === undefined) {
        lineErrors.push({ line, code: 'missing_column', column })
        return null
      }
      if (found === '') {
        lineErrors.push({ line, code: 'missing_value', column })
        return null
      }
      return found
    }
    if (record.fields.length > header.fields.length)
      lineErrors.push({ line, code: 'too_many_columns' })

    let fullName: string | null
    if (splitName) {
      const given = required('given_names')
      const family = required('family_name')
      fullName = given && family ? `${given} ${family}` : null
    } else {
      fullName = required('full_name')
    }

    const rawDate = required('birth_date')
    const birthDate = rawDate === null ? null : parseCensusDate(rawDate)
    if (rawDate !== null && birthDate === null)
      lineErrors.push({ line, code: 'bad_date', column: 'birth_date' })

    let birthNumber: string | undefined
    const rawNumber = value('birth_number')
    if (rawNumber) {
      const parsed = parseBirthNumber(rawNumber)
      if (!parsed.valid) {
        lineErrors.push({
          line,
          code: 'bad_birth_number',
          column: 'birth_number',
          detail: parsed.error,
        })
      } else if (birthDate && parsed.birthDate !== birthDate) {
        lineErrors.push({ line, code: 'birth_number_date_mismatch', column: 'birth_number' })
      } else {
        birthNumber = parsed.digits
      }
    }

    if (lineErrors.length > 0 || !fullName || !birthDate) {
      errors.push(...lineErrors)
      continue
    }
    const identity = `${nameKey(fullName)}|${birthDate}|${birthNumber ?? ''}`
    if (seen.has(identity)) {
      errors.push({ line, code: 'duplicate_row' })
      continue
    }
    seen.add(identity)
    rows.push(birthNumber ? { fullName, birthDate, birthNumber } : { fullName, birthDate })
  }
  errors.sort((a, b) => a.line - b.line)
  return { rows, errors }
}

function keyedHash(salt: string, value: string): string {
  if (typeof salt !== 'string' || salt.length < MIN_SALT_LENGTH) {
    throw new Error(`Census salt must be at least ${MIN_SALT_LENGTH} characters`)
  }
  return createHmac('sha256', salt).update(value, 'utf8').digest('hex')
}

/** Hashes one census row with the tenant's secret salt: name and birth date together, birth number apart. */
export function hashCensusRow(row: CensusRow, salt: string): CensusRowHash {
  const personHash = keyedHash(salt, `person|${nameKey(row.fullName)}|${row.birthDate}`)
  let birthNumberHash: string | null = null
  if (row.birthNumber) {
    const parsed = parseBirthNumber(row.birthNumber)
    const digits = parsed.valid ? parsed.digits : row.birthNumber.replace(/\D/g, '')
    birthNumberHash = keyedHash(salt, `birth_number|${digits}`)
  }
  return { personHash, birthNumberHash }
}

/** Census hashes indexed for repeated look-ups. */
export interface CensusIndex {
  byPerson: Map<string, CensusRowHash[]>
  byBirthNumber: Map<string, CensusRowHash[]>
}

/** Indexes stored census hashes by person hash and by birth number hash. */
export function buildCensusIndex(hashes: Iterable<CensusRowHash>): CensusIndex {
  const index: CensusIndex = { byPerson: new Map(), byBirthNumber: new Map() }
  for (const hash of hashes) {
    index.byPerson.set(hash.personHash, [...(index.byPerson.get(hash.personHash) ?? []), hash])
    if (hash.birthNumberHash) {
      const rows = index.byBirthNumber.get(hash.birthNumberHash) ?? []
      index.byBirthNumber.set(hash.birthNumberHash, [...rows, hash])
    }
  }
  return index
}

/** The outcome of checking a person against census hashes. */
export interface CensusMatch {
  status: 'match' | 'no_match' | 'name_mismatch'
  matchedBy: 'birth_number' | 'name_and_birth_date' | null
  /** Codes: not_found, birth_number_invalid, birth_date_differs, birth_number_differs, name_differs. */
  reasons: string[]
}

/** Hashes a person the way census rows are hashed, then looks them up in the stored hashes. */
export function matchCensus(
  hashes: readonly CensusRowHash[] | CensusIndex,
  person: CensusRow,
  salt: string
): CensusMatch {
  const index = Array.isArray(hashes) ? buildCensusIndex(hashes) : (hashes as CensusIndex)
  const result = (
    status: CensusMatch['status'],
    matchedBy: CensusMatch['matchedBy'],
    reasons: string[] = []
  ): CensusMatch => ({ status, matchedBy, reasons })

  let birthNumber: string | undefined
  if (person.birthNumber !== undefined && person.birthNumber.trim() !== '') {
    const parsed = parseBirthNumber(person.birthNumber)
    if (!parsed.valid) return result('no_match', null, ['birth_number_invalid'])
    if (parsed.birthDate !== person.birthDate)
      return result('no_match', null, ['birth_date_differs'])
    birthNumber = parsed.digits
  }
  const { personHash, birthNumberHash } = hashCensusRow({ ...person, birthNumber }, salt)

  if (birthNumberHash) {
    const byNumber = index.byBirthNumber.get(birthNumberHash) ?? []
    if (byNumber.some((row) => row.personHash === personHash))
      return result('match', 'birth_number')
    // The birth number fixes the birth date, so only the name can differ.
    if (byNumber.length > 0) return result('name_mismatch', 'birth_number', ['name_differs'])
  }

  const byPerson = index.byPerson.get(personHash) ?? []
  if (byPerson.length === 0) return result('no_match', null, ['not_found'])
  // Someone of that name and birth date with another birth number on file is someone else.
  const compatible = byPerson.some((row) => !row.birthNumberHash || !birthNumberHash)
  if (!compatible) return result('no_match', null, ['birth_number_differs'])
  return result('match', 'name_and_birth_date')
}

/** Parses and hashes a census file in one go: what to store, and the line errors to show. */
export function hashCensusFile(
  text: string,
  salt: string
): { hashes: CensusRowHash[]; errors: CensusLineError[] } {
  const { rows, errors } = parseCensusCsv(text)
  return { hashes: rows.map((row) => hashCensusRow(row, salt)), errors }
}
