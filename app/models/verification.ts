import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { RegisterReason } from '#verification/register_client'

export type VerificationMethod = 'register' | 'census' | 'documents'
export type VerificationStatus =
  'verified' | 'no_match' | 'not_resident' | 'name_mismatch' | 'unavailable' | 'revoked'

/** How long a verification by the register holds. */
export const VERIFICATION_VALIDITY = { months: 12 } as const

/**
 * One attempt to verify a citizen's identity (and residency), kept by the tenant that verified
 * them. Row-level security: the tenant's scope and the person themselves.
 */
export default class Verification extends BaseModel {
  static table = 'verifications'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare userId: string

  @column()
  declare method: VerificationMethod

  @column()
  declare status: VerificationStatus

  /** Reason codes of the register (translated by the UI), never texts. */
  @column({ prepare: (value: unknown) => JSON.stringify(value ?? []) })
  declare reasons: RegisterReason[]

  /** Tenant slug where the register says the person lives (null when unknown or no tenant). */
  @column()
  declare residentOf: string | null

  @column.dateTime()
  declare verifiedAt: DateTime | null

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column.dateTime()
  declare revokedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  /** Verified, not revoked and not expired at `now`. */
  isValidAt(now: DateTime = DateTime.now()) {
    return (
      this.status === 'verified' &&
      !this.revokedAt &&
      !!this.expiresAt &&
      this.expiresAt.toMillis() > now.toMillis()
    )
  }
}
