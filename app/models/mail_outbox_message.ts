import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * An e-mail kept instead of sent (development and tests), shown at /dev/outbox.
 */
export default class MailOutboxMessage extends BaseModel {
  static table = 'mail_outbox'

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare toAddress: string

  @column()
  declare fromAddress: string

  @column()
  declare subject: string

  @column()
  declare html: string | null

  @column()
  declare text: string | null

  @column()
  declare template: string | null

  @column()
  declare tenantSlug: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
