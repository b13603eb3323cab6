import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A tenant's current census (one per tenant): how many residents it lists, who uploaded it
 * and when. The residents themselves are in `census_entries`, as hashes only.
 */
export default class CensusUpload extends BaseModel {
  static table = 'census_uploads'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare rowCount: number

  @column()
  declare uploadedBy: string | null

  @column.dateTime()
  declare uploadedAt: DateTime
}
