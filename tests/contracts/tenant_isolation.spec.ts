/*
 * Tenant isolation through the runtime role (`app` connection) and withTenantScope().
 *
 * Guards: row-level security hides every tenant row when no scope is set; inside a scope only
 * that tenant's rows are visible, through Lucid models (providers/tenancy_provider.ts routes
 * them into the scope's transaction) and through scopedClient(); writes for another tenant
 * are rejected; and the scope's settings end with its transaction, so the pooled connection
 * carries nothing to its next user.
 */
import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#models/audit_event'
import TenantMembership from '#models/tenant_membership'
import { scopedClient, withTenantScope, type TenantScope } from '#tenancy/tenant_context'
import { programBudgetAccount } from '#ledger/accounts'
import {
  asOwner,
  countAuditEvents,
  deleteAuditEvents,
  fixtureMarker,
  isUnscoped,
  poolMax,
  readSettings,
  seedAuditEvents,
  sweepPool,
  tenantIdsBySlug,
  type ScopeSettings,
} from '#tests/helpers/db'

const PER_TENANT = 3

async function captureError(work: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await work()
  } catch (error) {
    return error as Error
  }
  return undefined
}

test.group('Contracts / tenant isolation', (group) => {
  const marker = fixtureMarker('tenant-isolation')
  let tenantA = ''
  let tenantB = ''
  let seeded: { tenant_id: string; id: string }[] = []
  // A staff scope of each tenant: the audit log is the tenant's staff's (migration 0011).
  const scopeOf = (tenantId: string): TenantScope => ({
    tenantId,
    userId: null,
    platform: false,
    staff: true,
  })
  const seededIds = (tenantId: string) =>
    seeded.filter((row) => row.tenant_id === tenantId).map((row) => row.id)

  group.setup(async () => {
    const ids = await tenantIdsBySlug()
    tenantA = ids.get('praha-5')!
    tenantB = ids.get('praha-6')!
    seeded = await seedAuditEvents([tenantA, tenantB], PER_TENANT, marker)
  })

  group.teardown(async () => {
    await deleteAuditEvents(marker)
  })

  test('without a tenant scope the runtime role sees no tenant rows, the owner does', async ({
    assert,
  }) => {
    const owner = await asOwner(async (trx) => {
      const memberships = await trx.from('tenant_memberships').select('tenant_id')
      const events = await trx.from('audit_events').whereLike('action', `${marker}%`).select('id')
      return { memberships: memberships.length, events: events.length }
    })
    assert.isAbove(owner.memberships, 0, 'fixture: the demo tenant memberships are missing')
    assert.equal(owner.events, 2 * PER_TENANT, 'fixture: the seeded audit events are missing')

    const app = db.connection('app')
    assert.lengthOf(
      await app.from('tenant_memberships').select('*'),
      0,
      'app connection without scope reads tenant_memberships'
    )
    assert.lengthOf(
      await app.from('audit_events').select('*'),
      0,
      'app connection without scope reads audit_events'
    )

    // Lucid models outside a scope use the plain `app` pool: row-level security applies too.
    assert.lengthOf(await AuditEvent.all(), 0, 'AuditEvent model without scope reads rows')
    assert.lengthOf(
      await TenantMembership.all(),
      0,
      'TenantMembership model without scope reads rows'
    )
  })

  test('inside a tenant scope only that tenant is visible, via models and via scopedClient()', async ({
    assert,
  }) => {
    for (const [own, other] of [
      [tenantA, tenantB],
      [tenantB, tenantA],
    ]) {
      await withTenantScope(scopeOf(own), async () => {
        const viaModel = await AuditEvent.all()
        assert.includeMembers(
          viaModel.map((event) => event.id),
          seededIds(own),
          'the AuditEvent model does not see its own tenant’s rows (is the model query outside the scope transaction?)'
        )
        assert.deepEqual(
          [...new Set(viaModel.map((event) => event.tenantId))],
          [own],
          'AuditEvent model sees other tenants'
        )

        const memberships = await TenantMembership.all()
        assert.isAbove(memberships.length, 0, 'fixture: the demo tenant has no memberships')
        assert.deepEqual(
          [...new Set(memberships.map((m) => m.tenantId))],
          [own],
          'TenantMembership model sees other tenants'
        )

        const viaRaw = await scopedClient().from('audit_events').select('tenant_id', 'id')
        assert.includeMembers(
          viaRaw.map((row: any) => row.id),
          seededIds(own)
        )
        assert.deepEqual(
          [...new Set(viaRaw.map((row: any) => row.tenant_id))],
          [own],
          'scopedClient() sees other tenants'
        )

        // Asking for the other tenant explicitly does not help either.
        const { rows } = await scopedClient().rawQuery(
          'select count(*)::int as count from audit_events where tenant_id = ?',
          [other]
        )
        assert.equal(rows[0].count, 0, 'scopedClient() can read another tenant’s rows by naming it')
      })
    }

    // A platform scope sees both (the fixtures are reachable through the runtime role at all).
    const platformIds = await withTenantScope(
      { tenantId: null, userId: null, platform: true },
      async () => {
        const events = await AuditEvent.query().whereLike('action', `${marker}%`)
        return events.map((event) => event.id)
      }
    )
    assert.sameMembers(platformIds, [...seededIds(tenantA), ...seededIds(tenantB)])
  })

  test('writes for another tenant inside a scope are rejected or reach nothing', async ({
    assert,
  }) => {
    const forged = `${marker}.forged`

    const viaModel = await captureError(() =>
      withTenantScope(scopeOf(tenantA), () =>
        AuditEvent.create({ tenantId: tenantB, action: forged, data: {} })
      )
    )
    assert.match(
      String(viaModel?.message),
      /row-level security/,
      'AuditEvent.create for another tenant was not rejected'
    )

    const viaRaw = await captureError(() =>
      withTenantScope(scopeOf(tenantA), () =>
        scopedClient()
          .insertQuery()
          .table('audit_events')
          .insert({ tenant_id: tenantB, action: forged })
      )
    )
    assert.match(
      String(viaRaw?.message),
      /row-level security/,
      'raw insert for another tenant was not rejected'
    )

    // Moving an own row to another tenant violates WITH CHECK.
    const moved = await captureError(() =>
      withTenantScope(scopeOf(tenantA), () =>
        scopedClient()
          .from('audit_events')
          .where('id', seededIds(tenantA)[0])
          .update({ tenant_id: tenantB })
      )
    )
    assert.match(
      String(moved?.message),
      /row-level security/,
      'moving a row to another tenant was not rejected'
    )

    // Another tenant's rows cannot be changed or deleted: they are invisible.
    const touched = await withTenantScope(scopeOf(tenantA), async () => {
      const updated = await scopedClient()
        .from('audit_events')
        .whereIn('id', seededIds(tenantB))
        .update({ action: forged })
      const deleted = await scopedClient()
        .from('audit_events')
        .whereIn('id', seededIds(tenantB))
        .delete()
      return [Number(updated), Number(deleted)]
    })
    assert.deepEqual(touched, [0, 0], 'rows of another tenant were updated or deleted')

    assert.equal(await countAuditEvents(forged), 0, 'a forged row reached the database')
    assert.equal(await countAuditEvents(marker, tenantB), PER_TENANT, 'tenant B’s rows changed')
    assert.equal(await countAuditEvents(marker, tenantA), PER_TENANT, 'tenant A’s rows changed')
  })

  test('model queries run in the scope’s transaction and roll back with it', async ({ assert }) => {
    const id = randomUUID()
    const sentinel = new Error('roll back on purpose')
    const error = await captureError(() =>
      withTenantScope(scopeOf(tenantA), async () => {
        await scopedClient()
          .insertQuery()
          .table('audit_events')
          .insert({ tenant_id: tenantA, id, action: `${marker}.uncommitted` })
        // Only visible to a query in the same (uncommitted) transaction.
        const found = await AuditEvent.find(id)
        assert.equal(
          found?.tenantId,
          tenantA,
          'the model query did not run in the scope’s transaction'
        )
        throw sentinel
      })
    )
    if (error !== sentinel) throw error ?? new Error('the scope did not fail')
    assert.equal(
      await countAuditEvents(`${marker}.uncommitted`),
      0,
      'the rolled-back row was committed'
    )
  })

  test('after a scope ends no pooled connection carries its settings', async ({ assert }) => {
    const used: ScopeSettings[] = []
    const scope = { tenantId: tenantA, userId: randomUUID(), platform: true }

    // Committed, thrown and failed-SQL scopes.
    used.push(await withTenantScope(scope, () => readSettings(scopedClient())))
    await captureError(() =>
      withTenantScope(scope, async () => {
        used.push(await readSettings(scopedClient()))
        throw new Error('on purpose')
      })
    )
    await captureError(() =>
      withTenantScope(scope, async () => {
        used.push(await readSettings(scopedClient()))
        await scopedClient().rawQuery('select 1 / 0')
      })
    )
    for (const settings of used) {
      assert.deepEqual(
        [settings.tenantId, settings.userId, settings.platform],
        [scope.tenantId, scope.userId, 'on'],
        'the scope settings were not applied inside the scope'
      )
    }

    // A fresh plain query on the same pool.
    const fresh = await readSettings(db.connection('app'))
    assert.isTrue(isUnscoped(fresh), `a plain query sees scope settings: ${JSON.stringify(fresh)}`)

    // Every connection of the pool at once, so the ones the scopes used are certainly among them.
    const swept = await sweepPool('app', poolMax('app'))
    const sweptPids = swept.map((settings) => settings.pid)
    for (const settings of used) {
      assert.include(
        sweptPids,
        settings.pid,
        'the connection a scope used was not swept (closed by the pool?)'
      )
    }
    const leaked = swept.filter((settings) => !isUnscoped(settings))
    assert.isEmpty(
      leaked,
      `pooled connections carry scope settings after their scope ended: ${JSON.stringify(leaked.slice(0, 3))}`
    )
  })

  test('a citizen in their home tenant’s scope sees none of its money, audit log or staff, and cannot write them', async ({
    assert,
  }) => {
    const citizen = await db
      .connection('owner')
      .from('users')
      .where('email_normalized', 'citizen@activecity.test')
      .firstOrFail()
    // Something of each kind exists in tenant A: the seeded audit events, its staff, a ledger
    // account (created in a staff scope, as the back office would).
    const program = await db
      .connection('owner')
      .from('programs')
      .where('tenant_id', tenantA)
      .firstOrFail()
    await withTenantScope(scopeOf(tenantA), () =>
      programBudgetAccount({ tenantId: tenantA, id: program.id }, 'CZK')
    )
    const staffRows = await db
      .connection('owner')
      .from('tenant_memberships')
      .where('tenant_id', tenantA)
      .count('* as n')
      .first()
    assert.isAbove(Number(staffRows.n), 0)

    // The portal's scope: the home tenant, the person, not staff.
    const portal: TenantScope = { tenantId: tenantA, userId: citizen.id, platform: false }
    const seen = await withTenantScope(portal, async () => {
      const count = async (table: string) =>
        Number(
          (await scopedClient().from(table).where('tenant_id', tenantA).count('* as n').first()).n
        )
      return {
        audit: await count('audit_events'),
        memberships: await count('tenant_memberships'),
        accounts: await count('ledger_accounts'),
        transactions: await count('ledger_transactions'),
        entries: await count('ledger_entries'),
        vouchers: await count('ledger_vouchers'),
      }
    })
    assert.deepEqual(seen, {
      audit: 0,
      memberships: 0,
      accounts: 0,
      transactions: 0,
      entries: 0,
      vouchers: 0,
    })

    // Writes are refused by the database itself, whatever the application would have allowed.
    const forgedAudit = await captureError(() =>
      withTenantScope(portal, () =>
        AuditEvent.create({ tenantId: tenantA, action: `${marker}.forged`, data: {} })
      )
    )
    assert.match(String(forgedAudit?.message), /row-level security/)
    const selfPromotion = await captureError(() =>
      withTenantScope(portal, () =>
        TenantMembership.create({ tenantId: tenantA, userId: citizen.id, role: 'tenant_admin' })
      )
    )
    assert.match(String(selfPromotion?.message), /row-level security/)
    const promoted = await db
      .connection('owner')
      .from('tenant_memberships')
      .where({ tenant_id: tenantA, user_id: citizen.id })
    assert.lengthOf(promoted, 0)
  })
})
