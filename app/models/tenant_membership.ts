import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import Tenant from '#models/tenant'

export type TenantRole = 'tenant_admin' | 'program_manager' | 'reviewer'
export const TENANT_ROLES: TenantRole[] = ['tenant_admin', 'program_manager', 'reviewer']

/**
 * A staff member's role in a tenant. Tenant-owned: row-level security shows a row to its
 * tenant and to its own person only.
 */
export default class TenantMembership extends BaseModel {
  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare userId: string

  @column()
  declare role: TenantRole

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Tenant)
  declare tenant: BelongsTo<typeof Tenant>
}
