/*
 * Granting a benefit: money moves from a program's budget to a child's credit, or into new
 * voucher accounts, one per voucher, each with a unique code.
 *
 * The budget cap is atomic. A program's budget account holds what is left to grant and may
 * never go negative. Every grant first locks that account (lock rank 0, the first lock any
 * posting of the program takes), then brings the funding in line with the budget of the
 * program's current version (a `fund` posting from the program's funding source for the
 * difference), then posts the grant. So "issued + this grant ≤ budget" is checked and written
 * under one row lock, and two grants can never both take the last koruna.
 */
import { randomUUID } from 'node:crypto'
import { scopedClient } from '#tenancy/tenant_context'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import {
  childCreditAccount,
  programBudgetAccount,
  programFundingAccount,
  voucherAccount,
  type LedgerAccountRow,
  type ProgramRef,
} from './accounts.js'
import { BudgetExhaustedError, IdempotencyConflictError, InvalidPostingError } from './errors.js'
import {
  findTransactionByKey,
  postWithin,
  type PostedTransaction,
  type PostingEntry,
} from './ledger.js'
import type { Currency } from './money.js'
import { rows, type RawClient } from './sql.js'
import { generateVoucherCode } from './voucher_codes.js'

/** One line of a benefit: `count` vouchers of `amountMinor` each, or `count` × `amountMinor` of credit. */
export interface BenefitLine {
  kind: 'credit' | 'voucher'
  amountMinor: number
  count: number
}

/** The program version a grant is made under (a ProgramVersion model fits). */
export interface GrantVersionRef {
  version: number
  currency: string
  programId?: string
}

/** What grantBenefit() is asked to do. */
export interface GrantBenefitInput {
  program: ProgramRef
  version: GrantVersionRef
  childRef: string
  benefits: readonly BenefitLine[]
  idempotencyKey: string
  periodKey?: string | null
  expiresAt?: Date | null
  memo?: Record<string, unknown>
  createdBy?: string | null
}

/** A voucher as issued. */
export interface IssuedVoucher {
  id: string
  code: string
  accountId: string
  faceValue: number
  currency: Currency
  periodKey: string | null
  expiresAt: Date | null
  status: string
}

/** What a grant produced (or had produced, when `replayed`). */
export interface GrantResult {
  transaction: PostedTransaction
  credit: { accountId: string; amount: number } | null
  vouchers: IssuedVoucher[]
  replayed: boolean
}

/** The most vouchers one grant may issue. */
export const MAX_VOUCHERS_PER_GRANT = 100

function normalizeLines(lines: readonly BenefitLine[]) {
  if (lines.length === 0) throw new InvalidPostingError('empty_benefit')
  let vouchers = 0
  const normalized = lines.map((line) => {
    if (line.kind !== 'credit' && line.kind !== 'voucher')
      throw new InvalidPostingError('bad_benefit_kind')
    if (!Number.isSafeInteger(line.amountMinor) || line.amountMinor <= 0) {
      throw new InvalidPostingError('bad_amount', { amount: String(line.amountMinor) })
    }
    if (!Number.isSafeInteger(line.count) || line.count < 1) {
      throw new InvalidPostingError('bad_count', { count: String(line.count) })
    }
    if (line.kind === 'voucher') vouchers += line.count
    return { kind: line.kind, amountMinor: line.amountMinor, count: line.count }
  })
  if (vouchers > MAX_VOUCHERS_PER_GRANT)
    throw new InvalidPostingError('too_many_vouchers', { count: vouchers })
  const total = normalized.reduce((acc, line) => acc + line.amountMinor * line.count, 0)
  if (!Number.isSafeInteger(total)) throw new InvalidPostingError('amount_out_of_range')
  return { lines: normalized, total }
}

function toVoucher(row: Record<string, any>): IssuedVoucher {
  return {
    id: row.id,
    code: row.code,
    accountId: row.account_id,
    faceValue: Number(row.face_value),
    currency: String(row.currency).trim() as Currency,
    periodKey: row.period_key,
    expiresAt: row.expires_at,
    status: row.status,
  }
}

async function lockedBalance(trx: RawClient, tenantId: string, accountId: string) {
  const [row] = await rows(
    trx,
    `select cached_balance from ledger_accounts where tenant_id = ? and id = ? for update`,
    [tenantId, accountId]
  )
  return Number(row.cached_balance)
}

/** The budget (minor units) of the program's current version. */
async function currentBudget(trx: RawClient, program: ProgramRef) {
  const [row] = await rows(
    trx,
    `select pv.budget_minor from programs p
     join program_versions pv on pv.tenant_id = p.tenant_id and pv.program_id = p.id and pv.version = p.current_version
     where p.tenant_id = ? and p.id = ?`,
    [program.tenantId, program.id]
  )
  if (!row) throw new InvalidPostingError('program_not_found', { programId: program.id })
  return Number(row.budget_minor)
}

/**
 * Brings the program's funding in line with its current budget, under the budget lock the
 * caller holds: tops it up, or takes back what is still unissued when the budget shrank.
 * Returns what is left to grant.
 */
async function syncFunding(
  trx: TransactionClientContract,
  program: ProgramRef,
  budget: LedgerAccountRow,
  funding: LedgerAccountRow,
  createdBy: string | null
) {
  const cap = await currentBudget(trx, program)
  const unissued = await lockedBalance(trx, program.tenantId, budget.id)
  const funded = -(await lockedBalance(trx, program.tenantId, funding.id))
  let move = cap - funded
  if (move < 0) move = -Math.min(-move, unissued)
  if (move === 0) return unissued
  await postWithin(trx, {
    tenantId: program.tenantId,
    idempotencyKey: `fund:${program.id}:${randomUUID()}`,
    kind: 'fund',
    entries: [
      { account: funding.id, amount: -move },
      { account: budget.id, amount: move },
    ],
    memo: { reason: 'budget_sync', budgetMinor: cap, fundedBefore: funded },
    createdBy,
  })
  return unissued + move
}

