/*
 * The ledger: every balance change is one balanced, append-only, idempotent transaction
 * (architecture guide, point 9; docs/decisions/0013-ledger.md).
 *
 * post() runs in a savepoint of the current scope's transaction (scopedClient()), so a refusal
 * leaves nothing behind, not even the claimed idempotency key, and the caller may go on:
 *
 *   0. validate the shape (integer, non-zero amounts, two or more distinct accounts) and read
 *      the accounts' immutable identity (kind, program, currency);
 *   a. claim the idempotency key: `insert ... on conflict (tenant_id, idempotency_key) do
 *      nothing returning id`. Nothing returned means the key is taken: the existing transaction
 *      is returned when it is the same posting, otherwise `ledger.idempotency_conflict`. A
 *      concurrent claim of the same key waits here until the first commits or rolls back;
 *   b. lock the accounts `select ... for update` in one global order (program budget, then
 *      program funding, then the rest by id), so two postings never wait on each other in a
 *      circle;
 *   c. check balance per currency, currencies, the flow the kind allows;
 *   d. check, under the locks, that no account that forbids it goes negative: the check and the
 *      write see the same locked balance, so two tills spending one voucher get one success
 *      and one `ledger.insufficient_funds` (a grant beyond the budget: `ledger.budget_exhausted`);
 *   e. insert the entries and move the cached balances.
 *
 * The database repeats the essentials: a deferred trigger refuses an unbalanced transaction at
 * commit, a check refuses a negative cached balance, triggers refuse updates and deletes.
 */
import { currentScope, scopedClient } from '#tenancy/tenant_context'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { HOLDER_KINDS, type AccountKind } from './accounts.js'
import {
  AlreadyReversedError,
  BudgetExhaustedError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientFundsError,
  InvalidPostingError,
  UnbalancedPostingError,
} from './errors.js'
import type { Currency } from './money.js'
import { isUuid, pgArray, rows, type RawClient } from './sql.js'

/** The kinds of ledger transaction. */
export const TRANSACTION_KINDS = [
  'fund',
  'grant',
  'reserve',
  'release',
  'spend',
  'expire',
  'payout',
  'reversal',
] as const

/** A kind of ledger transaction. */
export type TransactionKind = (typeof TRANSACTION_KINDS)[number]

/**
 * Which account kinds each transaction kind may take money from (negative entries) and give it
 * to (positive entries). A reversal mirrors the transaction it reverses instead.
 */
export const FLOW_RULES: Readonly<
  Record<
    Exclude<TransactionKind, 'reversal'>,
    { from: readonly AccountKind[]; to: readonly AccountKind[] }
  >
> = {
  fund: { from: ['program_funding', 'program_budget'], to: ['program_budget', 'program_funding'] },
  grant: { from: ['program_budget'], to: HOLDER_KINDS },
  reserve: { from: HOLDER_KINDS, to: ['reservation'] },
  release: { from: ['reservation'], to: HOLDER_KINDS },
  spend: { from: [...HOLDER_KINDS, 'reservation'], to: ['provider_payable'] },
  expire: { from: [...HOLDER_KINDS, 'reservation'], to: ['expired'] },
  payout: { from: ['provider_payable'], to: ['payout_clearing'] },
}

/** One line of a posting: an account (or its id) and a signed amount in minor units. */
export interface PostingEntry {
  account: string | { id: string }
  amount: number
  /** When given, must equal the account's currency. */
  currency?: string
}

/** What post() is asked to write. */
export interface PostingInput {
  tenantId: string
  idempotencyKey: string
  kind: TransactionKind
  entries: readonly PostingEntry[]
  memo?: Record<string, unknown>
  reversesId?: string | null
  createdBy?: string | null
}

/** An entry as written. */
export interface PostedEntry {
  accountId: string
  amount: number
  currency: Currency
}

/** A transaction as written (or found, when `replayed`). */
export interface PostedTransaction {
  tenantId: string
  id: string
  idempotencyKey: string
  kind: TransactionKind
  programId: string | null
  reversesId: string | null
  memo: Record<string, unknown>
  createdBy: string | null
  createdAt: Date
  entries: PostedEntry[]
  /** True when the idempotency key had already been used for this same posting. */
  replayed: boolean
}

interface AccountIdentity {
  id: string
  kind: AccountKind
  programId: string | null
  currency: Currency
}

interface NormalizedEntry {
  accountId: string
  amount: number
  currency?: string
}

/** The lock rank of an account kind: budget first, then funding, then everything else by id. */
function lockRank(kind: AccountKind) {
  return kind === 'program_budget' ? 0 : kind === 'program_funding' ? 1 : 2
}

