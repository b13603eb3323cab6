/*
 * Ledger accounts and their race-safe get-or-create helpers.
 *
 * One account per (tenant, kind, program, owner): `insert ... on conflict do nothing`, then
 * `select`. When two units of work create the same account at once, the second insert waits
 * for the first to commit and then does nothing, and its select (a new snapshot under READ
 * COMMITTED) sees the committed row; no unique-violation ever reaches the caller.
 *
 * The double-entry model (docs/decisions/0013-ledger.md): a balance is what the account holds;
 * money moves from A to B as an entry −x on A and +x on B.
 */
import { scopedClient } from '#tenancy/tenant_context'
import { CurrencyMismatchError, InvalidPostingError } from './errors.js'
import { CURRENCIES, type Currency } from './money.js'
import { rows, type RawClient } from './sql.js'

/** The kinds of ledger account. */
export const ACCOUNT_KINDS = [
  'program_funding',
  'program_budget',
  'child_credit',
  'voucher',
  'reservation',
  'expired',
  'provider_payable',
  'payout_clearing',
] as const

/** A kind of ledger account. */
export type AccountKind = (typeof ACCOUNT_KINDS)[number]

/** Accounts whose money a child's family holds and may spend. */
export const HOLDER_KINDS: readonly AccountKind[] = ['child_credit', 'voucher']

/** Account kinds that belong to the tenant rather than to one program. */
export const TENANT_LEVEL_KINDS: readonly AccountKind[] = ['provider_payable', 'payout_clearing']

/** A ledger account as the ledger reads it. */
export interface LedgerAccountRow {
  tenantId: string
  id: string
  kind: AccountKind
  programId: string | null
  ownerRef: string
  currency: Currency
  allowNegative: boolean
  cachedBalance: number
  createdAt: Date
}

/** A program as the ledger needs it: its tenant and id (a Program model fits). */
export interface ProgramRef {
  tenantId: string
  id: string
}

/** A tenant as the ledger needs it: its id, and optionally its currency (a Tenant model fits). */
export type TenantRef = string | { id: string; currency?: string }

const COLUMNS = `tenant_id, id, kind, program_id, owner_ref, currency, allow_negative, cached_balance, created_at`

/** Maps a ledger_accounts row (snake_case) to a LedgerAccountRow. */
export function toAccountRow(row: Record<string, any>): LedgerAccountRow {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    kind: row.kind,
    programId: row.program_id ?? null,
    ownerRef: row.owner_ref,
    currency: String(row.currency).trim() as Currency,
    allowNegative: row.allow_negative,
    cachedBalance: Number(row.cached_balance),
    createdAt: row.created_at,
  }
}

/** What identifies an account, plus the currency it must be in. */
export interface AccountSpec {
  tenantId: string
  kind: AccountKind
  programId: string | null
  ownerRef: string
  currency: Currency | string
}

/**
 * Returns the account of `spec`, creating it when missing (race-safe); refuses with
 * `ledger.currency_mismatch` when it exists in another currency.
 */
export async function getOrCreateAccount(
  spec: AccountSpec,
  client: RawClient = scopedClient()
): Promise<LedgerAccountRow> {
  if (!(CURRENCIES as readonly string[]).includes(spec.currency)) {
    throw new InvalidPostingError('unknown_currency', { currency: spec.currency })
  }
  const tenantLevel = TENANT_LEVEL_KINDS.includes(spec.kind)
  if (tenantLevel !== (spec.programId === null)) {
    throw new InvalidPostingError('account_program', { kind: spec.kind })
  }
  const [created] = await rows(
    client,
    `insert into ledger_accounts (tenant_id, kind, program_id, owner_ref, currency, allow_negative)
     values (?, ?, ?, ?, ?, ?)
     on conflict (tenant_id, kind, program_id, owner_ref) do nothing
     returning ${COLUMNS}`,
    [
      spec.tenantId,
      spec.kind,
      spec.programId,
      spec.ownerRef,
      spec.currency,
      spec.kind === 'program_funding',
    ]
  )
  const row =
    created ??
    (
      await rows(
        client,
        `select ${COLUMNS} from ledger_accounts
         where tenant_id = ? and kind = ? and program_id is not distinct from ?::uuid and owner_ref = ?`,
        [spec.tenantId, spec.kind, spec.programId, spec.ownerRef]
      )
    )[0]
  if (!row)
    throw new InvalidPostingError('account_not_visible', {
      kind: spec.kind,
      ownerRef: spec.ownerRef,
    })
  const account = toAccountRow(row)
  if (account.currency !== spec.currency) {
    throw new CurrencyMismatchError({
      expected: account.currency,
      actual: spec.currency,
      accountId: account.id,
    })
  }
  return account
}

