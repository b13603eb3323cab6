/*
 * The everyday postings after a grant, as small typed helpers over post(): spend (at a till or
 * a booking), reserve and release (a booking awaiting approval, or cancelled), expire what is
 * left, pay a provider out. Each is one balanced transaction with its own idempotency key.
 */
import { scopedClient } from '#tenancy/tenant_context'
import { findAccount } from './accounts.js'
import { IdempotencyConflictError, InvalidPostingError } from './errors.js'
import { findTransactionByKey, post, postWithin, type PostedTransaction } from './ledger.js'
import { pgArray, rows } from './sql.js'

/** An account or its id. */
export type AccountArg = string | { id: string }

const idOf = (account: AccountArg) => (typeof account === 'string' ? account : account.id)

/** Common fields of a two-account movement. */
export interface MovementInput {
  tenantId: string
  amountMinor: number
  idempotencyKey: string
  memo?: Record<string, unknown>
  createdBy?: string | null
}

function move(
  kind: 'spend' | 'reserve' | 'release' | 'payout',
  from: AccountArg,
  to: AccountArg,
  input: MovementInput
): Promise<PostedTransaction> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw new InvalidPostingError('bad_amount', { amount: String(input.amountMinor) })
  }
  return post({
    tenantId: input.tenantId,
    idempotencyKey: input.idempotencyKey,
    kind,
    entries: [
      { account: idOf(from), amount: -input.amountMinor },
      { account: idOf(to), amount: input.amountMinor },
    ],
    memo: input.memo,
    createdBy: input.createdBy,
  })
}

/** Pays a provider from a child's credit, a voucher or a reservation. */
export function spend(input: MovementInput & { from: AccountArg; provider: AccountArg }) {
  return move('spend', input.from, input.provider, input)
}

/** Holds money of a credit or voucher for a booking awaiting approval. */
export function reserve(input: MovementInput & { from: AccountArg; reservation: AccountArg }) {
  return move('reserve', input.from, input.reservation, input)
}

/** Returns held money to the credit or voucher it came from (a cancelled booking). */
export function release(input: MovementInput & { reservation: AccountArg; to: AccountArg }) {
  return move('release', input.reservation, input.to, input)
}

/** Moves money a tenant owes a provider to the payout clearing account (a bank transfer was made). */
export function payout(input: MovementInput & { provider: AccountArg; clearing: AccountArg }) {
  return move('payout', input.provider, input.clearing, input)
}

/**
 * Moves everything left on a credit, voucher or reservation account to the program's expired
 * account, under the account's lock; returns null when nothing was left. A retry with the same
 * key returns the first expiry.
 */
export async function expireRemaining(input: {
  account: AccountArg
  expired: AccountArg
  idempotencyKey: string
  memo?: Record<string, unknown>
  createdBy?: string | null
}): Promise<PostedTransaction | null> {
  const account = await findAccount(idOf(input.account))
  if (!account)
    throw new InvalidPostingError('account_not_found', { accountId: idOf(input.account) })
  return scopedClient().transaction(async (trx) => {
    // Both locks in the global order (neither is a budget or funding account: by id).
    const locked = await rows(
      trx,
      `select id, cached_balance from ledger_accounts where tenant_id = ? and id = any(?::uuid[]) order by id for update`,
      [account.tenantId, pgArray([account.id, idOf(input.expired)])]
    )
    const existing = await findTransactionByKey(account.tenantId, input.idempotencyKey, trx)
    if (existing) {
      const same =
        existing.kind === 'expire' &&
        existing.entries.some((entry) => entry.accountId === account.id)
      if (!same) {
        throw new IdempotencyConflictError({
          idempotencyKey: input.idempotencyKey,
          transactionId: existing.id,
        })
      }
      return existing
    }
    const row = locked.find((candidate) => candidate.id === account.id)!
    const left = Number(row.cached_balance)
    if (left <= 0) return null
    return postWithin(trx, {
      tenantId: account.tenantId,
      idempotencyKey: input.idempotencyKey,
      kind: 'expire',
      entries: [
        { account: account.id, amount: -left },
        { account: idOf(input.expired), amount: left },
      ],
      memo: input.memo,
      createdBy: input.createdBy,
    })
  })
}

/** The voucher with this code in the current scope (codes are unique per tenant), or null. */
export async function findVoucherByCode(tenantId: string, code: string) {
  const [row] = await rows(
    scopedClient(),
    `select * from ledger_vouchers where tenant_id = ? and code = ?`,
    [tenantId, code.toUpperCase().replace(/[\s-]/g, '')]
  )
  return row ?? null
}
