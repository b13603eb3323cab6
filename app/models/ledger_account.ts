import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { AccountKind } from '#ledger/accounts'
import type { Currency } from '#ledger/money'

/**
 * A ledger account (read model): what a program's budget, a child's credit, a voucher or a
 * provider holds. Create accounts with the helpers of app/ledger/accounts.ts and move money
 * only with app/ledger/ledger.ts (post); only `cachedBalance` ever changes.
 */
export default class LedgerAccount extends BaseModel {
  static table = 'ledger_accounts'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare kind: AccountKind

  @column()
  declare programId: string | null

  @column()
  declare ownerRef: string

  @column({ consume: (value: string) => value?.trim() })
  declare currency: Currency

  @column()
  declare allowNegative: boolean

  @column()
  declare cachedBalance: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