function normalize(input: PostingInput): NormalizedEntry[] {
  if (!(TRANSACTION_KINDS as readonly string[]).includes(input.kind)) {
    throw new InvalidPostingError('unknown_kind', { kind: input.kind })
  }
  if (
    typeof input.idempotencyKey !== 'string' ||
    input.idempotencyKey.length < 1 ||
    input.idempotencyKey.length > 200
  ) {
    throw new InvalidPostingError('bad_idempotency_key')
  }
  if (!isUuid(input.tenantId)) throw new InvalidPostingError('bad_tenant')
  if ((input.kind === 'reversal') !== Boolean(input.reversesId)) {
    throw new InvalidPostingError('reversal_needs_reverses_id')
  }
  if (input.entries.length < 2)
    throw new InvalidPostingError('too_few_entries', { count: input.entries.length })
  const seen = new Set<string>()
  return input.entries.map((entry) => {
    const accountId = typeof entry.account === 'string' ? entry.account : entry.account?.id
    if (!isUuid(accountId))
      throw new InvalidPostingError('bad_account', { account: String(accountId) })
    if (seen.has(accountId)) throw new InvalidPostingError('duplicate_account', { accountId })
    seen.add(accountId)
    if (!Number.isSafeInteger(entry.amount) || entry.amount === 0) {
      throw new InvalidPostingError('bad_amount', { accountId, amount: String(entry.amount) })
    }
    return { accountId, amount: entry.amount, currency: entry.currency }
  })
}

async function loadIdentities(client: RawClient, tenantId: string, ids: string[]) {
  const found = await rows(
    client,
    `select id, kind, program_id, currency from ledger_accounts where tenant_id = ? and id = any(?::uuid[])`,
    [tenantId, pgArray(ids)]
  )
  const byId = new Map<string, AccountIdentity>(
    found.map((row) => [
      row.id,
      {
        id: row.id,
        kind: row.kind,
        programId: row.program_id,
        currency: String(row.currency).trim() as Currency,
      },
    ])
  )
  for (const id of ids)
    if (!byId.has(id)) throw new InvalidPostingError('account_not_found', { accountId: id })
  return byId
}

/** Checks currencies, balance per currency, the kind's flow and the single program; returns the program. */
function validate(
  input: PostingInput,
  entries: NormalizedEntry[],
  accounts: Map<string, AccountIdentity>
) {
  const sums = new Map<string, number>()
  for (const entry of entries) {
    const account = accounts.get(entry.accountId)!
    if (entry.currency !== undefined && entry.currency !== account.currency) {
      throw new CurrencyMismatchError({
        expected: account.currency,
        actual: entry.currency,
        accountId: account.id,
      })
    }
    sums.set(account.currency, (sums.get(account.currency) ?? 0) + entry.amount)
  }
  for (const [currency, total] of sums) {
    if (total !== 0) throw new UnbalancedPostingError({ currency, sum: total })
  }
  if (input.kind !== 'reversal') {
    const rule = FLOW_RULES[input.kind]
    for (const entry of entries) {
      const kind = accounts.get(entry.accountId)!.kind
      const allowed = entry.amount < 0 ? rule.from : rule.to
      if (!allowed.includes(kind)) {
        throw new InvalidPostingError('flow_not_allowed', {
          kind: input.kind,
          accountKind: kind,
          side: entry.amount < 0 ? 'from' : 'to',
        })
      }
    }
  }
  const programs = new Set(
    [...accounts.values()].map((account) => account.programId).filter(Boolean)
  )
  if (programs.size > 1)
    throw new InvalidPostingError('several_programs', { programs: [...programs].join(',') })
  return ([...programs][0] as string | undefined) ?? null
}

/** A stable description of a posting's effect, to compare a retry with the original. */
function shapeOf(
  kind: string,
  reversesId: string | null,
  entries: { accountId: string; amount: number }[]
) {
  const lines = entries.map((entry) => `${entry.accountId}:${entry.amount}`).sort()
  return `${kind}|${reversesId ?? ''}|${lines.join(',')}`
}

async function loadTransaction(
  client: RawClient,
  where: string,
  bindings: unknown[]
): Promise<PostedTransaction | null> {
  const [row] = await rows(
    client,
    `select tenant_id, id, idempotency_key, kind, program_id, reverses_id, memo, created_by, created_at
     from ledger_transactions where ${where}`,
    bindings
  )
  if (!row) return null
  const entries = await rows(
    client,
    `select account_id, amount, currency from ledger_entries where tenant_id = ? and transaction_id = ? order by seq`,
    [row.tenant_id, row.id]
  )
  return {
    tenantId: row.tenant_id,
    id: row.id,
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    programId: row.program_id,
    reversesId: row.reverses_id,
    memo: row.memo ?? {},
    createdBy: row.created_by,
    createdAt: row.created_at,
    entries: entries.map((entry) => ({
      accountId: entry.account_id,
      amount: Number(entry.amount),
      currency: String(entry.currency).trim() as Currency,
    })),
    replayed: true,
  }
}

