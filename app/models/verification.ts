import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import type { RegisterReason } from '#verification/register_client'
import User from '#models/user'
import VerificationDocument from '#models/verification_document'

export type VerificationMethod = 'register' | 'census' | 'documents'
export type VerificationStatus =
  | 'verified'
  | 'no_match'
  | 'not_resident'
  | 'name_mismatch'
  | 'unavailable'
  | 'revoked'
  /** Documents waiting for a reviewer. */
  | 'pending'
  /** A reviewer refused the documents (decisionReason says why). */
  | 'refused'

/** Reason codes: the register's, and the census comparison's (app/verification/census.ts). */
export type VerificationReason = RegisterReason | 'name_differs' | 'birth_number_differs'

/** How long a verification (by any method) holds. */
export const VERIFICATION_VALIDITY = { months: 12 } as const

/**
 * One attempt to verify a citizen's identity (and residency), kept by the tenant that verified
 * them. Row-level security: the tenant's staff scope and the person themselves.
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

  /** Reason codes (translated by the UI), never texts. */
  @column({ prepare: (value: unknown) => JSON.stringify(value ?? []) })
  declare reasons: VerificationReason[]

  /** Tenant slug where the register says the person lives (null when unknown or no tenant). */
  @column()
  declare residentOf: string | null

  @column.dateTime()
  declare verifiedAt: DateTime | null

  /**
   * The birth date the register or census confirmed with the name (YYYY-MM-DD); null for
   * documents and for outcomes that confirmed nothing. Rules on the applicant's age read it.
   */
  @column({
    consume: (value: unknown) =>
      value === null || value === undefined
        ? null
        : value instanceof Date
          ? DateTime.fromJSDate(value).toISODate()
          : String(value).slice(0, 10),
  })
  declare birthDate: string | null

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column.dateTime()
  declare revokedAt: DateTime | null

  /** The staff member who verified or refused documents. */
  @column()
  declare decidedBy: string | null

  @column.dateTime()
  declare decidedAt: DateTime | null

  /** Why documents were refused (written by staff, shown to the citizen). */
  @column()
  declare decisionReason: string | null

  @column()
  declare revokedBy: string | null

  /** Why the verification was revoked (written by staff, shown to the citizen). */
  @column()
  declare revokeReason: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @hasMany(() => VerificationDocument, {
    foreignKey: 'verificationId',
    onQuery: (query) => query.orderBy('createdAt', 'asc'),
  })
  declare documents: HasMany<typeof VerificationDocument>

  /** Verified, not revoked and not expired at `now`. */
  isValidAt(now: DateTime = DateTime.now()) {
    return (
      this.status === 'verified' &&
      !this.revokedAt &&
      !!this.expiresAt &&
      this.expiresAt.toMillis() > now.toMillis()
    )
  }

  /** Verified once, but its validity has run out at `now`. */
  isExpiredAt(now: DateTime = DateTime.now()) {
    return (
      this.status === 'verified' && !!this.expiresAt && this.expiresAt.toMillis() <= now.toMillis()
    )
  }
}
