import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type ProgramStatus = 'draft' | 'published' | 'closed' | 'archived'

/**
 * A program (call for contributions) of a tenant: an instance of a plugin. Its configuration
 * is in ProgramVersion; `currentVersion` points at the one in force.
 */
export default class Program extends BaseModel {
  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare slug: string

  @column()
  declare pluginId: string

  @column()
  declare status: ProgramStatus

  @column()
  declare nationwide: boolean

  @column()
  declare currentVersion: number

  @column.dateTime()
  declare publishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
