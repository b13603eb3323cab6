import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import Organization from '#models/organization'

export type OrganizationRole = 'provider_admin' | 'provider_staff'

/**
 * A person's role in a provider organisation.
 */
export default class OrganizationMembership extends BaseModel {
  static selfAssignPrimaryKey = true

  @column({ isPrimary: true })
  declare organizationId: string

  @column({ isPrimary: true })
  declare userId: string

  @column()
  declare role: OrganizationRole

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Organization)
  declare organization: BelongsTo<typeof Organization>
}
