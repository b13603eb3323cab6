/*
 * The ledger's invariants as SQL (each one statement, so it reads one consistent snapshot and
 * runs as set-based aggregates over the indexes, fast at scale). Used by `node ace ledger:check`
 * and by the contract tests. Run them in a platform scope to check every tenant, or in a
 * tenant scope to check one.
 */
import { pgArray, rows, type RawClient } from './sql.js'

/** The names of the invariants. */
export const INVARIANTS = [
  'transaction_balanced',
  'cached_balance',
  'non_negative',
  'never_negative',
  'program_conservation',
  'program_funding',
  'issued_within_budget',
] as const

/** One invariant's name. */
export type InvariantName = (typeof INVARIANTS)[number]

/** One broken invariant: which, where, and what was found. */
export interface LedgerViolation {
  invariant: InvariantName
  tenantId: string
  subject: string
  detail: string
}

/** Limits a check to one tenant and/or some programs (tenant-level accounts are always included). */
export interface InvariantFilter {
  tenantId?: string
  programIds?: readonly string[]
}

function filterSql(filter: InvariantFilter, alias: string, programColumn: string | null) {
  const clauses: string[] = []
  const bindings: unknown[] = []
  if (filter.tenantId) {
    clauses.push(`${alias}.tenant_id = ?`)
    bindings.push(filter.tenantId)
  }
  if (filter.programIds && programColumn) {
    clauses.push(
      `(${alias}.${programColumn} is null or ${alias}.${programColumn} = any(?::uuid[]))`
    )
    bindings.push(pgArray(filter.programIds))
  }
  return { sql: clauses.length ? clauses.join(' and ') : 'true', bindings }
}

/** Every transaction has two or more entries and sums to zero in each currency. */
export async function unbalancedTransactions(client: RawClient, filter: InvariantFilter = {}) {
  const where = filterSql(filter, 't', 'program_id')
  const found = await rows(
    client,
    `select t.tenant_id, t.id, t.kind, s.currency, s.total, s.entries
     from ledger_transactions t
     join (
       select e.tenant_id, e.transaction_id, null::text as currency, count(*)::bigint as total, count(*)::int as entries
       from ledger_entries e group by e.tenant_id, e.transaction_id having count(*) < 2
       union all
       select e.tenant_id, e.transaction_id, e.currency::text, sum(e.amount)::bigint, count(*)::int
       from ledger_entries e group by e.tenant_id, e.transaction_id, e.currency having sum(e.amount) <> 0
     ) s on s.tenant_id = t.tenant_id and s.transaction_id = t.id
     where ${where.sql}
     union all
     select t.tenant_id, t.id, t.kind, null, 0, 0
     from ledger_transactions t
     where ${where.sql} and not exists (
       select 1 from ledger_entries e where e.tenant_id = t.tenant_id and e.transaction_id = t.id)
     order by 1, 2`,
    [...where.bindings, ...where.bindings]
  )
  return found.map<LedgerViolation>((row) => ({
    invariant: 'transaction_balanced',
    tenantId: row.tenant_id,
    subject: `transaction ${row.id} (${row.kind})`,
    detail:
      row.currency === null
        ? `has ${row.entries} entries; a posting needs at least two`
        : `sums to ${row.total} ${String(row.currency).trim()} instead of 0`,
  }))
}

const ACCOUNT_SUMS = `
  select a.tenant_id, a.id, a.kind, a.program_id, a.owner_ref, a.currency, a.allow_negative, a.cached_balance,
    coalesce(s.total, 0)::bigint as total
  from ledger_accounts a
  left join (
    select e.tenant_id, e.account_id, sum(e.amount)::bigint as total from ledger_entries e group by e.tenant_id, e.account_id
  ) s on s.tenant_id = a.tenant_id and s.account_id = a.id`

