import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { Currency } from '#ledger/money'

/**
 * One line of a ledger transaction (read model): a signed, non-zero amount in minor units on
 * one account. Append-only: written by app/ledger/ledger.ts, never changed.
 */
export default class LedgerEntry extends BaseModel {
  static table = 'ledger_entries'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare seq: number

  @column()
  declare transactionId: string

  @column()
  declare accountId: string

  @column()
  declare amount: number

  @column({ consume: (value: string) => value?.trim() })
  declare currency: Currency

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
