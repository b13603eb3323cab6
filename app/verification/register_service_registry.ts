/*
 * The population register client of each tenant, one per process (docs/decisions/0014): every
 * request to a tenant's register goes through the same HttpPopulationRegister, so its circuit
 * breaker sees them all. The platform's register is configured from REGISTER_URL /
 * REGISTER_API_KEY; without REGISTER_URL a tenant using it has no register, and verification
 * falls back to the census or documents.
 *
 * A tenant uses this platform register unless its settings name the town hall's own module or
 * no register at all (`forTenant()`, migration 0013).
 */
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import { createHash } from 'node:crypto'
import encryption from '@adonisjs/core/services/encryption'
import type { RegisterMode } from '#models/tenant'
import { HttpPopulationRegister, type PopulationRegister } from '#verification/register_client'

/** What the registry needs of a tenant. */
export interface RegisterTenant {
  slug: string
  registerMode: RegisterMode
  registerUrl: string | null
  /** Encrypted with the app key. */
  registerApiKey: string | null
}

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

  /**
   * The register of a tenant as its settings say (`registerMode`): the platform's (`for()`), the
   * town hall's own module (one client per tenant, URL and key, so each has its own circuit
   * breaker), or none. A test override of the tenant's slug wins.
   */
  forTenant(tenant: RegisterTenant): PopulationRegister | null {
    if (this.#overrides.has(tenant.slug)) return this.#overrides.get(tenant.slug) ?? null
    if (tenant.registerMode === 'none') return null
    if (tenant.registerMode !== 'own') return this.for(tenant.slug)
    if (!tenant.registerUrl || !tenant.registerApiKey) return null
    const apiKey = encryption.decrypt<string>(tenant.registerApiKey)
    if (!apiKey) {
      logger.warn({ tenant: tenant.slug }, 'the stored register API key cannot be decrypted')
      return null
    }
    const key = `own:${tenant.slug}:${createHash('sha256').update(`${tenant.registerUrl}\n${apiKey}`).digest('hex')}`
    const existing = this.#clients.get(key)
    if (existing) return existing
    for (const name of this.#clients.keys()) {
      if (name.startsWith(`own:${tenant.slug}:`)) this.#clients.delete(name)
    }
    const client = new HttpPopulationRegister({
      baseUrl: tenant.registerUrl,
      apiKey,
      ...REQUEST_LOOKUP_SETTINGS,
      logger: {
        warn: (details, message) => logger.warn({ ...details, tenant: tenant.slug }, message),
      },
    })
    this.#clients.set(key, client)
    return client
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
