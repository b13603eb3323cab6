/*
 * outsideTransaction() (app/tenancy/tenant_context.ts): a call to a slow service outside the
 * database (the population register) runs with the unit of work's transaction closed. Guards:
 * nothing is open while the call runs, the rest of the unit of work runs in a new transaction with
 * the same scope, it refuses once the unit of work has written (committing would split it), and a
 * failing call still leaves a scoped transaction that rolls back.
 */
import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  currentTransaction,
  outsideTransaction,
  scopedClient,
  withTenantScope,
  type TenantScope,
} from '#tenancy/tenant_context'
import { readSettings, tenantIdsBySlug } from '#tests/helpers/db'

const backendXid = async () =>
  (await scopedClient().rawQuery(`select txid_current() as xid`)).rows[0].xid as string

/** Connections of this database whose transaction is open and idle (waiting for the app). */
const idleInTransaction = async () =>
  Number(
    (
      await db.connection('owner').rawQuery(
        `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and state like 'idle in transaction%'`
      )
    ).rows[0].n
  )

async function scope(): Promise<TenantScope> {
  const tenantId = (await tenantIdsBySlug()).get('praha-5')!
  return { tenantId, userId: randomUUID(), platform: false }
}

test.group('Contracts / outsideTransaction', () => {
  test('the call runs with no transaction open; the rest runs in a new one with the same scope', async ({
    assert,
  }) => {
    const s = await scope()
    const seen = await withTenantScope(s, async () => {
      const before = await readSettings(scopedClient())
      const during = await outsideTransaction(async () => ({
        scoped: currentTransaction() !== undefined,
        idle: await idleInTransaction(),
        answer: 42,
      }))
      const after = await readSettings(scopedClient())
      return { before, during, after, xid: await backendXid() }
    })
    assert.deepEqual(seen.during, { scoped: false, idle: 0, answer: 42 })
    assert.deepEqual({ ...seen.after, pid: 0 }, { ...seen.before, pid: 0 })
    assert.equal(seen.after.tenantId, s.tenantId)
    assert.equal(seen.after.userId, s.userId)
    assert.match(seen.xid, /^\d+$/)
  })

  test('it refuses once the unit of work has written, and that unit of work rolls back', async ({
    assert,
  }) => {
    let called = false
    const s = await scope()
    await assert.rejects(
      () =>
        withTenantScope(s, async () => {
          await backendXid() // assigns a transaction id, as any write does
          await outsideTransaction(async () => {
            called = true
          })
        }),
      /has written/
    )
    assert.isFalse(called)
  })

  test('a call that throws still leaves a scoped transaction, which rolls back', async ({
    assert,
  }) => {
    const s = await scope()
    let afterwards: Awaited<ReturnType<typeof readSettings>> | null = null
    await assert.rejects(
      () =>
        withTenantScope(s, async () => {
          try {
            await outsideTransaction(async () => {
              throw new Error('register down')
            })
          } finally {
            afterwards = await readSettings(scopedClient())
          }
        }),
      /register down/
    )
    assert.equal(afterwards!.tenantId, s.tenantId)
    assert.equal(await idleInTransaction(), 0)
  })

  test('outside any scope the call simply runs', async ({ assert }) => {
    assert.equal(await outsideTransaction(async () => 'ran'), 'ran')
  })
})
