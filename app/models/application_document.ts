import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A document uploaded to an application; the file lives on the private disk under `storageKey`. */
export default class ApplicationDocument extends BaseModel {
  static table = 'application_documents'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare applicationId: string

  /** Which of the program's documents it is (`labour_office_decision`), or `other`. */
  @column()
  declare documentKey: string

  /** The name the file had on the citizen's computer (shown, never used as a path). */
  @column()
  declare fileName: string

  /** Sniffed from the content, never taken from the name or the browser. */
  @column()
  declare contentType: string

  @column()
  declare sizeBytes: number

  @column({ columnName: 'sha256' })
  declare sha256: string

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare uploadedBy: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