/** A comparable description of benefit lines (jsonb does not keep key order). */
function benefitsKey(value: unknown) {
  if (!Array.isArray(value)) return ''
  return value.map((line: any) => `${line?.kind}:${line?.amountMinor}x${line?.count}`).join(',')
}

async function replay(
  trx: RawClient,
  existing: PostedTransaction,
  input: GrantBenefitInput,
  lines: ReturnType<typeof normalizeLines>['lines']
): Promise<GrantResult> {
  const memo = existing.memo as Record<string, unknown>
  const same =
    existing.kind === 'grant' &&
    existing.programId === input.program.id &&
    memo.childRef === input.childRef &&
    benefitsKey(memo.benefits) === benefitsKey(lines)
  if (!same) {
    throw new IdempotencyConflictError({
      idempotencyKey: input.idempotencyKey,
      transactionId: existing.id,
    })
  }
  const vouchers = await rows(
    trx,
    `select * from ledger_vouchers where tenant_id = ? and grant_transaction_id = ? order by created_at, code`,
    [existing.tenantId, existing.id]
  )
  const voucherAccounts = new Set(vouchers.map((row) => row.account_id))
  const credit = existing.entries.find(
    (entry) => entry.amount > 0 && !voucherAccounts.has(entry.accountId)
  )
  return {
    transaction: existing,
    credit: credit ? { accountId: credit.accountId, amount: credit.amount } : null,
    vouchers: vouchers.map(toVoucher),
    replayed: true,
  }
}

/**
 * Grants a child a benefit under a program version: credit and/or vouchers, taken from the
 * program's budget. Idempotent on `idempotencyKey` (a retry returns the first grant and its
 * vouchers); refuses with `ledger.budget_exhausted` when the budget cannot cover it.
 */
export async function grantBenefit(input: GrantBenefitInput): Promise<GrantResult> {
  const { lines, total } = normalizeLines(input.benefits)
  const { program, version } = input
  if (version.programId && version.programId !== program.id)
    throw new InvalidPostingError('version_of_other_program')
  if (
    typeof input.childRef !== 'string' ||
    input.childRef.length < 1 ||
    input.childRef.length > 200
  ) {
    throw new InvalidPostingError('bad_child_ref')
  }

  return scopedClient().transaction(async (trx) => {
    const budget = await programBudgetAccount(program, version.currency, trx)
    const funding = await programFundingAccount(program, version.currency, trx)

    // Every grant of the program queues here; the lock is held until the scope commits.
    await lockedBalance(trx, program.tenantId, budget.id)

    // A retry that waited on the lock sees the first attempt's committed transaction now.
    const existing = await findTransactionByKey(program.tenantId, input.idempotencyKey, trx)
    if (existing) return replay(trx, existing, input, lines)

    const available = await syncFunding(trx, program, budget, funding, input.createdBy ?? null)
    if (total > available) {
      throw new BudgetExhaustedError({
        programId: program.id,
        available,
        requested: total,
        currency: version.currency,
      })
    }

    const entries: PostingEntry[] = [{ account: budget.id, amount: -total }]
    const creditTotal = lines
      .filter((line) => line.kind === 'credit')
      .reduce((acc, l) => acc + l.amountMinor * l.count, 0)
    let creditAccountId: string | null = null
    if (creditTotal > 0) {
      const account = await childCreditAccount(program, input.childRef, version.currency, trx)
      creditAccountId = account.id
      entries.push({ account: account.id, amount: creditTotal })
    }
    const planned: { id: string; accountId: string; faceValue: number }[] = []
    for (const line of lines.filter((l) => l.kind === 'voucher')) {
      for (let index = 0; index < line.count; index++) {
        const id = randomUUID()
        const account = await voucherAccount(program, id, version.currency, trx)
        planned.push({ id, accountId: account.id, faceValue: line.amountMinor })
        entries.push({ account: account.id, amount: line.amountMinor })
      }
    }

    const transaction = await postWithin(trx, {
      tenantId: program.tenantId,
      idempotencyKey: input.idempotencyKey,
      kind: 'grant',
      entries,
      memo: {
        ...input.memo,
        childRef: input.childRef,
        programVersion: version.version,
        periodKey: input.periodKey ?? null,
        benefits: lines,
      },
      createdBy: input.createdBy ?? null,
    })

    const vouchers: IssuedVoucher[] = []
    for (const voucher of planned) {
      // A code collision is astronomically rare; on one, draw again.
      for (let attempt = 0; ; attempt++) {
        const [row] = await rows(
          trx,
          `insert into ledger_vouchers (tenant_id, id, program_id, program_version, child_ref, code, account_id,
             grant_transaction_id, face_value, currency, period_key, expires_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           on conflict (tenant_id, code) do nothing
           returning *`,
          [
            program.tenantId,
            voucher.id,
            program.id,
            version.version,
            input.childRef,
            generateVoucherCode(),
            voucher.accountId,
            transaction.id,
            voucher.faceValue,
            version.currency,
            input.periodKey ?? null,
            input.expiresAt ?? null,
          ]
        )
        if (row) {
          vouchers.push(toVoucher(row))
          break
        }
        if (attempt >= 5) throw new Error('grantBenefit: could not draw a unique voucher code')
      }
    }

    return {
      transaction,
      credit: creditAccountId ? { accountId: creditAccountId, amount: creditTotal } : null,
      vouchers,
      replayed: false,
    }
  })
}
