import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, beforeSave } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import type { Locale } from '#models/tenant'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['emailNormalized'],
  passwordColumnName: 'password',
})

/**
 * One account per person. People span tenants: a citizen has a home tenant, staff have
 * memberships in tenants, provider people have memberships in organisations.
 */
export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare email: string

  @column()
  declare emailNormalized: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare fullName: string

  @column()
  declare locale: Locale

  @column()
  declare citizenship: string | null

  @column()
  declare homeTenantId: string | null

  @column()
  declare isPlatformAdmin: boolean

  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** E-mail addresses compare without case and surrounding space. */
  static normalizeEmail(email: string) {
    return email.trim().toLowerCase()
  }

  @beforeSave()
  static normalize(user: User) {
    if (user.$dirty.email) user.emailNormalized = User.normalizeEmail(user.email)
  }
}
