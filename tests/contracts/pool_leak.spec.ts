/*
 * Pool leak: thousands of tenant units of work, many of them failing mid-transaction, on a
 * pool far smaller than the number of concurrent units, so every pooled connection is reused
 * hundreds of times in random tenant order. No unit may ever see another tenant's row or
 * inherit another unit's settings; failed units must leave nothing behind.
 *
 * 1. On a dedicated 2-connection pool (`pool2`, same DATABASE_APP_URL). withTenantScope()
 *    always uses the `app` connection, so this part repeats its pattern (one transaction,
 *    set_config(..., true), commit / rollback) with withScopeOn() from tests/helpers/db.ts.
 * 2. Through withTenantScope() itself on the `app` pool, with Lucid models and
 *    scopedClient(), concurrent units sharing one process (AsyncLocalStorage isolation).
 */
import type { Assert } from '@japa/assert'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#models/audit_event'
import { scopedClient, withTenantScope, type TenantScope } from '#tenancy/tenant_context'
import {
  countAuditEvents,
  deleteAuditEvents,
  fixtureMarker,
  isUnscoped,
  poolMax,
  readSettings,
  seededRandom,
  seedAuditEvents,
  sweepPool,
  tenantIdsBySlug,
  withScopeOn,
  type ScopeSettings,
} from '#tests/helpers/db'

const POOL = 'contracts_pool2'
const PER_TENANT = 3
const BATCH = 50

type Kind = 'commit' | 'throw' | 'sql-error'
interface Unit {
  index: number
  tenantId: string
  kind: Kind
  /** Insert a row for the own tenant before finishing (committed or rolled back with the unit). */
  write: boolean
}

class PlannedFailure extends Error {}

/** ~10 % throw, ~5 % run a failing statement, the rest commit; every ~8th commit writes. */
function plan(count: number, tenantIds: string[], random: () => number): Unit[] {
  return Array.from({ length: count }, (_, index) => {
    const roll = random()
    const kind: Kind = roll < 0.1 ? 'throw' : roll < 0.15 ? 'sql-error' : 'commit'
    const tenantId = tenantIds[Math.floor(random() * tenantIds.length)]
    return { index, tenantId, kind, write: kind !== 'commit' || random() < 0.125 }
  })
}

/** What the units saw; every list must end empty. */
class Observations {
  committed = 0
  thrown = 0
  sqlErrors = 0
  rowsRead = 0
  crossTenantRows: string[] = []
  tooFewRows: string[] = []
  inheritedSettings: string[] = []
  wrongSettings: string[] = []
  unexpected: string[] = []
  pids = new Set<number>()

  checkRows(unit: Unit, source: string, tenantIds: string[]) {
    this.rowsRead += tenantIds.length
    const foreign = tenantIds.filter((tenantId) => tenantId !== unit.tenantId)
    if (foreign.length) {
      this.crossTenantRows.push(
        `unit ${unit.index} (${unit.tenantId}) saw ${foreign.length} rows of ${[...new Set(foreign)]} via ${source}`
      )
    }
    if (tenantIds.length < PER_TENANT)
      this.tooFewRows.push(`unit ${unit.index} saw ${tenantIds.length} rows via ${source}`)
  }

  checkSettings(unit: Unit, settings: ScopeSettings) {
    this.pids.add(settings.pid)
    if (settings.tenantId !== unit.tenantId || settings.platform) {
      this.wrongSettings.push(
        `unit ${unit.index} (${unit.tenantId}) ran with ${JSON.stringify(settings)}`
      )
    }
  }

  settle(unit: Unit, error: unknown) {
    if (error === undefined) {
      if (unit.kind === 'commit') this.committed++
      else this.unexpected.push(`unit ${unit.index} (${unit.kind}) committed`)
    } else if (unit.kind === 'throw' && error instanceof PlannedFailure) {
      this.thrown++
    } else if (
      unit.kind === 'sql-error' &&
      /division by zero/.test(String((error as Error).message))
    ) {
      this.sqlErrors++
    } else {
      this.unexpected.push(
        `unit ${unit.index} (${unit.kind}) failed: ${(error as Error)?.message ?? error}`
      )
    }
  }
}

/** The end of a unit: optionally write, then fail as planned. */
async function finish(
  unit: Unit,
  marker: string,
  client: { rawQuery: (sql: string, bindings?: any[]) => any }
) {
  if (unit.write) {
    await client.rawQuery('insert into audit_events (tenant_id, action) values (?, ?)', [
      unit.tenantId,
      `${marker}.${unit.kind}`,
    ])
  }
  if (unit.kind === 'throw') throw new PlannedFailure(`unit ${unit.index} fails on purpose`)
  if (unit.kind === 'sql-error') await client.rawQuery('select 1 / 0')
}

async function runInBatches(units: Unit[], batch: number, run: (unit: Unit) => Promise<void>) {
  for (let start = 0; start < units.length; start += batch) {
    await Promise.all(units.slice(start, start + batch).map(run))
  }
}

