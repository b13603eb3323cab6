import { DateTime } from 'luxon'
import type User from '#models/user'
import type Tenant from '#models/tenant'
import Verification, { VERIFICATION_VALIDITY, type VerificationStatus } from '#models/verification'
import DomainError from '#exceptions/domain_error'
import { outsideTransaction } from '#tenancy/tenant_context'
import { notifyVerificationResult } from '#actions/verification/notify_verification_result'
import registerServiceRegistry, {
  type RegisterServiceRegistry,
} from '#verification/register_service_registry'
import logger from '@adonisjs/core/services/logger'
import {
  RegisterRequestError,
  unavailable,
  type RegisterLookupQuery,
  type RegisterLookupResult,
  type RegisterStatus,
} from '#verification/register_client'

export interface VerifyByRegisterInput {
  user: User
  /** The citizen's home tenant: the register is asked whether they live there. */
  tenant: Tenant
  /** YYYY-MM-DD, checked by verifyOnlineValidator. */
  birthDate: string
  city?: string | null
  street?: string | null
}

const STATUS_OF: Record<RegisterStatus, VerificationStatus> = {
  match: 'verified',
  no_match: 'no_match',
  name_mismatch: 'name_mismatch',
  not_resident: 'not_resident',
  unavailable: 'unavailable',
}

/**
 * Verifies a citizen against their home tenant's population register and records the outcome.
 *
 * The lookup is made first, before anything is written, with the request's database transaction
 * closed (outsideTransaction: a slow register holds no database connection), and is kept short by
 * the adapter's timeouts (REQUEST_LOOKUP_SETTINGS: at most about 5 s); the outcome is then written
 * in a new transaction of the same scope.
 */
export class VerifyByRegister {
  constructor(private registry: RegisterServiceRegistry = registerServiceRegistry) {}

  /** Whether the tenant has a register to verify against. */
  available(tenant: Tenant) {
    return this.registry.forTenant(tenant) !== null
  }

  async handle(input: VerifyByRegisterInput) {
    const register = this.registry.forTenant(input.tenant)
    if (!register) throw new DomainError('verification.register_not_configured')

    const query: RegisterLookupQuery = {
      fullName: input.user.fullName,
      birthDate: input.birthDate,
      tenant: input.tenant.slug,
    }
    if (input.city) {
      query.address = { city: input.city, ...(input.street ? { street: input.street } : {}) }
    }
    const result: RegisterLookupResult = await outsideTransaction(async () => {
      try {
        return await register.lookup(query)
      } catch (error) {
        // A wrong API key in the tenant's settings: the citizen hears that the register is not
        // available (and can verify by documents); the operators read the log.
        if (error instanceof RegisterRequestError && error.code === 'unauthorized') {
          logger.error(
            { tenant: input.tenant.slug, httpStatus: error.httpStatus },
            'the population register refused the API key: check the tenant’s register settings'
          )
          return unavailable(query, 'unauthorized')
        }
        throw error
      }
    })

    const status = STATUS_OF[result.status]
    const now = DateTime.now()
    const verification = await Verification.create({
      tenantId: input.tenant.id,
      userId: input.user.id,
      method: 'register',
      status,
      // Reason codes only: the register's spelling of the name is not kept nor shown.
      reasons: result.details.reasons,
      residentOf: result.residentOf?.tenant ?? null,
      verifiedAt: status === 'verified' ? now : null,
      birthDate: status === 'verified' ? input.birthDate : null,
      expiresAt: status === 'verified' ? now.plus(VERIFICATION_VALIDITY) : null,
    })
    // Decided outcomes are e-mailed after commit; `unavailable` is not a decision.
    await notifyVerificationResult(verification, { user: input.user, tenant: input.tenant })
    return verification
  }
}

/**
 * A person's verification state: the latest attempt, the current (valid) verification, and a
 * request by documents still waiting for a reviewer.
 */
export async function verificationStateOf(user: User, now: DateTime = DateTime.now()) {
  const rows = await Verification.query()
    .where('userId', user.id)
    .orderBy('createdAt', 'desc')
    .limit(VERIFICATION_HISTORY)
  return verificationStateFrom(rows, now)
}

/** How many of a person's latest verification attempts their state is computed from. */
export const VERIFICATION_HISTORY = 50

/** The state (see verificationStateOf) from the person's latest attempts, newest first. */
export function verificationStateFrom(
  rows: readonly Verification[],
  now: DateTime = DateTime.now()
) {
  return {
    latest: rows[0] ?? null,
    current: rows.find((row) => row.isValidAt(now)) ?? null,
    pending: rows.find((row) => row.status === 'pending') ?? null,
  }
}

/** A person's verification state, as verificationStateOf() returns it. */
export type VerificationState = ReturnType<typeof verificationStateFrom>
