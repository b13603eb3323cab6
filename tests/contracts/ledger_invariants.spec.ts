/*
 * Ledger contracts, against the real PostgreSQL through the runtime role (row-level security
 * applies): idempotency, balance, overspend, budget cap, append-only, reversal, and a property
 * test that drives random concurrent operations over several scopes at once and then checks
 * every invariant of app/ledger/invariants.ts.
 *
 * Fixtures: throw-away draft programs in the demo tenant praha-17, created through the owner
 * connection. Their ledger rows stay (the ledger is append-only, and `node ace ledger:check`
 * after the suites checks them too).
 */
import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import fc from 'fast-check'
import db from '@adonisjs/lucid/services/db'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'
import { asOwner, tenantIdsBySlug } from '#tests/helpers/db'
import { execa } from '#tests/helpers/exec'
import {
  expiredAccount,
  programBudgetAccount,
  providerPayable,
  reservationAccount,
  type LedgerAccountRow,
  type ProgramRef,
} from '#ledger/accounts'
import {
  AlreadyReversedError,
  BudgetExhaustedError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientFundsError,
  InvalidPostingError,
  LedgerError,
  UnbalancedPostingError,
} from '#ledger/errors'
import { grantBenefit, type BenefitLine } from '#ledger/grants'
import { checkLedgerInvariants, programFigures } from '#ledger/invariants'
import { balance, findTransactionByKey, post, reverse } from '#ledger/ledger'
import { expireRemaining, release, reserve, spend } from '#ledger/operations'

const TENANT_SLUG = 'praha-17'
const VERSION = { version: 1, currency: 'CZK' }

let tenantId = ''

/** Runs `work` in a staff scope of the test tenant (runtime role, row-level security on). */
function inTenant<T>(work: () => Promise<T>): Promise<T> {
  return withTenantScope({ tenantId, userId: null, platform: false, staff: true }, work)
}

function inPlatform<T>(work: () => Promise<T>): Promise<T> {
  return withTenantScope({ tenantId: null, userId: null, platform: true }, work)
}

async function captureError(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  return undefined
}

/** A draft program with one version and the given budget, created by the owner. */
async function createProgram(budgetMinor: number): Promise<ProgramRef> {
  const slug = `ledger-test-${randomUUID().slice(0, 12)}`
  return asOwner(async (trx) => {
    const [program] = await trx
      .insertQuery()
      .table('programs')
      .insert({ tenant_id: tenantId, slug, plugin_id: 'voucher', status: 'draft' })
      .returning(['tenant_id', 'id'])
    await trx
      .insertQuery()
      .table('program_versions')
      .insert({
        tenant_id: tenantId,
        program_id: (program as any).id,
        version: 1,
        name: JSON.stringify({ cs: `Test ledgeru ${slug}` }),
        audience: JSON.stringify({ scope: 'residents' }),
        currency: 'CZK',
        budget_minor: budgetMinor,
      })
    return { tenantId, id: (program as any).id as string }
  })
}

async function setBudget(program: ProgramRef, budgetMinor: number) {
  await asOwner((trx) =>
    trx
      .from('program_versions')
      .where({ tenant_id: program.tenantId, program_id: program.id, version: 1 })
      .update({ budget_minor: budgetMinor })
  )
}

async function balanceOf(account: { id: string }) {
  return inTenant(() => balance(account.id))
}

async function assertSound(assert: any, programIds: string[]) {
  const violations = await inPlatform(() =>
    checkLedgerInvariants(scopedClient(), { tenantId, programIds })
  )
  assert.deepEqual(
    violations,
    [],
    `ledger invariants violated:\n${JSON.stringify(violations, null, 2)}`
  )
}

/** A grant of `vouchers` vouchers of `face` each and/or `credit` of credit to a new child. */
function grant(
  program: ProgramRef,
  options: { vouchers?: number; face?: number; credit?: number; child?: string; key?: string }
) {
  const benefits: BenefitLine[] = []
  if (options.vouchers)
    benefits.push({
      kind: 'voucher' as const,
      amountMinor: options.face ?? 100_000,
      count: options.vouchers,
    })
  if (options.credit)
    benefits.push({ kind: 'credit' as const, amountMinor: options.credit, count: 1 })
  return inTenant(() =>
    grantBenefit({
      program,
      version: VERSION,
      childRef: options.child ?? randomUUID(),
      benefits,
      idempotencyKey: options.key ?? `grant:${randomUUID()}`,
      periodKey: '2026-h2',
    })
  )
}

function newProvider() {
  return inTenant(() => providerPayable(tenantId, randomUUID()))
}

