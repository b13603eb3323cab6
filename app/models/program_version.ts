import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { ProgramConfig } from '#programs/program_config'

const json = { prepare: (value: unknown) => JSON.stringify(value ?? null) }

/**
 * One version of a program's configuration. Published versions are never changed: an edit
 * of a published program writes a new version.
 */
export default class ProgramVersion extends BaseModel {
  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare programId: string

  @column()
  declare version: number

  @column(json)
  declare name: ProgramConfig['name']

  @column(json)
  declare description: ProgramConfig['description']

  @column.dateTime()
  declare applicationOpensAt: DateTime | null

  @column.dateTime()
  declare applicationClosesAt: DateTime | null

  @column(json)
  declare periods: ProgramConfig['periods']

  @column(json)
  declare audience: ProgramConfig['audience']

  @column()
  declare currency: ProgramConfig['currency']

  @column()
  declare budgetMinor: number

  /** Refuse an approval the budget cannot cover, or put the application on the waiting list. */
  @column()
  declare whenBudgetExhausted: 'refuse' | 'waitlist'

  @column(json)
  declare limits: ProgramConfig['limits']

  @column()
  declare coPaymentBp: number

  @column(json)
  declare documents: ProgramConfig['documents']

  @column(json)
  declare eligibilityRule: unknown

  @column(json)
  declare params: ProgramConfig['params']

  @column()
  declare categories: string[]

  @column()
  declare requiresActivityApproval: boolean

  @column(json)
  declare pluginSettings: Record<string, unknown>

  @column()
  declare createdBy: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
