import encryption from '@adonisjs/core/services/encryption'
import app from '@adonisjs/core/services/app'
import type Tenant from '#models/tenant'
import type User from '#models/user'
import type { RegisterMode } from '#models/tenant'
import DomainError from '#exceptions/domain_error'
import { recordAudit } from '#actions/audit'
import { outsideTransaction } from '#tenancy/tenant_context'
import registerServiceRegistry from '#verification/register_service_registry'
import { RegisterRequestError } from '#verification/register_client'

/** Hosts a register may be reached at over plain HTTP: this machine, outside production. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Saves where a tenant's residents are verified online (docs/decisions/0014, addendum "The
 * register of each tenant"). `own` needs the module's URL (HTTPS, or this machine outside
 * production) and an API key, kept encrypted with the app key; an empty key keeps the stored one.
 * Leaving `own` forgets the URL and the key. Audited without the key.
 */
export class SaveRegisterSettings {
  async handle(input: {
    tenant: Tenant
    actor: User
    mode: RegisterMode
    url?: string
    apiKey?: string
  }) {
    const { tenant } = input
    if (input.mode === 'own') {
      const url = new URL(input.url!)
      const local = LOCAL_HOSTS.has(url.hostname) && !app.inProduction
      if (url.protocol !== 'https:' && !local) {
        throw new DomainError('settings.register_url_https', 'url')
      }
      const changedEndpoint = tenant.registerMode !== 'own' || tenant.registerUrl !== url.href
      if (!input.apiKey && (!tenant.registerApiKey || changedEndpoint)) {
        throw new DomainError('settings.register_key_required', 'apiKey')
      }
      tenant.merge({
        registerMode: 'own',
        registerUrl: url.href,
        registerApiKey: input.apiKey ? encryption.encrypt(input.apiKey) : tenant.registerApiKey,
      })
    } else {
      tenant.merge({ registerMode: input.mode, registerUrl: null, registerApiKey: null })
    }
    await tenant.save()
    await recordAudit({
      tenantId: tenant.id,
      actorUserId: input.actor.id,
      action: 'tenant.register_changed',
      data: {
        mode: tenant.registerMode,
        url: tenant.registerUrl,
        keyChanged: !!input.apiKey && input.mode === 'own',
      },
    })
    return tenant
  }
}

/**
 * Checks the tenant's saved register connection with a lookup of a person nobody is (the module
 * answers "not found" when it is reachable and accepts the key), outside the request's
 * transaction. Refuses with a translated reason when there is no register, the key is refused, or
 * the module cannot be reached.
 */
export class CheckRegisterConnection {
  async handle(input: { tenant: Tenant }) {
    const register = registerServiceRegistry.forTenant(input.tenant)
    if (!register) throw new DomainError('settings.register_check_none')
    const reason = await outsideTransaction(async () => {
      try {
        const result = await register.lookup({
          fullName: 'Active City Connection Check',
          birthDate: '1900-01-01',
          tenant: input.tenant.slug,
        })
        return result.status === 'unavailable'
          ? (result.details.reasons[0] ?? 'server_error')
          : null
      } catch (error) {
        if (error instanceof RegisterRequestError) return error.code
        throw error
      }
    })
    if (!reason) return
    if (reason === 'unauthorized') throw new DomainError('settings.register_check_unauthorized')
    if (['timeout', 'network_error', 'circuit_open', 'rate_limited'].includes(reason)) {
      throw new DomainError('settings.register_check_unreachable')
    }
    throw new DomainError('settings.register_check_error')
  }
}
