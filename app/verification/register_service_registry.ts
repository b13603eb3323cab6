/*
 * The population register client of each tenant, one per process (docs/decisions/0014): every
 * request to a tenant's register goes through the same HttpPopulationRegister, so its circuit
 * breaker sees them all. Configured from REGISTER_URL / REGISTER_API_KEY; without REGISTER_URL
 * no tenant has a register and verification falls back to documents.
 *
 * Today every tenant uses the same endpoint (the reference register in development and tests);
 * a per-tenant URL and key belong in the tenant's settings later.
 */
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import { HttpPopulationRegister, type PopulationRegister } from '#verification/register_client'

/**
 * Timeouts for a lookup made while a citizen's request waits (with its database transaction
 * closed meanwhile: outsideTransaction in VerifyByRegister): one retry, 2.5 s per attempt, so at
 * most about 5.2 s.
 */
export const REQUEST_LOOKUP_SETTINGS = Object.freeze({ timeoutMs: 2500, retries: 1 })

export class RegisterServiceRegistry {
  #clients = new Map<string, PopulationRegister>()
  #overrides = new Map<string, PopulationRegister | null>()

  constructor(
    private config: () => { url?: string; apiKey?: string } = () => ({
      url: env.get('REGISTER_URL'),
      apiKey: env.get('REGISTER_API_KEY'),
    })
  ) {}

  /** The register of a tenant (by slug), or null when none is configured. */
  for(tenantSlug: string): PopulationRegister | null {
    if (this.#overrides.has(tenantSlug)) return this.#overrides.get(tenantSlug) ?? null
    const existing = this.#clients.get(tenantSlug)
    if (existing) return existing
    const { url, apiKey } = this.config()
    if (!url) return null
    const client = new HttpPopulationRegister({
      baseUrl: url,
      apiKey: apiKey ?? '',
      ...REQUEST_LOOKUP_SETTINGS,
      logger: {
        warn: (details, message) => logger.warn({ ...details, tenant: tenantSlug }, message),
      },
    })
    this.#clients.set(tenantSlug, client)
    return client
  }

  /** Whether a tenant has a register to verify against. */
  has(tenantSlug: string) {
    return this.for(tenantSlug) !== null
  }

  /** Replaces a tenant's register (null: none) until restore(); for tests. */
  override(tenantSlug: string, register: PopulationRegister | null) {
    this.#overrides.set(tenantSlug, register)
  }

  /** Drops every override. */
  restore() {
    this.#overrides.clear()
  }
}

/** The process-wide registry. */
const registerServiceRegistry = new RegisterServiceRegistry()
export default registerServiceRegistry
