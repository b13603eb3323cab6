/*
 * The population register as the platform sees it: one `lookup()` that says whether a person
 * exists as typed and where they live, with reasons as codes. `HttpPopulationRegister` speaks the
 * JSON protocol of the town hall's register module ("Regina"; `reference_register.ts` is a
 * reference implementation) with a per-request timeout, retries with backoff for transient
 * failures only, and a circuit breaker. Nothing personal is ever logged.
 */
import { randomUUID } from 'node:crypto'
import { parseBirthNumber } from '#verification/birth_number'
import { CircuitBreaker, type CircuitBreakerOptions } from '#verification/circuit_breaker'
import { DEMO_TENANTS_BY_MUNICIPALITY, municipalitiesByTenant } from '#verification/municipalities'
import type { NameReason } from '#verification/names'

/** The answer of the register about one person. */
export type RegisterStatus = 'match' | 'no_match' | 'name_mismatch' | 'not_resident' | 'unavailable'

/** Reasons about the identity (birth number, birth date) rather than the name. */
export type IdentityReason =
  'not_found' | 'birth_number_invalid' | 'birth_date_differs' | 'ambiguous'

/** Reasons about where the person lives. */
export type ResidencyReason =
  | 'municipality_differs'
  | 'city_differs'
  | 'street_differs'
  | 'postcode_differs'
  | 'temporary_protection'

/** Reasons why the register could not answer. */
export type AvailabilityReason =
  | 'timeout'
  | 'network_error'
  | 'server_error'
  | 'invalid_response'
  | 'rate_limited'
  | 'circuit_open'
  /** The register refused our credentials (a wrong API key in the tenant's settings). */
  | 'unauthorized'

/** Every reason code a lookup can return (the UI translates them). */
export type RegisterReason = NameReason | IdentityReason | ResidencyReason | AvailabilityReason

/** Every reason code, for validating answers and checking translations. */
export const REGISTER_REASONS: readonly RegisterReason[] = [
  'diacritics_only',
  'transliteration',
  'name_order_swapped',
  'middle_name_missing',
  'first_given_name_missing',
  'hyphen_or_space',
  'family_name_differs',
  'given_name_differs',
  'name_empty',
  'not_found',
  'birth_number_invalid',
  'birth_date_differs',
  'ambiguous',
  'municipality_differs',
  'city_differs',
  'street_differs',
  'postcode_differs',
  'temporary_protection',
  'timeout',
  'network_error',
  'server_error',
  'invalid_response',
  'rate_limited',
  'circuit_open',
  'unauthorized',
]

/** Every status, in the order of the contract. */
export const REGISTER_STATUSES: readonly RegisterStatus[] = [
  'match',
  'no_match',
  'name_mismatch',
  'not_resident',
  'unavailable',
]

/** An address as a citizen types it; the city is required, the rest helps. */
export interface RegisterAddress {
  street?: string
  city: string
  postcode?: string
}

/** What the platform asks the register about one person. */
export interface RegisterLookupQuery {
  fullName: string
  /** ISO date, YYYY-MM-DD. */
  birthDate: string
  address?: RegisterAddress
  /** Czech birth number (rodné číslo), with or without the slash. */
  birthNumber?: string
  /** Tenant slug the person claims to live in; residency is checked against its municipality. */
  tenant?: string
}

/** The register's answer, with reasons as codes. */
export interface RegisterLookupResult {
  status: RegisterStatus
  /** Where the register says the person lives (on match and not_resident). */
  residentOf?: { municipalityCode: string; tenant: string | null }
  details: {
    /** The name as typed and as the register has it (null when no record was compared); for staff, not for the citizen. */
    nameCompared: { given: string; register: string | null }
    reasons: RegisterReason[]
  }
}

/** The contract every population register adapter implements. */
export interface PopulationRegister {
  /** Looks a person up; transient trouble gives status 'unavailable', never an exception. */
  lookup(query: RegisterLookupQuery): Promise<RegisterLookupResult>
}

/** JSON body of `POST /v1/lookup` (the wire protocol). */
export interface WireLookupRequest {
  fullName: string
  birthDate: string
  address?: RegisterAddress
  /** Digits only. */
  birthNumber?: string
  municipalityCode?: string
}

