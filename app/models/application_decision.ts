import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

const json = { prepare: (value: unknown) => JSON.stringify(value ?? null) }

/**
 * A decision on an application with everything it was based on: who and when, the program
 * version, its rule (and the rule's key), the facts, the verdict with its trace, and what was
 * granted. Replaying evaluates the same rule over the same facts (app/applications/replay.ts).
 */
export default class ApplicationDecision extends BaseModel {
  static table = 'application_decisions'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare applicationId: string

  @column()
  declare outcome: 'approved' | 'rejected'

  @column()
  declare decidedBy: string | null

  @column.dateTime({ autoCreate: true })
  declare decidedAt: DateTime

  @column()
  declare programVersion: number

  @column(json)
  declare rule: unknown

  /** The program parameters the rule read (`params.<name>`), with their values. */
  @column(json)
  declare params: Record<string, unknown>

  @column()
  declare ruleKey: string

  @column(json)
  declare facts: Record<string, unknown>

  @column()
  declare eligible: boolean

  @column(json)
  declare trace: unknown[]

  @column()
  declare reason: string | null

  @column()
  declare grantTransactionId: string | null

  @column(json)
  declare benefits: unknown[]
}
