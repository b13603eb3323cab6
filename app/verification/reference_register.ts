/*
 * A reference population register: the JSON protocol the platform expects from the town hall's
 * register module, answered from a CSV file of fictional residents. Used by the tests (started
 * in-process on port 0), by `node bin/register_service.js` and, later, by the dev launcher.
 * Plain node:http, no framework. It logs method, path, status and duration only.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { birthNumberDigits, parseBirthNumber } from '#verification/birth_number'
import { parseCsv } from '#verification/csv'
import { compareNames, formatStructuredName, stripDiacritics } from '#verification/names'
import {
  API_KEY_HEADER,
  isIsoDate,
  type RegisterAddress,
  type WireLookupRequest,
  type WireLookupResponse,
} from '#verification/register_client'

/** One resident as the reference register keeps them. */
export interface Resident {
  /** Digits only; empty when none was assigned. */
  birthNumber: string
  givenNames: string
  familyName: string
  birthDate: string
  street: string
  city: string
  postcode: string
  municipalityCode: string
  /** `permanent`, or `temporary_protection` for refugees from Ukraine. */
  residence: 'permanent' | 'temporary_protection'
}

/** Columns of the residents CSV file, in any order. */
export const RESIDENT_COLUMNS = [
  'birth_number',
  'given_names',
  'family_name',
  'birth_date',
  'street',
  'city',
  'postcode',
  'municipality_code',
  'residence',
] as const

/** Reads residents from CSV text, or throws naming every bad line. */
export function parseResidents(csv: string): Resident[] {
  const { records, errors } = parseCsv(csv)
  const problems = errors.map((error) => `line ${error.line}: ${error.code}`)
  const [header, ...rows] = records
  if (!header) throw new Error('Residents CSV: empty file')
  const names = header.fields.map((field) => field.trim().toLowerCase())
  const index = Object.fromEntries(
    RESIDENT_COLUMNS.map((column) => [column, names.indexOf(column)])
  )
  const missing = RESIDENT_COLUMNS.filter((column) => index[column] < 0)
  if (missing.length > 0) throw new Error(`Residents CSV: missing columns ${missing.join(', ')}`)

  const residents: Resident[] = []
  const seen = new Set<string>()
  for (const row of rows) {
    const get = (column: (typeof RESIDENT_COLUMNS)[number]) =>
      (row.fields[index[column]] ?? '').trim()
    const resident: Resident = {
      birthNumber: '',
      givenNames: get('given_names'),
      familyName: get('family_name'),
      birthDate: get('birth_date'),
      street: get('street'),
      city: get('city'),
      postcode: get('postcode').replace(/\s+/g, ''),
      municipalityCode: get('municipality_code'),
      residence: get('residence') === 'temporary_protection' ? 'temporary_protection' : 'permanent',
    }
    const lineProblems: string[] = []
    if (!resident.givenNames || !resident.familyName) lineProblems.push('name missing')
    if (!isIsoDate(resident.birthDate)) lineProblems.push('bad birth_date')
    if (!/^\d{6}$/.test(resident.municipalityCode)) lineProblems.push('bad municipality_code')
    if (!['permanent', 'temporary_protection'].includes(get('residence'))) {
      lineProblems.push('bad residence')
    }
    if (get('birth_number')) {
      const parsed = parseBirthNumber(get('birth_number'))
      if (!parsed.valid) lineProblems.push(`birth_number ${parsed.error}`)
      else if (parsed.birthDate !== resident.birthDate) {
        lineProblems.push('birth_number does not encode birth_date')
      } else if (seen.has(parsed.digits)) lineProblems.push('duplicate birth_number')
      else {
        resident.birthNumber = parsed.digits
        seen.add(parsed.digits)
      }
    }
    if (lineProblems.length > 0) problems.push(`line ${row.line}: ${lineProblems.join(', ')}`)
    else residents.push(resident)
  }
  if (problems.length > 0) throw new Error(`Residents CSV:\n${problems.join('\n')}`)
  return residents
}

function cityKey(city: string): string {
  return stripDiacritics(city.toLowerCase()).replace(/[\s\-.,]+/g, '')
}

function streetKey(street: string): string {
  return stripDiacritics(street.toLowerCase())
    .replace(/^ul(ice)?\.?\s+/, '')
    .replace(/[\s\-.,/]+/g, '')
}

/** Whether a typed city names the resident's city; a bare "Praha" is accepted for any Prague district. */
function sameCity(typed: string, resident: string): boolean {
  const a = cityKey(typed)
  const b = cityKey(resident)
  return a === b || (a === 'praha' && /^praha\d+$/.test(b))
}