/** The account with this id (visible in the current scope), or null. */
export async function findAccount(
  id: string,
  client: RawClient = scopedClient()
): Promise<LedgerAccountRow | null> {
  const [row] = await rows(client, `select ${COLUMNS} from ledger_accounts where id = ?`, [id])
  return row ? toAccountRow(row) : null
}

/** The currency of a program: that of its current version. */
export async function programCurrency(
  program: ProgramRef,
  client: RawClient = scopedClient()
): Promise<Currency> {
  const [row] = await rows(
    client,
    `select pv.currency from programs p
     join program_versions pv on pv.tenant_id = p.tenant_id and pv.program_id = p.id and pv.version = p.current_version
     where p.tenant_id = ? and p.id = ?`,
    [program.tenantId, program.id]
  )
  if (!row) throw new InvalidPostingError('program_not_found', { programId: program.id })
  return String(row.currency).trim() as Currency
}

/** The currency of a tenant (tenants.currency), unless the reference already carries it. */
async function tenantCurrency(tenant: TenantRef, client: RawClient): Promise<Currency> {
  if (typeof tenant !== 'string' && tenant.currency) return tenant.currency as Currency
  const id = typeof tenant === 'string' ? tenant : tenant.id
  const [row] = await rows(client, `select currency from tenants where id = ?`, [id])
  if (!row) throw new InvalidPostingError('tenant_not_found', { tenantId: id })
  return String(row.currency).trim() as Currency
}

async function programAccount(
  program: ProgramRef,
  kind: AccountKind,
  ownerRef: string,
  currency: string | undefined,
  client: RawClient
) {
  return getOrCreateAccount(
    {
      tenantId: program.tenantId,
      kind,
      programId: program.id,
      ownerRef,
      currency: currency ?? (await programCurrency(program, client)),
    },
    client
  )
}

/**
 * The funding source of a program: the funder's side, the only account allowed to go
 * negative (its balance is minus what has been put into the budget).
 */
export function programFundingAccount(
  program: ProgramRef,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'program_funding', program.id, currency, client)
}

/** The program's budget not yet granted; never negative, so it caps every grant. */
export function programBudgetAccount(
  program: ProgramRef,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'program_budget', program.id, currency, client)
}

/** A child's credit in a program (amKREDIT), owned by `childRef` (the child's id). */
export function childCreditAccount(
  program: ProgramRef,
  childRef: string,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'child_credit', childRef, currency, client)
}

/** The account behind one voucher (amVOUCHER), owned by the voucher's id. */
export function voucherAccount(
  program: ProgramRef,
  voucherId: string,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'voucher', voucherId, currency, client)
}

/** Money held for one booking awaiting approval (the "Reservation" state), owned by the booking's ref. */
export function reservationAccount(
  program: ProgramRef,
  reservationRef: string,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'reservation', reservationRef, currency, client)
}

/** Where a program's unspent credit and vouchers go when they expire. */
export function expiredAccount(
  program: ProgramRef,
  currency?: string,
  client: RawClient = scopedClient()
) {
  return programAccount(program, 'expired', program.id, currency, client)
}

/** What a tenant owes a provider organisation for spent credit and vouchers, across its programs. */
export async function providerPayable(
  tenant: TenantRef,
  organizationId: string,
  currency?: string,
  client: RawClient = scopedClient()
) {
  const tenantId = typeof tenant === 'string' ? tenant : tenant.id
  return getOrCreateAccount(
    {
      tenantId,
      kind: 'provider_payable',
      programId: null,
      ownerRef: organizationId,
      currency: currency ?? (await tenantCurrency(tenant, client)),
    },
    client
  )
}

/** Money a tenant has sent out to providers' bank accounts (the end of the chain). */
export async function payoutClearing(
  tenant: TenantRef,
  currency?: string,
  client: RawClient = scopedClient()
) {
  const tenantId = typeof tenant === 'string' ? tenant : tenant.id
  return getOrCreateAccount(
    {
      tenantId,
      kind: 'payout_clearing',
      programId: null,
      ownerRef: 'bank',
      currency: currency ?? (await tenantCurrency(tenant, client)),
    },
    client
  )
}
