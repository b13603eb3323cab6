import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** Content types accepted for identity and residence documents (sniffed from the bytes). */
export type DocumentContentType = 'application/pdf' | 'image/jpeg' | 'image/png'

/**
 * A file a citizen uploaded for a verification by documents. The bytes are on the private
 * drive disk under `storageKey` (always `<tenant_id>/…`); only staff of the tenant and the
 * person themselves read the row (row-level security).
 */
export default class VerificationDocument extends BaseModel {
  static table = 'verification_documents'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare verificationId: string

  @column()
  declare userId: string

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare contentType: DocumentContentType

  @column()
  declare sizeBytes: number

  @column({ columnName: 'sha256' })
  declare sha256: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
