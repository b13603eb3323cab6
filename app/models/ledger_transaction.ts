import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import type { TransactionKind } from '#ledger/ledger'
import LedgerEntry from '#models/ledger_entry'

/**
 * A ledger transaction (read model): one balanced, append-only posting with its idempotency
 * key. Write it only through app/ledger/ledger.ts (post, reverse); the database refuses
 * updates and deletes.
 */
export default class LedgerTransaction extends BaseModel {
  static table = 'ledger_transactions'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare idempotencyKey: string

  @column()
  declare kind: TransactionKind

  @column()
  declare programId: string | null

  @column()
  declare reversesId: string | null

  @column({ prepare: (value) => JSON.stringify(value ?? {}) })
  declare memo: Record<string, unknown>

  @column()
  declare createdBy: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  /** The entries of this transaction (filter by tenant too when querying across tenants). */
  @hasMany(() => LedgerEntry, { foreignKey: 'transactionId' })
  declare entries: HasMany<typeof LedgerEntry>
}