/** The transaction with this id in the current scope, with its entries, or null. */
export async function findTransaction(id: string, client: RawClient = scopedClient()) {
  if (!isUuid(id)) return null
  return loadTransaction(client, 'id = ?', [id])
}

/** The transaction an idempotency key was used for in a tenant, or null. */
export async function findTransactionByKey(
  tenantId: string,
  idempotencyKey: string,
  client: RawClient = scopedClient()
) {
  return loadTransaction(client, 'tenant_id = ? and idempotency_key = ?', [
    tenantId,
    idempotencyKey,
  ])
}

async function postIn(
  trx: TransactionClientContract,
  input: PostingInput,
  entries: NormalizedEntry[]
) {
  const ids = entries.map((entry) => entry.accountId)
  const accounts = await loadIdentities(trx, input.tenantId, ids)
  const programId = validate(input, entries, accounts)
  const reversesId = input.reversesId ?? null
  const memo = input.memo ?? {}

  if (input.kind === 'reversal') {
    const original = await loadTransaction(trx, 'tenant_id = ? and id = ?', [
      input.tenantId,
      reversesId,
    ])
    if (!original)
      throw new InvalidPostingError('transaction_not_found', { transactionId: reversesId })
    if (original.kind === 'reversal')
      throw new InvalidPostingError('reversal_of_reversal', { transactionId: reversesId })
    const negated = original.entries.map((entry) => ({
      accountId: entry.accountId,
      amount: -entry.amount,
    }))
    if (shapeOf('', null, negated) !== shapeOf('', null, entries)) {
      throw new InvalidPostingError('reversal_not_mirror', { transactionId: reversesId })
    }
  }

  // a. Claim the idempotency key before anything else is written.
  let claimed: Record<string, any> | undefined
  try {
    ;[claimed] = await rows(
      trx,
      `insert into ledger_transactions (tenant_id, idempotency_key, kind, program_id, reverses_id, memo, created_by)
       values (?, ?, ?, ?, ?, ?::jsonb, ?)
       on conflict (tenant_id, idempotency_key) do nothing
       returning id, created_at`,
      [
        input.tenantId,
        input.idempotencyKey,
        input.kind,
        programId,
        reversesId,
        JSON.stringify(memo),
        input.createdBy ?? null,
      ]
    )
  } catch (error: any) {
    if (error?.code === '23505' && error?.constraint === 'ledger_transactions_reversed_once') {
      throw new AlreadyReversedError({ transactionId: reversesId! })
    }
    throw error
  }
  if (!claimed) {
    const existing = await findTransactionByKey(input.tenantId, input.idempotencyKey, trx)
    if (!existing)
      throw new Error(`ledger: idempotency key ${input.idempotencyKey} is taken but not visible`)
    if (
      shapeOf(existing.kind, existing.reversesId, existing.entries) !==
      shapeOf(input.kind, reversesId, entries)
    ) {
      throw new IdempotencyConflictError({
        idempotencyKey: input.idempotencyKey,
        transactionId: existing.id,
      })
    }
    return existing
  }

  // b. Lock the accounts in the one global order.
  const locked = await rows(
    trx,
    `select id, kind, program_id, currency, allow_negative, cached_balance from ledger_accounts
     where tenant_id = ? and id = any(?::uuid[])
     order by case kind when 'program_budget' then 0 when 'program_funding' then 1 else 2 end, id
     for update`,
    [input.tenantId, pgArray(ids)]
  )

  // d. Under the locks: nothing that must stay non-negative may go below zero.
  const amounts = new Map(entries.map((entry) => [entry.accountId, entry.amount]))
  for (const account of locked) {
    const cached = Number(account.cached_balance)
    const delta = amounts.get(account.id)!
    if (!account.allow_negative && cached + delta < 0) {
      const currency = String(account.currency).trim()
      if (account.kind === 'program_budget') {
        throw new BudgetExhaustedError({
          programId: account.program_id,
          available: cached,
          requested: -delta,
          currency,
        })
      }
      throw new InsufficientFundsError({
        accountId: account.id,
        kind: account.kind,
        available: cached,
        requested: -delta,
        currency,
      })
    }
  }

  // e. Write the entries (their seq is taken now, after the locks) and move the cached balances.
  const ordered = [...entries].sort((x, y) => {
    const a = accounts.get(x.accountId)!
    const b = accounts.get(y.accountId)!
    return lockRank(a.kind) - lockRank(b.kind) || (x.accountId < y.accountId ? -1 : 1)
  })
  await trx.rawQuery(
    `insert into ledger_entries (tenant_id, transaction_id, account_id, amount, currency)
     select ?, ?, d.account_id, d.amount, d.currency
     from unnest(?::uuid[], ?::bigint[], ?::text[]) with ordinality as d(account_id, amount, currency, n)
     order by d.n`,
    [
      input.tenantId,
      claimed.id,
      pgArray(ordered.map((entry) => entry.accountId)),
      pgArray(ordered.map((entry) => entry.amount)),
      pgArray(ordered.map((entry) => accounts.get(entry.accountId)!.currency)),
    ]
  )
  await trx.rawQuery(
    `update ledger_accounts a set cached_balance = a.cached_balance + d.delta
     from unnest(?::uuid[], ?::bigint[]) as d(id, delta)
     where a.tenant_id = ? and a.id = d.id`,
    [
      pgArray(ordered.map((entry) => entry.accountId)),
      pgArray(ordered.map((entry) => entry.amount)),
      input.tenantId,
    ]
  )

  // Run the database's own balance check now, inside the savepoint, rather than only at commit:
  // a failure surfaces here as an error of this posting (and is rolled back with it).
  await trx.rawQuery(
    'set constraints ledger_transactions_balanced, ledger_entries_balanced immediate'
  )
  await trx.rawQuery(
    'set constraints ledger_transactions_balanced, ledger_entries_balanced deferred'
  )

  return {
    tenantId: input.tenantId,
    id: claimed.id,
    idempotencyKey: input.idempotencyKey,
    kind: input.kind,
    programId,
    reversesId,
    memo,
    createdBy: input.createdBy ?? null,
    createdAt: claimed.created_at,
    entries: ordered.map((entry) => ({
      accountId: entry.accountId,
      amount: entry.amount,
      currency: accounts.get(entry.accountId)!.currency,
    })),
    replayed: false,
  } satisfies PostedTransaction
}

