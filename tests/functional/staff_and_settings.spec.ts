import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { demoUser, lastMailTo, tenantId } from '#tests/helpers/auth'

test.group('tenant staff management', () => {
  test('a tenant admin adds a new person, who is e-mailed a link to set a password; role change and removal are audited', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const email = `novy.${Date.now()}@olomouc.example.cz`
    const added = await client
      .post('/admin/staff')
      .header('accept', 'application/json')
      .json({ email, fullName: 'Nový Kolega', role: 'reviewer' })
      .loginAs(admin)
    added.assertStatus(200)
    const id = added.body().id
    const mail = await lastMailTo(email, 'staff_added')
    assert.equal(mail.template, 'staff_added')
    assert.match(mail.text, /\/reset-password\//)

    const changed = await client
      .put(`/admin/staff/${id}`)
      .header('accept', 'application/json')
      .json({ role: 'program_manager' })
      .loginAs(admin)
    changed.assertStatus(200)
    const removed = await client
      .delete(`/admin/staff/${id}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    removed.assertStatus(200)

    const actions = await db
      .connection('owner')
      .from('audit_events')
      .where('tenant_id', await tenantId('olomouc'))
      .where('subject_id', id)
      .orderBy('created_at')
      .select('action')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['staff.added', 'staff.role_changed', 'staff.removed']
    )
  })

  test('the last tenant admin cannot be removed or demoted, and nothing changes', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.bydgoszcz@activecity.test')
    const own = await db
      .connection('owner')
      .from('tenant_memberships')
      .where('tenant_id', await tenantId('bydgoszcz'))
      .where('user_id', admin.id)
      .first()
    const demote = await client
      .put(`/admin/staff/${own.id}`)
      .header('accept', 'application/json')
      .header('accept-language', 'pl')
      .json({ role: 'reviewer' })
      .loginAs(admin)
    demote.assertStatus(422)
    assert.notInclude(demote.body().errors[0].message, 'errors.')
    const remove = await client
      .delete(`/admin/staff/${own.id}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    remove.assertStatus(422)
    const still = await db
      .connection('owner')
      .from('tenant_memberships')
      .where('id', own.id)
      .first()
    assert.equal(still.role, 'tenant_admin')
  })

  test('bad staff input is refused with field errors', async ({ client, assert }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const response = await client
      .post('/admin/staff')
      .header('accept', 'application/json')
      .json({ email: 'nope', fullName: '', role: 'king' })
      .loginAs(admin)
    response.assertStatus(422)
    const fields = response
      .body()
      .errors.map((e: any) => e.field)
      .sort()
    assert.deepEqual(fields, ['email', 'fullName', 'role'])
  })
})

test.group('tenant settings', () => {
  test('a tenant admin changes branding; the public site shows it', async ({ client, assert }) => {
    const admin = await demoUser('admin.praha5@activecity.test')
    const saved = await client
      .put('/admin/settings')
      .header('accept', 'application/json')
      .withSession({ workspace: `tenant:${await tenantId('praha-6')}` })
      .json({
        name: 'Praha 6',
        primaryColor: '#7a1f3d',
        accentColor: '#d4a017',
        tagline: { cs: 'Šestka pro děti', en: 'Six for children' },
      })
      .loginAs(admin)
    saved.assertStatus(200)
    const site = await client.get('/t/praha-6').header('accept', 'application/json')
    assert.equal(site.body().site.branding.tagline.cs, 'Šestka pro děti')
  })

  test('an invalid colour is refused and nothing changes', async ({ client, assert }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const response = await client
      .put('/admin/settings')
      .header('accept', 'application/json')
      .json({ name: 'Olomouc', primaryColor: 'red', accentColor: '#c9a227', tagline: {} })
      .loginAs(admin)
    response.assertStatus(422)
    const tenant = await db.connection('owner').from('tenants').where('slug', 'olomouc').first()
    assert.equal(tenant.branding.primaryColor, '#8a1538')
  })
})

test.group('platform', () => {
  test('a platform admin suspends a tenant; its public site answers 503 and its staff lose the workspace', async ({
    client,
    assert,
  }) => {
    const platform = await demoUser('platform@activecity.test')
    const id = await tenantId('praha-17')
    const suspend = await client
      .put(`/platform/tenants/${id}/status`)
      .header('accept', 'application/json')
      .json({ status: 'suspended' })
      .loginAs(platform)
    suspend.assertStatus(200)
    const site = await client.get('/t/praha-17').withInertia()
    site.assertInertiaComponent('errors/unavailable')
    const restore = await client
      .put(`/platform/tenants/${id}/status`)
      .header('accept', 'application/json')
      .json({ status: 'active' })
      .loginAs(platform)
    restore.assertStatus(200)
    const again = await client.get('/t/praha-17').withInertia()
    again.assertInertiaComponent('public/tenant_site')
    assert.equal(
      (await db.connection('owner').from('tenants').where('id', id).first()).status,
      'active'
    )
  })
})

test.group('tenant settings contrast', () => {
  test('a header colour too light for white text is refused with the ratio', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const response = await client
      .put('/admin/settings')
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json({ name: 'Olomouc', primaryColor: '#ffee00', accentColor: '#c9a227', tagline: {} })
      .loginAs(admin)
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'primaryColor')
    assert.match(response.body().errors[0].message, /4[.,]5:1/)
  })
})