/** Every account's cached balance equals the sum of its entries. */
export async function cachedBalanceMismatches(client: RawClient, filter: InvariantFilter = {}) {
  const where = filterSql(filter, 'a', 'program_id')
  const found = await rows(
    client,
    `${ACCOUNT_SUMS} where ${where.sql} and a.cached_balance <> coalesce(s.total, 0) order by a.tenant_id, a.id`,
    where.bindings
  )
  return found.map<LedgerViolation>((row) => ({
    invariant: 'cached_balance',
    tenantId: row.tenant_id,
    subject: `account ${row.id} (${row.kind} ${row.owner_ref})`,
    detail: `cached balance ${row.cached_balance} but entries sum to ${row.total}`,
  }))
}

/** No account that forbids it has a negative balance (cached or summed). */
export async function negativeBalances(client: RawClient, filter: InvariantFilter = {}) {
  const where = filterSql(filter, 'a', 'program_id')
  const found = await rows(
    client,
    `${ACCOUNT_SUMS} where ${where.sql} and not a.allow_negative and (a.cached_balance < 0 or coalesce(s.total, 0) < 0)
     order by a.tenant_id, a.id`,
    where.bindings
  )
  return found.map<LedgerViolation>((row) => ({
    invariant: 'non_negative',
    tenantId: row.tenant_id,
    subject: `account ${row.id} (${row.kind} ${row.owner_ref})`,
    detail: `balance ${row.total} (cached ${row.cached_balance}) is negative`,
  }))
}

/**
 * No account that forbids it was ever negative: the running balance in posting order (entries'
 * seq, taken under the account's lock, so it follows commit order per account) never dips
 * below zero.
 */
export async function everNegativeBalances(client: RawClient, filter: InvariantFilter = {}) {
  const where = filterSql(filter, 'a', 'program_id')
  const found = await rows(
    client,
    `select x.tenant_id, x.account_id, x.kind, min(x.running)::bigint as lowest
     from (
       select e.tenant_id, e.account_id, a.kind,
         sum(e.amount) over (partition by e.tenant_id, e.account_id order by e.seq) as running
       from ledger_entries e
       join ledger_accounts a on a.tenant_id = e.tenant_id and a.id = e.account_id
       where ${where.sql} and not a.allow_negative
     ) x
     group by x.tenant_id, x.account_id, x.kind
     having min(x.running) < 0
     order by 1, 2`,
    where.bindings
  )
  return found.map<LedgerViolation>((row) => ({
    invariant: 'never_negative',
    tenantId: row.tenant_id,
    subject: `account ${row.account_id} (${row.kind})`,
    detail: `running balance went down to ${row.lowest}`,
  }))
}

/** The per-program figures the program invariants compare (minor units, one currency). */
export interface ProgramFigures {
  tenantId: string
  programId: string
  currency: string
  /** Put into the budget from the funding source. */
  funded: number
  /** Still in the budget account, not yet granted. */
  unissued: number
  /** Granted to children (grants minus reversed grants). */
  issued: number
  /** Paid to providers (spends minus reversed spends). */
  spent: number
  /** On children's credit and voucher accounts. */
  available: number
  /** Held for bookings awaiting approval. */
  reserved: number
  /** Expired. */
  expired: number
  /** The budget of the program's current version (null when the version is missing or in another currency). */
  budget: number | null
}