/** Compares the residency asked for with the resident's; reasons for a refusal, or notes. */
function residency(
  resident: Resident,
  municipalityCode: string | undefined,
  address: RegisterAddress | undefined
): { resident: boolean; reasons: string[] } {
  const reasons: string[] = []
  if (municipalityCode && municipalityCode !== resident.municipalityCode) {
    reasons.push('municipality_differs')
  }
  if (address && !sameCity(address.city, resident.city)) reasons.push('city_differs')
  if (reasons.length > 0) return { resident: false, reasons }
  if (address?.street && streetKey(address.street) !== streetKey(resident.street)) {
    reasons.push('street_differs')
  }
  if (address?.postcode && address.postcode.replace(/\s+/g, '') !== resident.postcode) {
    reasons.push('postcode_differs')
  }
  return { resident: true, reasons }
}

/** Answers one lookup from a list of residents (the register's matching rules, without HTTP). */
export function lookupResident(
  residents: Resident[],
  request: WireLookupRequest
): WireLookupResponse {
  const notFound = (reason: string): WireLookupResponse => ({
    status: 'no_match',
    details: { nameCompared: { given: request.fullName, register: null }, reasons: [reason] },
  })

  let found: Resident | undefined
  let nameReasons: string[] = []
  if (request.birthNumber) {
    // A birth number identifies one person; the name and date must then agree with it.
    found = residents.find((resident) => resident.birthNumber === request.birthNumber)
    if (!found) return notFound('not_found')
    if (found.birthDate !== request.birthDate) return notFound('birth_date_differs')
    const names = compareNames(request.fullName, found)
    nameReasons = names.reasons
    if (!names.match) return nameMismatch(request, found, names.reasons)
  } else {
    const born = residents.filter((resident) => resident.birthDate === request.birthDate)
    const compared = born.map((resident) => ({
      resident,
      names: compareNames(request.fullName, resident),
    }))
    let matches = compared.filter((entry) => entry.names.match)
    if (matches.length > 1 && request.municipalityCode) {
      const local = matches.filter((e) => e.resident.municipalityCode === request.municipalityCode)
      if (local.length > 0) matches = local
    }
    if (matches.length > 1) return notFound('ambiguous')
    if (matches.length === 0) {
      // Same birth date and family name, another given name: most likely a typo, so explain it.
      const near = compared.filter(
        (entry) =>
          entry.names.reasons.length === 1 && entry.names.reasons[0] === 'given_name_differs'
      )
      if (near.length === 1) return nameMismatch(request, near[0].resident, near[0].names.reasons)
      return notFound('not_found')
    }
    found = matches[0].resident
    nameReasons = matches[0].names.reasons
  }

  const place = residency(found, request.municipalityCode, request.address)
  const reasons = [...nameReasons, ...place.reasons]
  if (found.residence === 'temporary_protection') reasons.push('temporary_protection')
  return {
    status: place.resident ? 'match' : 'not_resident',
    residentOf: { municipalityCode: found.municipalityCode },
    details: {
      nameCompared: { given: request.fullName, register: formatStructuredName(found) },
      reasons,
    },
  }
}

function nameMismatch(
  request: WireLookupRequest,
  resident: Resident,
  reasons: string[]
): WireLookupResponse {
  return {
    status: 'name_mismatch',
    details: {
      nameCompared: { given: request.fullName, register: formatStructuredName(resident) },
      reasons,
    },
  }
}

/** Validates a lookup body; the wire request, or the name of the first bad field. */
export function parseLookupRequest(
  body: unknown
): { ok: true; request: WireLookupRequest } | { ok: false; field: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, field: 'body' }
  const input = body as Record<string, unknown>
  const optionalString = (value: unknown, max: number) =>
    value === undefined || (typeof value === 'string' && value.length <= max)

  if (
    typeof input.fullName !== 'string' ||
    input.fullName.trim() === '' ||
    input.fullName.length > 200
  ) {
    return { ok: false, field: 'fullName' }
  }
  if (!isIsoDate(input.birthDate)) return { ok: false, field: 'birthDate' }
  const request: WireLookupRequest = { fullName: input.fullName.trim(), birthDate: input.birthDate }

  if (input.birthNumber !== undefined) {
    const digits =
      typeof input.birthNumber === 'string' ? birthNumberDigits(input.birthNumber) : null
    if (!digits) return { ok: false, field: 'birthNumber' }
    request.birthNumber = digits
  }
  if (input.municipalityCode !== undefined) {
    if (typeof input.municipalityCode !== 'string' || !/^\d{6}$/.test(input.municipalityCode)) {
      return { ok: false, field: 'municipalityCode' }
    }
    request.municipalityCode = input.municipalityCode
  }
  if (input.address !== undefined) {
    const address = input.address as Record<string, unknown>
    if (
      typeof address !== 'object' ||
      address === null ||
      typeof address.city !== 'string' ||
      address.city.trim() === '' ||
      address.city.length > 100 ||
      !optionalString(address.street, 200) ||
      !optionalString(address.postcode, 10)
    ) {
      return { ok: false, field: 'address' }
    }
    request.address = {
      city: address.city,
      ...(address.street ? { street: address.street as string } : {}),
      ...(address.postcode ? { postcode: address.postcode as string } : {}),
    }
  }
  return { ok: true, request }
}

