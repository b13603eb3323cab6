import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type ApplicationEventKind =
  | 'submitted'
  | 'document_added'
  | 'info_requested'
  | 'info_provided'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'approval_refused'
  /** Approved, but the budget could not cover it: waiting for the budget. */
  | 'waitlisted'
  /** Granted later, from the waiting list. */
  | 'granted'

/** One step of an application's history (append-only). */
export default class ApplicationEvent extends BaseModel {
  static table = 'application_events'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare seq: number

  @column()
  declare applicationId: string

  @column()
  declare kind: ApplicationEventKind

  @column()
  declare actorUserId: string | null

  @column()
  declare actorRole: 'applicant' | 'staff' | 'system'

  @column()
  declare note: string | null

  @column({ prepare: (value: unknown) => JSON.stringify(value ?? {}) })
  declare data: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
