import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type TenantKind = 'city' | 'district' | 'ngo'
export type TenantStatus = 'pending' | 'active' | 'suspended'
export type RegisterMode = 'platform' | 'own' | 'none'
export const REGISTER_MODES: RegisterMode[] = ['platform', 'own', 'none']
export type Locale = 'cs' | 'en' | 'uk' | 'pl'
export const LOCALES: Locale[] = ['cs', 'en', 'uk', 'pl']

export type Branding = {
  primaryColor?: string
  accentColor?: string
  logoUrl?: string
  tagline?: Partial<Record<Locale, string>>
}

/**
 * A city, a city district or a nationwide NGO: owner of programs, budgets and settlements.
 */
export default class Tenant extends BaseModel {
  @column({ isPrimary: true })
  declare id: string

  @column()
  declare slug: string

  @column()
  declare kind: TenantKind

  @column()
  declare name: string

  @column()
  declare legalName: string | null

  @column()
  declare country: string

  @column()
  declare region: string | null

  @column()
  declare parentSlug: string | null

  @column()
  declare nationwide: boolean

  @column()
  declare defaultLocale: Locale

  @column()
  declare locales: Locale[]

  @column()
  declare currency: 'CZK' | 'PLN' | 'EUR'

  @column()
  declare status: TenantStatus

  @column({ prepare: (v) => JSON.stringify(v ?? {}) })
  declare branding: Branding

  @column()
  declare contactEmail: string | null

  /** Where residents are verified online: the platform's register, the town hall's own, or none. */
  @column()
  declare registerMode: RegisterMode

  /** The town hall's own register module (`registerMode` `own`). */
  @column()
  declare registerUrl: string | null

  /** Its API key, encrypted with the app key; never serialised. */
  @column({ serializeAs: null })
  declare registerApiKey: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isActive() {
    return this.status === 'active'
  }
}