/** JSON answer of `POST /v1/lookup` (the wire protocol). */
export interface WireLookupResponse {
  status: Exclude<RegisterStatus, 'unavailable'>
  residentOf?: { municipalityCode: string }
  details: { nameCompared: { given: string; register: string | null }; reasons: string[] }
}

/** Header that carries the API key. */
export const API_KEY_HEADER = 'x-api-key'

/** A request the register refused as wrong (4xx): a configuration or programming error, never retried. */
export class RegisterRequestError extends Error {
  /** What went wrong, as a code. */
  readonly code: 'unauthorized' | 'bad_request' | 'client_error'
  /** The HTTP status, when the register answered. */
  readonly httpStatus?: number

  constructor(code: RegisterRequestError['code'], httpStatus?: number) {
    super(
      `Population register refused the request (${code}${httpStatus ? `, HTTP ${httpStatus}` : ''})`
    )
    this.name = 'RegisterRequestError'
    this.code = code
    this.httpStatus = httpStatus
  }
}

/** A logger that receives only technical details (pino's and AdonisJS's loggers fit). */
export interface VerificationLogger {
  warn(details: Record<string, unknown>, message: string): void
  info?(details: Record<string, unknown>, message: string): void
}

/** Default timeouts, retries and breaker settings (see docs/decisions/0014-identity-verification.md). */
export const REGISTER_DEFAULTS = Object.freeze({
  timeoutMs: 3000,
  retries: 2,
  backoffBaseMs: 200,
  backoffMaxMs: 2000,
  failureThreshold: 5,
  coolDownMs: 30_000,
})

/** Settings of the HTTP adapter. */
export interface HttpPopulationRegisterOptions {
  /** Base URL of the register module, e.g. https://regina.praha5.example.cz/api. */
  baseUrl: string
  apiKey: string
  /** Per-attempt timeout (default 3000 ms). */
  timeoutMs?: number
  /** Extra attempts after a transient failure (default 2, so 3 attempts at most). */
  retries?: number
  /** First backoff delay (default 200 ms), doubled on each retry, capped by backoffMaxMs (default 2000 ms). */
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** A shared breaker, or settings for a new one (default: 5 failures, 30 s cool-down). */
  breaker?: CircuitBreaker | CircuitBreakerOptions
  /** Municipality code → tenant slug (default: the demo tenants). */
  tenantsByMunicipality?: Readonly<Record<string, string>>
  logger?: VerificationLogger
  /** Injectable for tests. */
  fetch?: typeof globalThis.fetch
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** Delay before retry number `attempt` (0-based): exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(
  attempt: number,
  settings: { baseMs: number; maxMs: number },
  random: () => number = Math.random
): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** attempt)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** The outcome of one HTTP attempt. */
type Attempt =
  | { kind: 'answer'; response: WireLookupResponse }
  | { kind: 'transient'; reason: 'timeout' | 'network_error' | 'server_error'; httpStatus?: number }
  | {
      kind: 'failure'
      reason: 'server_error' | 'invalid_response' | 'rate_limited'
      httpStatus?: number
    }
  | { kind: 'refused'; error: RegisterRequestError }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

export function unavailable(
  query: RegisterLookupQuery,
  reason: AvailabilityReason
): RegisterLookupResult {
  return {
    status: 'unavailable',
    details: { nameCompared: { given: query.fullName, register: null }, reasons: [reason] },
  }
}

function isWireResponse(value: unknown): value is WireLookupResponse {
  if (typeof value !== 'object' || value === null) return false
  const body = value as Record<string, unknown>
  const details = body.details as Record<string, unknown> | undefined
  const compared = details?.nameCompared as Record<string, unknown> | undefined
  const residentOf = body.residentOf as Record<string, unknown> | undefined
  return (
    typeof body.status === 'string' &&
    REGISTER_STATUSES.includes(body.status as RegisterStatus) &&
    body.status !== 'unavailable' &&
    (residentOf === undefined || typeof residentOf?.municipalityCode === 'string') &&
    Array.isArray(details?.reasons) &&
    details.reasons.every((reason) => typeof reason === 'string') &&
    (compared?.register === null || typeof compared?.register === 'string')
  )
}