test.group('Contracts / pool leak', (group) => {
  const marker = fixtureMarker('pool-leak')
  const seed = Number(process.env.POOL_LEAK_SEED) || Math.floor(Math.random() * 2 ** 31)
  let tenantIds: string[] = []

  group.setup(async () => {
    const ids = await tenantIdsBySlug()
    tenantIds = [...ids.values()]
    await seedAuditEvents(tenantIds, PER_TENANT, marker)
    if (!db.manager.has(POOL)) {
      db.manager.add(POOL, {
        client: 'pg',
        connection: { connectionString: process.env.DATABASE_APP_URL },
        pool: { min: 0, max: 2 },
      })
    }
    db.manager.connect(POOL)
  })

  group.teardown(async () => {
    await db.manager.release(POOL)
    await deleteAuditEvents(marker)
  })

  /** Asserts the observations and the rows written (by kind) against the plan. */
  async function assertOutcome(
    assert: Assert,
    units: Unit[],
    seen: Observations,
    kindPrefix: string
  ) {
    const context = `(seed ${seed}; replay with POOL_LEAK_SEED=${seed})`
    const planned = (kind: Kind) => units.filter((unit) => unit.kind === kind).length
    const none = (found: string[], what: string) =>
      assert.isEmpty(
        found,
        `${found.length} ${what} ${context}, e.g.:\n  ${found.slice(0, 5).join('\n  ')}`
      )
    none(seen.crossTenantRows, "reads saw other tenants' rows")
    none(seen.inheritedSettings, "units inherited a previous unit's settings")
    none(seen.wrongSettings, 'units ran with settings not their own')
    none(seen.tooFewRows, "reads missed their own tenant's rows")
    none(seen.unexpected, 'units ended unexpectedly')
    assert.deepEqual(
      { committed: seen.committed, thrown: seen.thrown, sqlErrors: seen.sqlErrors },
      { committed: planned('commit'), thrown: planned('throw'), sqlErrors: planned('sql-error') },
      `outcomes differ from the plan ${context}`
    )
    assert.isAbove(seen.rowsRead, units.length * PER_TENANT - 1)

    // Failed units' writes were rolled back; committed units' writes are all there.
    const written = (kind: Kind) => units.filter((unit) => unit.kind === kind && unit.write).length
    assert.equal(
      await countAuditEvents(`${kindPrefix}.throw`),
      0,
      'writes of throwing units were committed'
    )
    assert.equal(
      await countAuditEvents(`${kindPrefix}.sql-error`),
      0,
      'writes of units with a failing statement were committed'
    )
    assert.equal(
      await countAuditEvents(`${kindPrefix}.commit`),
      written('commit'),
      'writes of committed units are missing'
    )
  }

  test('3000 units on a 2-connection pool never see another tenant nor inherit settings', async ({
    assert,
  }) => {
    const units = plan(3000, tenantIds, seededRandom(seed))
    const prefix = `${marker}.pool2`
    const seen = new Observations()
    // A staff scope: the audit log is the tenant's staff's (database/migrations/0011).
    const scopeOf = (unit: Unit): TenantScope => ({
      tenantId: unit.tenantId,
      userId: null,
      platform: false,
      staff: true,
    })

    await runInBatches(units, BATCH, async (unit) => {
      let error: unknown
      try {
        await withScopeOn(POOL, scopeOf(unit), async (trx, inherited) => {
          seen.pids.add(inherited.pid)
          if (!isUnscoped(inherited)) {
            seen.inheritedSettings.push(
              `unit ${unit.index} began with ${JSON.stringify(inherited)}`
            )
          }
          const rows = await trx.from('audit_events').select('tenant_id')
          seen.checkRows(
            unit,
            'pool2 query',
            rows.map((row: any) => row.tenant_id)
          )
          seen.checkSettings(unit, await readSettings(trx))
          await finish(unit, prefix, trx)
        })
      } catch (caught) {
        error = caught ?? new Error('rejected without a reason')
      }
      seen.settle(unit, error)
    })

    assert.isAtMost(
      seen.pids.size,
      2,
      'more backends than the pool size: the test did not exercise reuse'
    )
    await assertOutcome(assert, units, seen, prefix)

    const swept = await sweepPool(POOL, 2)
    const leaked = swept.filter((settings) => !isUnscoped(settings))
    assert.isEmpty(
      leaked,
      `pool2 connections carry settings after the run: ${JSON.stringify(leaked)}`
    )
  }).timeout(60_000)

  test('1000 units through withTenantScope() on the app pool never see another tenant', async ({
    assert,
  }) => {
    const units = plan(1000, tenantIds, seededRandom(seed + 1))
    const prefix = `${marker}.app`
    const seen = new Observations()

    // One unit fewer than the pool size: should a model query ever escape its scope's
    // transaction, it then finds a free connection (and the unit sees no rows, reported
    // below) instead of waiting for a pool full of scopes that wait for it.
    const batch = Math.max(1, poolMax('app') - 1)
    await runInBatches(units, batch, async (unit) => {
      let error: unknown
      try {
        await withTenantScope(
          { tenantId: unit.tenantId, userId: null, platform: false, staff: true },
          async () => {
            seen.checkSettings(unit, await readSettings(scopedClient()))
            const events = await AuditEvent.all()
            seen.checkRows(
              unit,
              'AuditEvent model',
              events.map((event) => event.tenantId)
            )
            const { rows } = await scopedClient().rawQuery('select tenant_id from audit_events')
            seen.checkRows(
              unit,
              'scopedClient()',
              rows.map((row: any) => row.tenant_id)
            )
            await finish(unit, prefix, scopedClient())
          }
        )
      } catch (caught) {
        error = caught ?? new Error('rejected without a reason')
      }
      seen.settle(unit, error)
    })

    assert.isAtMost(seen.pids.size, poolMax('app'), 'more backends than the pool size')
    await assertOutcome(assert, units, seen, prefix)

    const swept = await sweepPool('app', poolMax('app'))
    const leaked = swept.filter((settings) => !isUnscoped(settings))
    assert.isEmpty(
      leaked,
      `app pool connections carry settings after the run: ${JSON.stringify(leaked.slice(0, 3))}`
    )
  }).timeout(60_000)
})
