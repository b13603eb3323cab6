import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * Something a person did in a tenant (who, what, when), kept for accountability.
 */
export default class AuditEvent extends BaseModel {
  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare actorUserId: string | null

  @column()
  declare action: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  @column({ prepare: (v) => JSON.stringify(v ?? {}) })
  declare data: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