test.group('Contracts / ledger invariants', (group) => {
  group.setup(async () => {
    tenantId = (await tenantIdsBySlug()).get(TENANT_SLUG)!
  })

  test('an idempotent retry returns the same transaction and posts once', async ({ assert }) => {
    const program = await createProgram(1_000_000)
    const provider = await newProvider()
    const granted = await grant(program, { credit: 50_000, child: 'child-idem', key: 'grant:idem' })
    const creditId = granted.credit!.accountId

    // The grant itself: a retry returns the same transaction and vouchers, and grants nothing more.
    const again = await grant(program, { credit: 50_000, child: 'child-idem', key: 'grant:idem' })
    assert.isTrue(again.replayed)
    assert.equal(again.transaction.id, granted.transaction.id)
    assert.equal((await balanceOf({ id: creditId })).balance, 50_000)
    const otherGrant = await captureError(() =>
      grant(program, { credit: 40_000, child: 'child-idem', key: 'grant:idem' })
    )
    assert.instanceOf(otherGrant, IdempotencyConflictError)

    const key = `spend:${randomUUID()}`
    const doSpend = () =>
      inTenant(() =>
        spend({ tenantId, from: creditId, provider, amountMinor: 12_000, idempotencyKey: key })
      )
    const first = await doSpend()
    const second = await doSpend()
    // Retries racing each other: each waits on the claimed key, then finds the posting.
    const concurrent = await Promise.all([doSpend(), doSpend(), doSpend()])
    assert.isFalse(first.replayed)
    assert.isTrue(second.replayed)
    for (const result of [second, ...concurrent]) assert.equal(result.id, first.id)
    assert.deepEqual(await balanceOf({ id: creditId }), {
      accountId: creditId,
      currency: 'CZK',
      balance: 38_000,
      cached: 38_000,
    })
    const stored = await inTenant(() =>
      scopedClient()
        .from('ledger_transactions')
        .where({ tenant_id: tenantId, idempotency_key: key })
        .count('* as n')
    )
    assert.equal(Number(stored[0].n), 1)

    // The same key for a different posting is refused, and nothing changes.
    const conflict = await captureError(() =>
      inTenant(() =>
        spend({ tenantId, from: creditId, provider, amountMinor: 13_000, idempotencyKey: key })
      )
    )
    assert.instanceOf(conflict, IdempotencyConflictError)
    assert.equal((conflict as LedgerError).key, 'ledger.idempotency_conflict')
    assert.equal((await balanceOf({ id: creditId })).balance, 38_000)

    // A concurrent first attempt that rolls back leaves the key free for the retry.
    const rolledBack = `spend:${randomUUID()}`
    await captureError(() =>
      inTenant(async () => {
        await spend({
          tenantId,
          from: creditId,
          provider,
          amountMinor: 1_000,
          idempotencyKey: rolledBack,
        })
        throw new Error('the request failed after posting')
      })
    )
    assert.isNull(await inTenant(() => findTransactionByKey(tenantId, rolledBack)))
    const retried = await inTenant(() =>
      spend({ tenantId, from: creditId, provider, amountMinor: 1_000, idempotencyKey: rolledBack })
    )
    assert.isFalse(retried.replayed)
    await assertSound(assert, [program.id])
  })

  test('an unbalanced or malformed posting is refused and leaves nothing', async ({ assert }) => {
    const program = await createProgram(1_000_000)
    const provider = await newProvider()
    const granted = await grant(program, { vouchers: 1, face: 100_000 })
    const voucher = granted.vouchers[0]
    const key = `unbalanced:${randomUUID()}`

    const unbalanced = await captureError(() =>
      inTenant(() =>
        post({
          tenantId,
          idempotencyKey: key,
          kind: 'spend',
          entries: [
            { account: voucher.accountId, amount: -10_000 },
            { account: provider.id, amount: 9_999 },
          ],
        })
      )
    )
    assert.instanceOf(unbalanced, UnbalancedPostingError)
    assert.equal((unbalanced as LedgerError).key, 'ledger.unbalanced')

    const zero = await captureError(() =>
      inTenant(() =>
        post({
          tenantId,
          idempotencyKey: key,
          kind: 'spend',
          entries: [
            { account: voucher.accountId, amount: 0 },
            { account: provider.id, amount: 0 },
          ],
        })
      )
    )
    assert.instanceOf(zero, InvalidPostingError)

    const fractional = await captureError(() =>
      inTenant(() =>
        spend({
          tenantId,
          from: voucher.accountId,
          provider,
          amountMinor: 10.5,
          idempotencyKey: key,
        })
      )
    )
    assert.instanceOf(fractional, InvalidPostingError)

    // A flow the kind does not allow: a "spend" straight out of the budget.
    const budget = await inTenant(() => programBudgetAccount(program))
    const wrongFlow = await captureError(() =>
      inTenant(() =>
        spend({ tenantId, from: budget, provider, amountMinor: 1_000, idempotencyKey: key })
      )
    )
    assert.instanceOf(wrongFlow, InvalidPostingError)

    // Currency: a line in another currency than its account, and an account wanted in another currency.
    const mismatch = await captureError(() =>
      inTenant(() =>
        post({
          tenantId,
          idempotencyKey: key,
          kind: 'spend',
          entries: [
            { account: voucher.accountId, amount: -1_000, currency: 'EUR' },
            { account: provider.id, amount: 1_000, currency: 'EUR' },
          ],
        })
      )
    )
    assert.instanceOf(mismatch, CurrencyMismatchError)
    assert.equal((mismatch as LedgerError).key, 'ledger.currency_mismatch')
    const otherCurrency = await captureError(() =>
      inTenant(() => providerPayable(tenantId, provider.ownerRef, 'EUR'))
    )
    assert.instanceOf(otherCurrency, CurrencyMismatchError)

    // Nothing was written, the key is still free, the voucher is untouched.
    assert.isNull(await inTenant(() => findTransactionByKey(tenantId, key)))
    assert.equal((await balanceOf({ id: voucher.accountId })).balance, 100_000)

    // The database refuses an unbalanced transaction even when the app is bypassed: its deferred
    // check runs at commit, or as soon as constraints are set immediate.
    const writeUnbalanced = async () => {
      const [row] = await scopedClient()
        .insertQuery()
        .table('ledger_transactions')
        .insert({
          tenant_id: tenantId,
          idempotency_key: key,
          kind: 'spend',
          program_id: program.id,
        })
        .returning('id')
      const transactionId = (row as any).id ?? row
      await scopedClient()
        .insertQuery()
        .table('ledger_entries')
        .multiInsert([
          {
            tenant_id: tenantId,
            transaction_id: transactionId,
            account_id: voucher.accountId,
            amount: -5_000,
            currency: 'CZK',
          },
          {
            tenant_id: tenantId,
            transaction_id: transactionId,
            account_id: provider.id,
            amount: 4_000,
            currency: 'CZK',
          },
        ])
    }
    const bypass = await captureError(() =>
      inTenant(async () => {
        await writeUnbalanced()
        await scopedClient().rawQuery('set constraints all immediate')
      })
    )
    assert.match(String((bypass as Error)?.message), /does not balance/)
    const lonely = await captureError(() =>
      inTenant(async () => {
        await scopedClient().insertQuery().table('ledger_transactions').insert({
          tenant_id: tenantId,
          idempotency_key: key,
          kind: 'spend',
          program_id: program.id,
        })
        await scopedClient().rawQuery('set constraints all immediate')
      })
    )
    assert.match(String((lonely as Error)?.message), /at least two/)
    // Left to the commit, the check refuses it there: nothing is stored.
    await captureError(() => inTenant(writeUnbalanced))
    assert.isNull(await inTenant(() => findTransactionByKey(tenantId, key)))
    // An entry in another currency than its account cannot even be written.
    const wrongCurrency = await captureError(() =>
      inTenant(async () => {
        const existing = granted.transaction.id
        await scopedClient().insertQuery().table('ledger_entries').insert({
          tenant_id: tenantId,
          transaction_id: existing,
          account_id: provider.id,
          amount: 1,
          currency: 'EUR',
        })
      })
    )
    assert.match(String((wrongCurrency as Error)?.message), /foreign key/)
    assert.isNull(await inTenant(() => findTransactionByKey(tenantId, key)))
    await assertSound(assert, [program.id])
  })

  test('overspending a voucher or a credit is refused', async ({ assert }) => {
    const program = await createProgram(1_000_000)
    const provider = await newProvider()
    const granted = await grant(program, { vouchers: 1, face: 100_000, credit: 30_000 })
    const voucher = granted.vouchers[0]

    const over = await captureError(() =>
      inTenant(() =>
        spend({
          tenantId,
          from: voucher.accountId,
          provider,
          amountMinor: 100_001,
          idempotencyKey: randomUUID(),
        })
      )
    )
    assert.instanceOf(over, InsufficientFundsError)
    assert.equal((over as LedgerError).key, 'ledger.insufficient_funds')
    assert.include((over as LedgerError).values, { available: 100_000, requested: 100_001 })

    await inTenant(() =>
      spend({
        tenantId,
        from: granted.credit!.accountId,
        provider,
        amountMinor: 30_000,
        idempotencyKey: randomUUID(),
      })
    )
    const empty = await captureError(() =>
      inTenant(() =>
        spend({
          tenantId,
          from: granted.credit!.accountId,
          provider,
          amountMinor: 1,
          idempotencyKey: randomUUID(),
        })
      )
    )
    assert.instanceOf(empty, InsufficientFundsError)

    // A refusal inside a larger unit of work leaves that unit usable (the posting's savepoint rolls back).
    const afterRefusal = await inTenant(async () => {
      await captureError(() =>
        spend({
          tenantId,
          from: voucher.accountId,
          provider,
          amountMinor: 200_000,
          idempotencyKey: randomUUID(),
        })
      )
      return spend({
        tenantId,
        from: voucher.accountId,
        provider,
        amountMinor: 40_000,
        idempotencyKey: randomUUID(),
      })
    })
    assert.isFalse(afterRefusal.replayed)
    assert.equal((await balanceOf({ id: voucher.accountId })).balance, 60_000)

    // The database refuses a negative balance on such an account even when the app is bypassed.
    const bypass = await captureError(() =>
      inTenant(() =>
        scopedClient()
          .from('ledger_accounts')
          .where({ tenant_id: tenantId, id: voucher.accountId })
          .update({ cached_balance: -1 })
      )
    )
    assert.match(String((bypass as Error)?.message), /check constraint/)
    await assertSound(assert, [program.id])
  })

  test('two concurrent spends of one voucher: one succeeds, the other is refused', async ({
    assert,
  }) => {
    const program = await createProgram(1_000_000)
    const provider = await newProvider()
    const voucher = (await grant(program, { vouchers: 1, face: 100_000 })).vouchers[0]

    // Both tills open their transaction and read the voucher before either spends.
    let arrived = 0
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const till = (name: string) =>
      inTenant(async () => {
        const seen = await balance(voucher.accountId)
        arrived += 1
        if (arrived === 2) open()
        await gate
        const posted = await spend({
          tenantId,
          from: voucher.accountId,
          provider,
          amountMinor: 100_000,
          idempotencyKey: `till:${name}:${randomUUID()}`,
        })
        return { seen: seen.balance, posted }
      })
    const results = await Promise.allSettled([till('a'), till('b')])
    const fulfilled = results.filter(
      (r) => r.status === 'fulfilled'
    ) as PromiseFulfilledResult<any>[]
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    assert.lengthOf(fulfilled, 1, 'exactly one till may spend the voucher')
    assert.lengthOf(rejected, 1)
    assert.instanceOf(rejected[0].reason, InsufficientFundsError)
    // Both saw the full voucher before spending: the refusal came from the locked re-check.
    assert.equal(fulfilled[0].value.seen, 100_000)
    assert.equal((await balanceOf({ id: voucher.accountId })).balance, 0)
    assert.equal((await balanceOf(provider)).balance, 100_000)
    await assertSound(assert, [program.id])
  })

  test('the budget can never be overdrawn, even by concurrent grants', async ({ assert }) => {
    const program = await createProgram(300_000)
    await grant(program, { vouchers: 2, face: 100_000 })
    const tooMuch = await captureError(() => grant(program, { vouchers: 2, face: 100_000 }))
    assert.instanceOf(tooMuch, BudgetExhaustedError)
    assert.equal((tooMuch as LedgerError).key, 'ledger.budget_exhausted')

    // Eight grants of 100 000 race for the 100 000 left: exactly one wins.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => grant(program, { vouchers: 1, face: 100_000 }))
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    assert.lengthOf(won, 1)
    for (const failure of lost) assert.instanceOf(failure.reason, BudgetExhaustedError)

    // Raising the budget of the program's version lets grants go on; lowering it takes back only what is unissued.
    await setBudget(program, 500_000)
    await grant(program, { credit: 150_000 })
    await setBudget(program, 400_000)
    const lowered = await captureError(() => grant(program, { credit: 1 }))
    assert.instanceOf(lowered, BudgetExhaustedError)
    const [figures] = await inPlatform(() =>
      programFigures(scopedClient(), { tenantId, programIds: [program.id] })
    )
    // The refused grant's savepoint also rolled back its funding adjustment.
    assert.include(figures, { issued: 450_000, funded: 500_000, unissued: 50_000, budget: 400_000 })

    // (The version's budget now sits below what was issued: the checker reports exactly that.)
    const violations = await inPlatform(() =>
      checkLedgerInvariants(scopedClient(), { tenantId, programIds: [program.id] })
    )
    assert.deepEqual(
      violations.map((v) => v.invariant),
      ['issued_within_budget']
    )
    await setBudget(program, 500_000)
    await assertSound(assert, [program.id])
  })

  test('transactions and entries are append-only for the runtime role (and the owner)', async ({
    assert,
  }) => {
    const program = await createProgram(1_000_000)
    const granted = await grant(program, { vouchers: 1, face: 100_000 })
    const transactionId = granted.transaction.id

    const attempts: [string, () => Promise<unknown>][] = [
      [
        'update entries',
        () =>
          scopedClient()
            .from('ledger_entries')
            .where('transaction_id', transactionId)
            .update({ amount: 1 }),
      ],
      [
        'delete entries',
        () => scopedClient().from('ledger_entries').where('transaction_id', transactionId).delete(),
      ],
      [
        'update transactions',
        () =>
          scopedClient()
            .from('ledger_transactions')
            .where('id', transactionId)
            .update({ kind: 'spend' }),
      ],
      [
        'delete transactions',
        () => scopedClient().from('ledger_transactions').where('id', transactionId).delete(),
      ],
      ['truncate entries', () => scopedClient().rawQuery('truncate ledger_entries')],
      [
        'delete accounts',
        () =>
          scopedClient()
            .from('ledger_accounts')
            .where('id', granted.vouchers[0].accountId)
            .delete(),
      ],
      [
        'change an account’s kind',
        () =>
          scopedClient()
            .from('ledger_accounts')
            .where('id', granted.vouchers[0].accountId)
            .update({ kind: 'expired' }),
      ],
      [
        'change a voucher’s value',
        () =>
          scopedClient()
            .from('ledger_vouchers')
            .where('id', granted.vouchers[0].id)
            .update({ face_value: 1 }),
      ],
      [
        'delete vouchers',
        () => scopedClient().from('ledger_vouchers').where('id', granted.vouchers[0].id).delete(),
      ],
    ]
    for (const [what, attempt] of attempts) {
      const error = await captureError(() => inTenant(attempt))
      assert.match(
        String((error as Error)?.message),
        /append-only|only the|permission denied/,
        `${what} was not refused`
      )
    }
    // Even a statement that matches no row is refused (statement-level trigger).
    const none = await captureError(() =>
      inTenant(() => scopedClient().from('ledger_entries').where('id', randomUUID()).delete())
    )
    assert.match(String((none as Error)?.message), /append-only/)

    // The owner too, unless it asks for maintenance explicitly.
    const owner = await captureError(() =>
      asOwner((trx) => trx.from('ledger_entries').where('transaction_id', transactionId).delete())
    )
    assert.match(String((owner as Error)?.message), /append-only/)

    // Setting the maintenance flag does not help the runtime role (it owns nothing).
    const flagged = await captureError(() =>
      inTenant(async () => {
        await scopedClient().rawQuery(`select set_config('app.ledger_maintenance', 'on', true)`)
        await scopedClient().from('ledger_entries').where('transaction_id', transactionId).delete()
      })
    )
    assert.match(String((flagged as Error)?.message), /append-only/)

    // Status changes of a voucher are allowed.
    await inTenant(() =>
      scopedClient()
        .from('ledger_vouchers')
        .where('id', granted.vouchers[0].id)
        .update({ status: 'cancelled' })
    )
    const entries = await inTenant(() =>
      scopedClient().from('ledger_entries').where('transaction_id', transactionId)
    )
    assert.lengthOf(entries, 2)
    await assertSound(assert, [program.id])
  })

  test('a reversal restores the balances, once', async ({ assert }) => {
    const program = await createProgram(1_000_000)
    const provider = await newProvider()
    const granted = await grant(program, { vouchers: 2, face: 100_000, credit: 20_000 })
    const [a] = granted.vouchers
    const budget = await inTenant(() => programBudgetAccount(program))
    const budgetBefore = (await balanceOf(budget)).balance

    const spent = await inTenant(() =>
      spend({
        tenantId,
        from: a.accountId,
        provider,
        amountMinor: 60_000,
        idempotencyKey: randomUUID(),
      })
    )
    assert.equal((await balanceOf({ id: a.accountId })).balance, 40_000)
    const key = `reverse:${randomUUID()}`
    const reversal = await inTenant(() =>
      reverse(spent.id, key, { memo: { reason: 'child did not attend' } })
    )
    assert.equal(reversal.kind, 'reversal')
    assert.equal(reversal.reversesId, spent.id)
    assert.equal((await balanceOf({ id: a.accountId })).balance, 100_000)
    assert.equal((await balanceOf(provider)).balance, 0)

    // The same key replays; another key finds it already reversed; a reversal is not reversed.
    assert.equal((await inTenant(() => reverse(spent.id, key))).id, reversal.id)
    assert.instanceOf(
      await captureError(() => inTenant(() => reverse(spent.id, randomUUID()))),
      AlreadyReversedError
    )
    assert.instanceOf(
      await captureError(() => inTenant(() => reverse(reversal.id, randomUUID()))),
      InvalidPostingError
    )

    // Concurrent reversals of one transaction with different keys: exactly one wins.
    const second = await inTenant(() =>
      spend({
        tenantId,
        from: a.accountId,
        provider,
        amountMinor: 10_000,
        idempotencyKey: randomUUID(),
      })
    )
    const raced = await Promise.allSettled(
      [1, 2, 3].map(() => inTenant(() => reverse(second.id, randomUUID())))
    )
    assert.lengthOf(
      raced.filter((r) => r.status === 'fulfilled'),
      1
    )
    for (const r of raced.filter((x) => x.status === 'rejected') as PromiseRejectedResult[]) {
      assert.instanceOf(r.reason, AlreadyReversedError)
    }

    // A grant whose voucher was partly spent cannot be reversed (the voucher would go negative)...
    await inTenant(() =>
      spend({
        tenantId,
        from: a.accountId,
        provider,
        amountMinor: 1_000,
        idempotencyKey: randomUUID(),
      })
    )
    assert.instanceOf(
      await captureError(() => inTenant(() => reverse(granted.transaction.id, randomUUID()))),
      InsufficientFundsError
    )
    // ...but once that spend is reversed too, the whole grant goes back to the budget.
    const lastSpend = await inTenant(async () => {
      const rows = await scopedClient()
        .from('ledger_transactions')
        .where({ tenant_id: tenantId, program_id: program.id, kind: 'spend' })
        .whereNotExists((q) =>
          q
            .from('ledger_transactions as r')
            .whereRaw(
              'r.tenant_id = ledger_transactions.tenant_id and r.reverses_id = ledger_transactions.id'
            )
        )
        .select('id')
      return rows.map((row) => row.id)
    })
    for (const id of lastSpend) await inTenant(() => reverse(id, randomUUID()))
    await inTenant(() => reverse(granted.transaction.id, randomUUID()))
    assert.equal((await balanceOf(budget)).balance, budgetBefore + 220_000)
    for (const voucher of granted.vouchers)
      assert.equal((await balanceOf({ id: voucher.accountId })).balance, 0)
    assert.equal((await balanceOf({ id: granted.credit!.accountId })).balance, 0)
    await assertSound(assert, [program.id])
  })

  test('random concurrent operations over several scopes keep every invariant (property)', async ({
    assert,
  }) => {
    type Single =
      | {
          t: 'grant'
          child: number
          kind: 'credit' | 'voucher'
          amount: number
          count: number
          key: number
        }
      | { t: 'spend'; from: number; provider: number; amount: number; key: number }
      | { t: 'reserve'; from: number; amount: number; key: number }
      | { t: 'release'; reservation: number; key: number }
      | { t: 'expire'; from: number; key: number }
      | { t: 'reverse'; transaction: number; key: number }
    type Op =
      | Single
      | { t: 'retry'; index: number } // an earlier operation again, same key and shape
      | { t: 'twin'; op: Single } // one operation sent twice at once (a double-click, a retrying client)
      | { t: 'raise'; amount: number } // the program's budget is raised meanwhile

    const key = fc.nat(5) // few keys per kind: reused keys meet different shapes (conflicts) and retries
    const single: fc.Arbitrary<Single> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          t: fc.constant('grant' as const),
          child: fc.nat(3),
          kind: fc.constantFrom('credit' as const, 'voucher' as const),
          amount: fc.integer({ min: 1, max: 40_000 }),
          count: fc.integer({ min: 1, max: 3 }),
          key,
        }),
      },
      {
        weight: 6,
        arbitrary: fc.record({
          t: fc.constant('spend' as const),
          from: fc.nat(50),
          provider: fc.nat(2),
          amount: fc.integer({ min: 1, max: 30_000 }),
          key,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          t: fc.constant('reserve' as const),
          from: fc.nat(50),
          amount: fc.integer({ min: 1, max: 20_000 }),
          key,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ t: fc.constant('release' as const), reservation: fc.nat(50), key }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ t: fc.constant('expire' as const), from: fc.nat(50), key }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ t: fc.constant('reverse' as const), transaction: fc.nat(50), key }),
      }
    )
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 12, arbitrary: single },
      { weight: 2, arbitrary: fc.record({ t: fc.constant('retry' as const), index: fc.nat(200) }) },
      { weight: 2, arbitrary: fc.record({ t: fc.constant('twin' as const), op: single }) },
      {
        weight: 1,
        arbitrary: fc.record({
          t: fc.constant('raise' as const),
          amount: fc.integer({ min: 1, max: 50_000 }),
        }),
      }
    )
    // Up to 6 operations at once (each in its own scope; a twin takes two): within the app pool of 10.
    const batches = fc.array(fc.array(op, { minLength: 2, maxLength: 5, size: 'max' }), {
      minLength: 3,
      maxLength: 12,
      size: 'max',
    })

    let runs = 0
    const tally: Record<string, number> = {}
    const count = (what: string) => (tally[what] = (tally[what] ?? 0) + 1)

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 150_000 }),
        batches,
        async (initialBudget, plan) => {
          runs += 1
          const program = await createProgram(initialBudget)
          const providers = await Promise.all([0, 1, 2].map(() => newProvider()))
          const expired = await inTenant(() => expiredAccount(program))
          const run = randomUUID().slice(0, 8)
          const holders: string[] = [] // credit and voucher accounts
          const reservations: { account: LedgerAccountRow; holder: string; amount: number }[] = []
          const transactions: string[] = []
          const byKey = new Map<string, string>() // idempotency key -> the one transaction it may name
          const history: Single[] = []
          let budget = initialBudget
          let granted = 0

          // Most runs start with something to spend: two vouchers, when the budget allows.
          if (initialBudget >= 20_000) {
            const seed = await grant(program, {
              vouchers: 2,
              face: 10_000,
              child: 'child-seed',
              key: `${run}:seed`,
            })
            holders.push(...seed.vouchers.map((voucher) => voucher.accountId))
            transactions.push(seed.transaction.id)
            granted += 20_000
          }

          const keyOf = (name: string, k: number) => `${run}:${name}:${k}`
          const record = (k: string, id: string) => {
            const known = byKey.get(k)
            if (known && known !== id)
              throw new Error(`key ${k} answered two transactions: ${known} and ${id}`)
            byKey.set(k, id)
          }

          /** Runs one operation in its own scope; returns the transaction id, or null when it had nothing to act on. */
          const execute = async (operation: Single): Promise<string | null> => {
            switch (operation.t) {
              case 'grant': {
                const k = keyOf('grant', operation.key)
                const result = await inTenant(() =>
                  grantBenefit({
                    program,
                    version: VERSION,
                    childRef: `child-${operation.child}`,
                    benefits: [
                      {
                        kind: operation.kind,
                        amountMinor: operation.amount,
                        count: operation.count,
                      },
                    ],
                    idempotencyKey: k,
                  })
                )
                record(k, result.transaction.id)
                if (!result.replayed) {
                  granted += operation.amount * operation.count
                  if (result.credit && !holders.includes(result.credit.accountId))
                    holders.push(result.credit.accountId)
                  for (const voucher of result.vouchers) holders.push(voucher.accountId)
                  transactions.push(result.transaction.id)
                }
                return result.transaction.id
              }
              case 'spend': {
                const pool = [...holders, ...reservations.map((r) => r.account.id)]
                if (!pool.length) return null
                const k = keyOf('spend', operation.key)
                const result = await inTenant(() =>
                  spend({
                    tenantId,
                    from: pool[operation.from % pool.length],
                    provider: providers[operation.provider % providers.length],
                    amountMinor: operation.amount,
                    idempotencyKey: k,
                  })
                )
                record(k, result.id)
                if (!result.replayed) transactions.push(result.id)
                return result.id
              }
              case 'reserve': {
                if (!holders.length) return null
                const k = keyOf('reserve', operation.key)
                const holder = holders[operation.from % holders.length]
                // Concurrent get-or-create of the same reservation account is part of the test.
                const account = await inTenant(() => reservationAccount(program, `booking-${k}`))
                const result = await inTenant(() =>
                  reserve({
                    tenantId,
                    from: holder,
                    reservation: account,
                    amountMinor: operation.amount,
                    idempotencyKey: k,
                  })
                )
                record(k, result.id)
                if (!result.replayed) {
                  reservations.push({ account, holder, amount: operation.amount })
                  transactions.push(result.id)
                }
                return result.id
              }
              case 'release': {
                if (!reservations.length) return null
                const k = keyOf('release', operation.key)
                const held = reservations[operation.reservation % reservations.length]
                const result = await inTenant(() =>
                  release({
                    tenantId,
                    reservation: held.account,
                    to: held.holder,
                    amountMinor: held.amount,
                    idempotencyKey: k,
                  })
                )
                record(k, result.id)
                if (!result.replayed) transactions.push(result.id)
                return result.id
              }
              case 'expire': {
                if (!holders.length) return null
                const k = keyOf('expire', operation.key)
                const result = await inTenant(() =>
                  expireRemaining({
                    account: holders[operation.from % holders.length],
                    expired,
                    idempotencyKey: k,
                  })
                )
                if (!result) return null
                record(k, result.id)
                if (!result.replayed) transactions.push(result.id)
                return result.id
              }
              case 'reverse': {
                if (!transactions.length) return null
                const k = keyOf('reverse', operation.key)
                const result = await inTenant(() =>
                  reverse(transactions[operation.transaction % transactions.length], k)
                )
                record(k, result.id)
                return result.id
              }
            }
          }

          /** Counts an outcome; anything but a typed ledger refusal fails the property (deadlock, constraint, bug). */
          const settle = async (label: string, work: () => Promise<string | null>) => {
            try {
              const id = await work()
              count(id === null ? `${label}: nothing to do` : `${label}: ok`)
              return { ok: true as const, id }
            } catch (error) {
              if (!(error instanceof LedgerError)) throw error
              const reason = (error.values as any)?.reason
              count(`${label}: ${error.key}${reason ? ` (${reason})` : ''}`)
              return { ok: false as const, error }
            }
          }

          const perform = async (operation: Op) => {
            switch (operation.t) {
              case 'raise':
                budget += operation.amount
                await setBudget(program, budget)
                count('raise')
                return
              case 'retry': {
                if (!history.length) return
                const earlier = history[operation.index % history.length]
                await settle(`retry ${earlier.t}`, () => execute(earlier))
                return
              }
              case 'twin': {
                const [a, b] = await Promise.all([
                  settle(`twin ${operation.op.t}`, () => execute(operation.op)),
                  settle(`twin ${operation.op.t}`, () => execute(operation.op)),
                ])
                // The same request twice at once posts at most once; if either went through, both name that posting.
                if (
                  a.ok &&
                  b.ok &&
                  a.id !== b.id &&
                  a.id !== null &&
                  b.id !== null &&
                  operation.op.t !== 'expire'
                ) {
                  throw new Error(`twin ${operation.op.t} posted twice: ${a.id} and ${b.id}`)
                }
                history.push(operation.op)
                return
              }
              default:
                await settle(operation.t, () => execute(operation))
                history.push(operation)
            }
          }

          for (const batch of plan) await Promise.all(batch.map(perform))

          const violations = await inPlatform(() =>
            checkLedgerInvariants(scopedClient(), { tenantId, programIds: [program.id] })
          )
          if (violations.length)
            throw new Error(`invariants violated: ${JSON.stringify(violations, null, 2)}`)
          const [figures] = await inPlatform(() =>
            programFigures(scopedClient(), { tenantId, programIds: [program.id] })
          )
          if (figures.issued > budget)
            throw new Error(`issued ${figures.issued} > budget ${budget}`)
          if (figures.issued > granted)
            throw new Error(`issued ${figures.issued} > sum of successful grants ${granted}`)
          // Each key names at most one stored transaction, the one every caller was answered with.
          const stored = await inTenant(() =>
            scopedClient()
              .from('ledger_transactions')
              .where('tenant_id', tenantId)
              .whereLike('idempotency_key', `${run}:%`)
              .select('idempotency_key', 'id')
          )
          for (const row of stored) {
            const answered = byKey.get(row.idempotency_key)
            if (answered && answered !== row.id)
              throw new Error(`key ${row.idempotency_key}: stored ${row.id}, answered ${answered}`)
          }
          const answeredKeys = [...byKey.keys()]
          const storedKeys = new Set(stored.map((row) => row.idempotency_key))
          const lost = answeredKeys.filter((k) => !storedKeys.has(k))
          if (lost.length) throw new Error(`answered but not stored: ${lost.join(', ')}`)
        }
      ),
      { numRuns: 40, endOnFailure: true }
    )

    const total = (pattern: RegExp) =>
      Object.entries(tally)
        .filter(([label]) => pattern.test(label))
        .reduce((acc, [, n]) => acc + n, 0)
    console.log(`ledger property: ${runs} runs`, JSON.stringify(tally))
    // The generator must really exercise both sides: successes and every kind of refusal that matters.
    assert.isAbove(total(/: ok$/), 100, 'too few successful operations')
    assert.isAbove(total(/insufficient_funds/), 0, 'no overspend was attempted')
    assert.isAbove(total(/budget_exhausted/), 0, 'the budget was never exhausted')
    assert.isAbove(total(/idempotency_conflict/), 0, 'no key was reused for another posting')
    assert.isAbove(total(/^(twin|retry) /), 0, 'no retry was made')
  }).timeout(120_000)

  test('the invariant checks catch a tampered ledger, and ledger:check exits non-zero on it', async ({
    assert,
  }) => {
    const program = await createProgram(500_000)
    const granted = await grant(program, { credit: 70_000 })
    const credit = granted.credit!.accountId

    // In a transaction that is rolled back: the owner changes a cached balance behind the ledger's back.
    const trx = await db.connection('owner').transaction()
    try {
      await trx.rawQuery(`select set_config('app.platform', 'on', true)`)
      await trx.rawQuery(
        `update ledger_accounts set cached_balance = cached_balance + 5 where id = ?`,
        [credit]
      )
      const violations = await checkLedgerInvariants(trx, { tenantId, programIds: [program.id] })
      assert.sameMembers(
        violations.map((v) => v.invariant),
        ['cached_balance', 'program_conservation']
      )
    } finally {
      await trx.rollback()
    }

    // Committed, then repaired: the command reports it and fails.
    await asOwner((t) =>
      t.rawQuery(`update ledger_accounts set cached_balance = cached_balance + 5 where id = ?`, [
        credit,
      ])
    )
    try {
      const broken = await execa(['ledger:check'])
      assert.equal(broken.code, 1, broken.output)
      assert.include(broken.output, credit)
      assert.include(broken.output, 'cached_balance')
    } finally {
      await asOwner((t) =>
        t.rawQuery(`update ledger_accounts set cached_balance = cached_balance - 5 where id = ?`, [
          credit,
        ])
      )
    }
    const sound = await execa(['ledger:check'])
    assert.equal(sound.code, 0, sound.output)
  }).timeout(60_000)
})