/**
 * Posts one balanced transaction in the current scope's transaction (inside a savepoint);
 * returns the existing transaction when the idempotency key was already used for the same
 * posting, and refuses with a typed LedgerError otherwise.
 */
export async function post(input: PostingInput): Promise<PostedTransaction> {
  return postWithin(scopedClient(), input)
}

/**
 * post() on an explicit transaction or savepoint of the current scope (for ledger operations
 * that already hold a savepoint and locks, such as grantBenefit()).
 */
export async function postWithin(
  client: TransactionClientContract,
  input: PostingInput
): Promise<PostedTransaction> {
  const scope = currentScope()
  const entries = normalize(input)
  if (scope && !scope.platform && scope.tenantId !== input.tenantId) {
    throw new InvalidPostingError('wrong_tenant', { tenantId: input.tenantId })
  }
  return client.transaction((trx) => postIn(trx, input, entries))
}

/** Options of a reversal. */
export interface ReverseOptions {
  memo?: Record<string, unknown>
  createdBy?: string | null
}

/**
 * Posts the exact negation of a transaction (a correction: entries are never changed); a
 * transaction is reversed at most once and a reversal is never reversed.
 */
export async function reverse(
  transactionId: string,
  idempotencyKey: string,
  options: ReverseOptions = {}
): Promise<PostedTransaction> {
  const original = await findTransaction(transactionId)
  if (!original) throw new InvalidPostingError('transaction_not_found', { transactionId })
  if (original.kind === 'reversal')
    throw new InvalidPostingError('reversal_of_reversal', { transactionId })
  return post({
    tenantId: original.tenantId,
    idempotencyKey,
    kind: 'reversal',
    reversesId: original.id,
    entries: original.entries.map((entry) => ({ account: entry.accountId, amount: -entry.amount })),
    memo: { reverses: original.kind, ...options.memo },
    createdBy: options.createdBy ?? null,
  })
}

/** An account's balance: the sum of its entries, beside the cached value post() maintains. */
export interface AccountBalance {
  accountId: string
  currency: Currency
  balance: number
  cached: number
}

/** The balance of an account (sum of its entries) and its cached balance. */
export async function balance(
  accountId: string,
  client: RawClient = scopedClient()
): Promise<AccountBalance> {
  const [row] = await rows(
    client,
    `select a.id, a.currency, a.cached_balance,
       coalesce((select sum(e.amount) from ledger_entries e where e.tenant_id = a.tenant_id and e.account_id = a.id), 0)::bigint as balance
     from ledger_accounts a where a.id = ?`,
    [accountId]
  )
  if (!row) throw new InvalidPostingError('account_not_found', { accountId })
  return {
    accountId: row.id,
    currency: String(row.currency).trim() as Currency,
    balance: Number(row.balance),
    cached: Number(row.cached_balance),
  }
}