/** Faults to inject (tests and `--fail-rate`/`--delay-ms`): a share of lookups failing, and a delay before each answer. */
export interface RegisterFaults {
  /** 0 to 1: share of lookups answered with `failStatus` (default 0). */
  failRate?: number
  /** HTTP status of an injected failure (default 503). */
  failStatus?: number
  /** Delay before every lookup answer, in ms (default 0). */
  delayMs?: number
}

/** Options of the reference register service. */
export interface RegisterServiceOptions extends RegisterFaults {
  /** 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  apiKey: string
  /** A residents CSV file, or `residents` given directly. */
  csvPath?: string
  residents?: Resident[]
  /** Receives one line per request: method, path, status, duration (never the body). */
  log?: (line: string) => void
  random?: () => number
}

/** A running reference register. */
export interface RegisterServiceHandle {
  /** Base URL, e.g. http://127.0.0.1:40123/ (the lookup is at `${url}v1/lookup`). */
  url: string
  port: number
  /** Number of residents loaded. */
  residentCount: number
  /** Lookup requests received so far, and their answers by HTTP status. */
  stats(): { lookups: number; byStatus: Record<number, number> }
  /** Changes the injected faults while running. */
  setFaults(faults: RegisterFaults): void
  close(): Promise<void>
}

const MAX_BODY_BYTES = 16 * 1024

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Starts the reference register; `port: 0` picks a free port, reported in `url`. */
export async function startRegisterService(
  options: RegisterServiceOptions
): Promise<RegisterServiceHandle> {
  if (!options.apiKey) throw new Error('startRegisterService: apiKey is required')
  const residents =
    options.residents ?? parseResidents(await readFile(options.csvPath ?? defaultCsvPath(), 'utf8'))
  const expectedKey = digest(options.apiKey)
  const random = options.random ?? Math.random
  let faults: Required<RegisterFaults> = { failRate: 0, failStatus: 503, delayMs: 0 }
  const setFaults = (next: RegisterFaults) => {
    faults = {
      failRate: Math.min(1, Math.max(0, next.failRate ?? faults.failRate)),
      failStatus: next.failStatus ?? faults.failStatus,
      delayMs: Math.max(0, next.delayMs ?? faults.delayMs),
    }
  }
  setFaults(options)
  const counters = { lookups: 0, byStatus: {} as Record<number, number> }
  const timers = new Set<NodeJS.Timeout>()

  const send = (response: ServerResponse, status: number, body: unknown) => {
    if (response.headersSent || response.destroyed) return
    const text = JSON.stringify(body)
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    })
    response.end(text)
  }

  const readBody = (request: IncomingMessage) =>
    new Promise<string | null>((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      request.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) {
          resolve(null)
          request.resume()
          return
        }
        chunks.push(chunk)
      })
      request.on('end', () =>
        resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8'))
      )
      request.on('error', reject)
    })

  const handleLookup = async (request: IncomingMessage, response: ServerResponse) => {
    counters.lookups++
    if (faults.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, faults.delayMs)
        timers.add(timer)
      })
    }
    const key = request.headers[API_KEY_HEADER]
    if (typeof key !== 'string' || !timingSafeEqual(digest(key), expectedKey)) {
      return send(response, 401, { error: 'unauthorized' })
    }
    if (faults.failRate > 0 && random() < faults.failRate) {
      return send(response, faults.failStatus, { error: 'injected_failure' })
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(response, 415, { error: 'unsupported_media_type' })
    }
    const text = await readBody(request)
    if (text === null) return send(response, 413, { error: 'payload_too_large' })
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return send(response, 400, { error: 'bad_request', field: 'body' })
    }
    const parsed = parseLookupRequest(body)
    if (!parsed.ok) return send(response, 400, { error: 'bad_request', field: parsed.field })
    return send(response, 200, lookupResident(residents, parsed.request))
  }

  const server = createServer((request, response) => {
    const started = Date.now()
    const path = (request.url ?? '/').split('?')[0]
    response.on('finish', () => {
      counters.byStatus[response.statusCode] = (counters.byStatus[response.statusCode] ?? 0) + 1
      options.log?.(`${request.method} ${path} ${response.statusCode} ${Date.now() - started}ms`)
    })
    const work = async () => {
      if (path === '/health' && request.method === 'GET')
        return send(response, 200, { status: 'ok' })
      if (path === '/v1/lookup') {
        if (request.method !== 'POST') return send(response, 405, { error: 'method_not_allowed' })
        return handleLookup(request, response)
      }
      return send(response, 404, { error: 'not_found' })
    }
    work().catch(() => send(response, 500, { error: 'internal_error' }))
  })
  server.requestTimeout = 10_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    residentCount: residents.length,
    stats: () => ({ lookups: counters.lookups, byStatus: { ...counters.byStatus } }),
    setFaults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

/** The demo residents file, resources/register/residents.csv. */
export function defaultCsvPath(): string {
  return fileURLToPath(new URL('../../resources/register/residents.csv', import.meta.url))
}