/** The population register over HTTP, with timeout, retries, backoff and a circuit breaker. */
export class HttpPopulationRegister implements PopulationRegister {
  /** The breaker guarding the register (exposed for health checks and tests). */
  readonly breaker: CircuitBreaker
  #endpoint: string
  #apiKey: string
  #timeoutMs: number
  #retries: number
  #backoff: { baseMs: number; maxMs: number }
  #tenantsByMunicipality: Readonly<Record<string, string>>
  #municipalitiesByTenant: Record<string, string>
  #logger?: VerificationLogger
  #fetch: typeof globalThis.fetch
  #sleep: (ms: number) => Promise<void>
  #random: () => number

  constructor(options: HttpPopulationRegisterOptions) {
    this.#endpoint = new URL('v1/lookup', options.baseUrl.replace(/\/*$/, '/')).toString()
    this.#apiKey = options.apiKey
    this.#timeoutMs = options.timeoutMs ?? REGISTER_DEFAULTS.timeoutMs
    this.#retries = Math.max(0, options.retries ?? REGISTER_DEFAULTS.retries)
    this.#backoff = {
      baseMs: options.backoffBaseMs ?? REGISTER_DEFAULTS.backoffBaseMs,
      maxMs: options.backoffMaxMs ?? REGISTER_DEFAULTS.backoffMaxMs,
    }
    this.#tenantsByMunicipality = options.tenantsByMunicipality ?? DEMO_TENANTS_BY_MUNICIPALITY
    this.#municipalitiesByTenant = municipalitiesByTenant(this.#tenantsByMunicipality)
    this.#logger = options.logger
    this.#fetch = options.fetch ?? globalThis.fetch
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#random = options.random ?? Math.random
    this.breaker =
      options.breaker instanceof CircuitBreaker
        ? options.breaker
        : new CircuitBreaker({
            failureThreshold: REGISTER_DEFAULTS.failureThreshold,
            coolDownMs: REGISTER_DEFAULTS.coolDownMs,
            ...options.breaker,
            onStateChange: (from, to) => {
              this.#logger?.warn({ from, to }, 'Population register circuit breaker changed state')
              if (options.breaker && !(options.breaker instanceof CircuitBreaker)) {
                options.breaker.onStateChange?.(from, to)
              }
            },
          })
  }

  /** Looks a person up in the register; see `PopulationRegister.lookup`. */
  async lookup(query: RegisterLookupQuery): Promise<RegisterLookupResult> {
    if (typeof query.fullName !== 'string' || query.fullName.trim() === '') {
      throw new RegisterRequestError('bad_request')
    }
    if (!isIsoDate(query.birthDate)) throw new RegisterRequestError('bad_request')

    const wire: WireLookupRequest = { fullName: query.fullName.trim(), birthDate: query.birthDate }
    if (query.address) wire.address = query.address
    if (query.birthNumber !== undefined && query.birthNumber.trim() !== '') {
      // Settled here without a call: a mistyped number, or one that contradicts the birth date.
      const parsed = parseBirthNumber(query.birthNumber)
      if (!parsed.valid) return this.#local(query, 'birth_number_invalid')
      if (parsed.birthDate !== query.birthDate) return this.#local(query, 'birth_date_differs')
      wire.birthNumber = parsed.digits
    }
    if (query.tenant !== undefined) {
      const code = this.#municipalitiesByTenant[query.tenant]
      // A tenant that is no municipality (a nationwide NGO) asks for no residency check.
      if (code) wire.municipalityCode = code
    }

    const requestId = randomUUID()
    let lastReason: AvailabilityReason = 'circuit_open'
    for (let attempt = 0; ; attempt++) {
      const permit = this.breaker.tryAcquire()
      // Opened by this or other lookups: answer at once, with the last failure seen if any.
      if (!permit) return unavailable(query, lastReason)
      let outcome: Attempt = { kind: 'failure', reason: 'server_error' }
      const started = Date.now()
      try {
        outcome = await this.#attempt(wire, requestId)
      } finally {
        if (outcome.kind === 'answer' || outcome.kind === 'refused') permit.success()
        else permit.failure()
      }
      switch (outcome.kind) {
        case 'answer':
          return this.#toResult(query, outcome.response)
        case 'refused':
          this.#logger?.warn(
            { requestId, attempt, code: outcome.error.code, httpStatus: outcome.error.httpStatus },
            'Population register refused the request'
          )
          throw outcome.error
        case 'failure':
          this.#logFailure(requestId, attempt, outcome.reason, outcome.httpStatus, started)
          return unavailable(query, outcome.reason)
        case 'transient': {
          this.#logFailure(requestId, attempt, outcome.reason, outcome.httpStatus, started)
          lastReason = outcome.reason
          if (attempt >= this.#retries) return unavailable(query, outcome.reason)
          await this.#sleep(backoffDelay(attempt, this.#backoff, this.#random))
        }
      }
    }
  }

  async #attempt(body: WireLookupRequest, requestId: string): Promise<Attempt> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs)
    try {
      const response = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept': 'application/json',
          [API_KEY_HEADER]: this.#apiKey,
          'x-request-id': requestId,
        },
        body: JSON.stringify(body),
        signal: controller.signal,
        redirect: 'error',
      })
      const status = response.status
      if (status === 502 || status === 503 || status === 504) {
        await response.body?.cancel()
        return { kind: 'transient', reason: 'server_error', httpStatus: status }
      }
      if (status === 429) {
        await response.body?.cancel()
        return { kind: 'failure', reason: 'rate_limited', httpStatus: status }
      }
      if (status === 401 || status === 403) {
        await response.body?.cancel()
        return { kind: 'refused', error: new RegisterRequestError('unauthorized', status) }
      }
      if (status === 400 || status === 422) {
        await response.body?.cancel()
        return { kind: 'refused', error: new RegisterRequestError('bad_request', status) }
      }
      if (status >= 400 && status < 500) {
        await response.body?.cancel()
        return { kind: 'refused', error: new RegisterRequestError('client_error', status) }
      }
      if (status !== 200) {
        await response.body?.cancel()
        return { kind: 'failure', reason: 'server_error', httpStatus: status }
      }
      let parsed: unknown
      try {
        parsed = await response.json()
      } catch {
        if (controller.signal.aborted) return { kind: 'transient', reason: 'timeout' }
        return { kind: 'failure', reason: 'invalid_response', httpStatus: status }
      }
      if (!isWireResponse(parsed)) {
        return { kind: 'failure', reason: 'invalid_response', httpStatus: status }
      }
      return { kind: 'answer', response: parsed }
    } catch {
      // Lookups are reads, so a timeout or a lost connection is safe to retry.
      return controller.signal.aborted
        ? { kind: 'transient', reason: 'timeout' }
        : { kind: 'transient', reason: 'network_error' }
    } finally {
      clearTimeout(timer)
    }
  }

  #toResult(query: RegisterLookupQuery, response: WireLookupResponse): RegisterLookupResult {
    const known = new Set<string>(REGISTER_REASONS)
    const result: RegisterLookupResult = {
      status: response.status,
      details: {
        nameCompared: { given: query.fullName, register: response.details.nameCompared.register },
        reasons: response.details.reasons.filter((reason): reason is RegisterReason =>
          known.has(reason)
        ),
      },
    }
    if (response.residentOf) {
      const code = response.residentOf.municipalityCode
      result.residentOf = {
        municipalityCode: code,
        tenant: this.#tenantsByMunicipality[code] ?? null,
      }
    }
    return result
  }

  #local(query: RegisterLookupQuery, reason: IdentityReason): RegisterLookupResult {
    return {
      status: 'no_match',
      details: { nameCompared: { given: query.fullName, register: null }, reasons: [reason] },
    }
  }

  #logFailure(
    requestId: string,
    attempt: number,
    reason: string,
    httpStatus: number | undefined,
    started: number
  ) {
    this.#logger?.warn(
      { requestId, attempt, reason, httpStatus, durationMs: Date.now() - started },
      'Population register attempt failed'
    )
  }
}