/** The per-program figures, from account balances and from the grant and spend transactions. */
export async function programFigures(
  client: RawClient,
  filter: InvariantFilter = {}
): Promise<ProgramFigures[]> {
  const where = filterSql(filter, 'a', null)
  const programWhere = filter.programIds ? `and a.program_id = any(?::uuid[])` : ''
  const programBinding = filter.programIds ? [pgArray(filter.programIds)] : []
  const found = await rows(
    client,
    `with balances as (
       select a.tenant_id, a.program_id, a.currency,
         sum(case when a.kind = 'program_funding' then -a.cached_balance else 0 end)::bigint as funded,
         sum(case when a.kind = 'program_budget' then a.cached_balance else 0 end)::bigint as unissued,
         sum(case when a.kind in ('child_credit', 'voucher') then a.cached_balance else 0 end)::bigint as available,
         sum(case when a.kind = 'reservation' then a.cached_balance else 0 end)::bigint as reserved,
         sum(case when a.kind = 'expired' then a.cached_balance else 0 end)::bigint as expired
       from ledger_accounts a
       where a.program_id is not null and ${where.sql} ${programWhere}
       group by a.tenant_id, a.program_id, a.currency
     ),
     flows as (
       select t.tenant_id, t.program_id, e.currency,
         sum(case when coalesce(r.kind, t.kind) = 'grant' and a.kind in ('child_credit', 'voucher') then e.amount else 0 end)::bigint as issued,
         sum(case when coalesce(r.kind, t.kind) = 'spend' and a.kind = 'provider_payable' then e.amount else 0 end)::bigint as spent
       from ledger_transactions t
       left join ledger_transactions r on r.tenant_id = t.tenant_id and r.id = t.reverses_id
       join ledger_entries e on e.tenant_id = t.tenant_id and e.transaction_id = t.id
       join ledger_accounts a on a.tenant_id = e.tenant_id and a.id = e.account_id
       where t.program_id is not null and coalesce(r.kind, t.kind) in ('grant', 'spend')
       group by t.tenant_id, t.program_id, e.currency
     ),
     budgets as (
       select p.tenant_id, p.id as program_id, pv.currency, pv.budget_minor
       from programs p
       join program_versions pv on pv.tenant_id = p.tenant_id and pv.program_id = p.id and pv.version = p.current_version
     )
     select b.tenant_id, b.program_id, b.currency, b.funded, b.unissued, b.available, b.reserved, b.expired,
       coalesce(f.issued, 0)::bigint as issued, coalesce(f.spent, 0)::bigint as spent, g.budget_minor
     from balances b
     left join flows f on f.tenant_id = b.tenant_id and f.program_id = b.program_id and f.currency = b.currency
     left join budgets g on g.tenant_id = b.tenant_id and g.program_id = b.program_id and g.currency = b.currency
     order by b.tenant_id, b.program_id, b.currency`,
    [...where.bindings, ...programBinding]
  )
  return found.map((row) => ({
    tenantId: row.tenant_id,
    programId: row.program_id,
    currency: String(row.currency).trim(),
    funded: Number(row.funded),
    unissued: Number(row.unissued),
    issued: Number(row.issued),
    spent: Number(row.spent),
    available: Number(row.available),
    reserved: Number(row.reserved),
    expired: Number(row.expired),
    budget: row.budget_minor === null ? null : Number(row.budget_minor),
  }))
}

/**
 * Per program: issued = spent + available + reserved + expired (every granted koruna is
 * somewhere), issued = funded − unissued (the budget only ever fed grants), issued ≤ budget.
 */
export async function programViolations(client: RawClient, filter: InvariantFilter = {}) {
  const violations: LedgerViolation[] = []
  for (const p of await programFigures(client, filter)) {
    const subject = `program ${p.programId} (${p.currency})`
    const accounted = p.spent + p.available + p.reserved + p.expired
    if (p.issued !== accounted) {
      violations.push({
        invariant: 'program_conservation',
        tenantId: p.tenantId,
        subject,
        detail: `issued ${p.issued} ≠ spent ${p.spent} + available ${p.available} + reserved ${p.reserved} + expired ${p.expired} (= ${accounted})`,
      })
    }
    if (p.issued !== p.funded - p.unissued) {
      violations.push({
        invariant: 'program_funding',
        tenantId: p.tenantId,
        subject,
        detail: `issued ${p.issued} ≠ funded ${p.funded} − unissued budget ${p.unissued}`,
      })
    }
    if (p.budget === null || p.issued > p.budget) {
      violations.push({
        invariant: 'issued_within_budget',
        tenantId: p.tenantId,
        subject,
        detail:
          p.budget === null
            ? `issued ${p.issued} but the current version has no budget in ${p.currency}`
            : `issued ${p.issued} exceeds the budget ${p.budget}`,
      })
    }
  }
  return violations
}

/** Runs every invariant; an empty list means the ledger is sound. */
export async function checkLedgerInvariants(client: RawClient, filter: InvariantFilter = {}) {
  return [
    ...(await unbalancedTransactions(client, filter)),
    ...(await cachedBalanceMismatches(client, filter)),
    ...(await negativeBalances(client, filter)),
    ...(await everNegativeBalances(client, filter)),
    ...(await programViolations(client, filter)),
  ]
}
