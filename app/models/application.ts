import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type ApplicationStatus =
  'submitted' | 'info_requested' | 'waitlisted' | 'approved' | 'rejected' | 'withdrawn'

/** States in which an application is still waiting for a reviewer's decision. */
export const UNDECIDED: readonly ApplicationStatus[] = ['submitted', 'info_requested']

/**
 * States that hold the beneficiary's place in a program and period: at most one application per
 * child (or per applicant, when the applicant is the beneficiary) may be in one of them
 * (partial unique indexes of migrations 0007 and 0010).
 */
export const LIVE_STATUSES = ['submitted', 'info_requested', 'waitlisted', 'approved'] as const

/** States the applicant may still withdraw from: undecided, or approved but waiting for the budget. */
export const WITHDRAWABLE: readonly ApplicationStatus[] = [...UNDECIDED, 'waitlisted']

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

  /** The child the application is for; null when the program's beneficiary is the applicant. */
  @column()
  declare childId: string | null

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

  /** Whether the applicant may still withdraw it. */
  get withdrawable() {
    return WITHDRAWABLE.includes(this.status)
  }
}
