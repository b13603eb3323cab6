/*
 * The statement that opens a tenant scope (app/tenancy/tenant_context.ts): BEGIN, the four
 * transaction-local settings and the cache generations travel in one simple-protocol message, so
 * the values are written as literals. Guards: the settings are those of the scope, ids that are
 * not UUIDs are refused before anything runs, nothing is left on the pooled connection, and the
 * generations read are the committed ones, bumped in the same transaction as a tenant change.
 */
import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  currentGenerations,
  scopedClient,
  withTenantScope,
  type TenantScope,
} from '#tenancy/tenant_context'
import { asOwner, isUnscoped, readSettings, tenantIdsBySlug } from '#tests/helpers/db'

const generationOf = async (client: { rawQuery: any }) =>
  Number(
    (await client.rawQuery(`select generation from cache_generations where name = 'tenants'`))
      .rows[0].generation
  )

test.group('Contracts / the statement that opens a scope', () => {
  test('it writes the scope’s settings and reads the committed cache generations', async ({
    assert,
  }) => {
    const tenantId = (await tenantIdsBySlug()).get('olomouc')!
    const scope: TenantScope = { tenantId, userId: randomUUID(), platform: false, staff: true }
    const seen = await withTenantScope(scope, async () => {
      const staff = await scopedClient().rawQuery(`select current_setting('app.staff', true) as s`)
      return {
        settings: await readSettings(scopedClient()),
        staff: staff.rows[0].s,
        generations: currentGenerations()!.generations,
        committed: await generationOf(scopedClient()),
      }
    })
    assert.deepEqual(
      [seen.settings.tenantId, seen.settings.userId, seen.settings.platform, seen.staff],
      [tenantId, scope.userId, '', 'on']
    )
    assert.equal(seen.generations.tenants, seen.committed)
    assert.isTrue(isUnscoped(await readSettings(db.connection('app'))))
  })

  test('ids that are not UUIDs are refused and the work never runs', async ({ assert }) => {
    let ran = false
    const hostile = [
      { tenantId: `x', true), set_config('app.platform', 'on`, userId: null, platform: false },
      { tenantId: null, userId: `'; select 1; --`, platform: false },
    ]
    for (const scope of hostile) {
      await assert.rejects(
        () =>
          withTenantScope(scope, async () => {
            ran = true
          }),
        /not a UUID/
      )
    }
    assert.isFalse(ran)
  })

  test('a tenant change bumps the generation in its own transaction, and only when it commits', async ({
    assert,
  }) => {
    const before = await generationOf(db.connection('owner'))
    await assert.rejects(() =>
      asOwner(async (trx) => {
        await trx.from('tenants').where('slug', 'olomouc').update({ updated_at: new Date() })
        assert.equal(await generationOf(trx), before + 1)
        throw new Error('roll back')
      })
    )
    assert.equal(await generationOf(db.connection('owner')), before)
    await asOwner((trx) =>
      trx.from('tenant_domains').where('host', 'never-a-host.example.org').delete()
    )
    const after = await withTenantScope(
      { tenantId: null, userId: null, platform: false },
      async () => currentGenerations()!.generations.tenants
    )
    assert.equal(after, before + 1)
  })
})
