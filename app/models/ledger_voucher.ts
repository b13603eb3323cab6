import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { Currency } from '#ledger/money'

/** A voucher's lifecycle status; its money is the balance of its ledger account. */
export type LedgerVoucherStatus = 'active' | 'spent' | 'expired' | 'cancelled'

/**
 * A voucher issued by a grant (app/ledger/grants.ts): its unique code, face value and the
 * ledger account that holds its money. Only `status` (and `updatedAt`) may change.
 */
export default class LedgerVoucher extends BaseModel {
  static table = 'ledger_vouchers'

  @column()
  declare tenantId: string

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare programId: string

  @column()
  declare programVersion: number

  @column()
  declare childRef: string

  @column()
  declare code: string

  @column()
  declare accountId: string

  @column()
  declare grantTransactionId: string

  @column()
  declare faceValue: number

  @column({ consume: (value: string) => value?.trim() })
  declare currency: Currency

  @column()
  declare periodKey: string | null

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column()
  declare status: LedgerVoucherStatus

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
