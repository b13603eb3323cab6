import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type ApplicationStatus =
  'submitted' | 'info_requested' | 'approved' | 'rejected' | 'withdrawn'

/** States in which an application is still waiting for someone (the citizen may withdraw). */
export const UNDECIDED: readonly ApplicationStatus[] = ['submitted', 'info_requested']

const json = { prepare: (value: unknown) => JSON.stringify(value ?? null) }

/**
 * An application for a program's benefit, for one child and one period. Owned by the program's
 * tenant; row-level security lets its staff and the applicant (in any scope) read it.
 */
export default class Application extends BaseModel {
  static table = 'applications'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  /** Short reference for letters and calls (A-2026-000123). */
  @column()
  declare reference: string

  @column()
  declare programId: string

  /** The program version the application was made under (its rule, documents, benefits). */
  @column()
  declare programVersion: number

  @column()
  declare applicantUserId: string

  @column()
  declare childId: string

  @column()
  declare periodKey: string

  @column()
  declare status: ApplicationStatus

  /** What the applicant declared (keys are fact paths: `applicant.benefits.child_allowance`...). */
  @column(json)
  declare declared: Record<string, unknown>

  /** The facts and verdict at submission. */
  @column(json)
  declare facts: Record<string, unknown>

  @column()
  declare eligible: boolean

  @column(json)
  declare reasons: string[]

  /** What the reviewer asked for, while status is info_requested (kept afterwards too). */
  @column()
  declare infoRequest: string | null

  @column()
  declare decisionReason: string | null

  @column()
  declare decidedBy: string | null

  @column.dateTime()
  declare decidedAt: DateTime | null

  @column()
  declare grantTransactionId: string | null

  @column.dateTime()
  declare submittedAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get undecided() {
    return UNDECIDED.includes(this.status)
  }
}
