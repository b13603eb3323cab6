import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A provider organisation (club, school, camp, shop). Spans tenants: it can offer
 * activities into programs of several cities and NGOs.
 */
export default class Organization extends BaseModel {
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare name: string

  @column()
  declare registrationNumber: string | null

  @column()
  declare country: string

  @column()
  declare city: string | null

  @column()
  declare contactEmail: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
