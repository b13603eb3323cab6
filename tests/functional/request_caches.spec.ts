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
import { versionCacheLoads } from '#programs/version_cache'
import { publishedPrograms } from '#programs/published'

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

test.group('tenant cache, read-only models', () => {
  test('a cached tenant cannot be changed by mistake', async ({ assert }) => {
    const id = await tenantId('olomouc')
    await withTenantScope({ tenantId: null, userId: null, platform: false }, async () => {
      const tenant = (await cachedTenant(id))!
      assert.throws(() => {
        tenant.name = 'changed for everyone'
      }, TypeError)
      assert.throws(() => {
        ;(tenant.branding as any).primaryColor = '#000000'
      }, TypeError)
      assert.throws(() => tenant.merge({ status: 'suspended' }), TypeError)
      assert.notEqual((await cachedTenant(id))!.name, 'changed for everyone')
    })
  })
})

test.group('program version cache', () => {
  test('a version changed by SQL is seen by the next request; unchanged ones are not read again', async ({
    client,
    assert,
  }) => {
    const citizen = await demoUser('citizen.ua@activecity.test')
    const version = await owner()
      .from('program_versions as v')
      .join('programs as p', (join) => {
        join
          .on('p.tenant_id', 'v.tenant_id')
          .andOn('p.id', 'v.program_id')
          .andOn('p.current_version', 'v.version')
      })
      .where('p.slug', 'darujeme-krouzky-ua')
      .select('v.id', 'v.name', 'p.id as program_id')
      .firstOrFail()
    const offers = async () => {
      const response = await client
        .get('/portal/offers')
        .header('accept', 'application/json')
        .header('accept-language', 'en')
        .loginAs(citizen)
      response.assertStatus(200)
      return response.body().offers.find((offer: any) => offer.id === version.program_id)
    }
    try {
      assert.equal((await offers()).name, version.name.uk ?? version.name.en)
      const loads = versionCacheLoads()
      await offers()
      assert.equal(versionCacheLoads(), loads, 'the versions came from the cache')

      await owner()
        .from('program_versions')
        .where('id', version.id)
        .update({ name: JSON.stringify({ ...version.name, uk: 'Перейменовано', en: 'Renamed' }) })
      const renamed = await offers()
      assert.oneOf(renamed.name, ['Перейменовано', 'Renamed'])
      assert.isAbove(versionCacheLoads(), loads)
    } finally {
      await owner()
        .from('program_versions')
        .where('id', version.id)
        .update({ name: JSON.stringify(version.name) })
    }
  })

  test('a cached version reaches only scopes that row-level security lets read it', async ({
    assert,
  }) => {
    const praha5 = await tenantId('praha-5')
    const praha6 = await tenantId('praha-6')
    const slugsIn = (tenant: string) =>
      withTenantScope({ tenantId: tenant, userId: null, platform: false }, async () =>
        (await publishedPrograms()).map(({ program }) => program.slug)
      )
    // Praha 5's residents' program, cached by a Praha 5 request...
    assert.include(await slugsIn(praha5), 'letni-tabory-2027')
    // ...is not a program Praha 6 reads; the nationwide ones are.
    const inPraha6 = await slugsIn(praha6)
    assert.notInclude(inPraha6, 'letni-tabory-2027')
    assert.include(inPraha6, 'darujeme-krouzky-cz')

    // A nationwide program closed by its tenant leaves other tenants at once, cached or not.
    const program = await owner()
      .from('programs')
      .where('slug', 'darujeme-krouzky-cz')
      .firstOrFail()
    try {
      await owner().from('programs').where('id', program.id).update({ status: 'closed' })
      assert.notInclude(await slugsIn(praha6), 'darujeme-krouzky-cz')
    } finally {
      await owner().from('programs').where('id', program.id).update({ status: program.status })
    }
  })
})
