/*
 * The in-process caches on the request path (docs/decisions/0017-request-path-caches.md): a change
 * committed by anyone (the app, tenants:sync, an operator's SQL) is seen by the next request, the
 * caches are really used while nothing changes, and they never hand a scope what row-level
 * security would not.
 */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { demoUser, tenantId } from '#tests/helpers/auth'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'
import { cachedTenant, resetTenantCache, tenantCacheReloads } from '#tenancy/tenant_cache'

const owner = () => db.connection('owner')

test.group('tenant cache', () => {
  test('a tenant renamed, suspended or given a host by SQL is seen by the next request', async ({
    client,
    assert,
  }) => {
    const id = await tenantId('praha-17')
    const before = await owner().from('tenants').where('id', id).firstOrFail()
    const host = `cache-test-${Date.now()}.localhost`
    try {
      const first = await client.get('/t/praha-17').header('accept', 'application/json')
      first.assertStatus(200)
      assert.equal(first.body().site.name, before.name)
      // Nothing changed: the second request reads no tenant.
      const reloads = tenantCacheReloads()
      await client.get('/t/praha-17').header('accept', 'application/json')
      assert.equal(tenantCacheReloads(), reloads)

      await owner().from('tenants').where('id', id).update({ name: 'Praha 17 – přejmenováno' })
      const renamed = await client.get('/t/praha-17').header('accept', 'application/json')
      assert.equal(renamed.body().site.name, 'Praha 17 – přejmenováno')
      assert.isAbove(tenantCacheReloads(), reloads)

      await owner().from('tenants').where('id', id).update({ status: 'suspended' })
      const suspended = await client.get('/t/praha-17').header('accept', 'application/json')
      suspended.assertStatus(503)

      await owner().from('tenants').where('id', id).update({ status: 'active' })
      const platformHome = await client
        .get('/')
        .header('host', host)
        .header('accept', 'application/json')
      assert.notProperty(platformHome.body(), 'site')
      await owner().table('tenant_domains').insert({ host, tenant_id: id })
      const byHost = await client.get('/').header('host', host).header('accept', 'application/json')
      assert.equal(byHost.body().site?.slug, 'praha-17')
      await owner().from('tenant_domains').where('host', host).delete()
      const gone = await client.get('/').header('host', host).header('accept', 'application/json')
      assert.notProperty(gone.body(), 'site')
    } finally {
      await owner().from('tenant_domains').where('host', host).delete()
      await owner()
        .from('tenants')
        .where('id', id)
        .update({ name: before.name, status: before.status })
    }
  })

  test('what an unfinished transaction wrote is never shared with other requests', async ({
    assert,
  }) => {
    const id = await tenantId('praha-17')
    const name = (await owner().from('tenants').where('id', id).firstOrFail()).name
    resetTenantCache()
    await assert.rejects(() =>
      withTenantScope({ tenantId: null, userId: null, platform: true }, async () => {
        await scopedClient().from('tenants').where('id', id).update({ name: 'never committed' })
        // Loaded after the write: this unit of work sees its own change...
        assert.equal((await cachedTenant(id))?.name, 'never committed')
        throw new Error('roll back')
      })
    )
    // ...and nobody else ever does.
    const seen = await withTenantScope({ tenantId: null, userId: null, platform: false }, () =>
      cachedTenant(id)
    )
    assert.equal(seen?.name, name)
  })
})
