import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import { demoUser, membershipOf, tenantId } from '#tests/helpers/auth'

/**
 * Who may reach what. Every registered route appears in ROUTES; a route added without an
 * entry here fails the "every route is covered" test, and a route that answers without a
 * policy decision fails with 500 (AuthorizationAuditMiddleware).
 */
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
interface RouteCase {
  name: string
  method: Method
  url: (() => Promise<string> | string) | string
  body?: Record<string, unknown>
  access:
    | 'public'
    | 'guest'
    | 'signed-in'
    | 'citizen'
    | 'admin'
    | 'staff'
    | 'program-manager'
    | 'tenant-admin'
    | 'provider'
    | 'platform'
}

const praha5Admin = () => membershipOf('praha-5', 'tenant_admin')
const praha5Program = async () => {
  const row = await db
    .connection('owner')
    .from('programs')
    .where('tenant_id', await tenantId('praha-5'))
    .select('id')
    .firstOrFail()
  return row.id as string
}
const crdmVoucherProgram = async () => {
  const row = await db
    .connection('owner')
    .from('programs')
    .where('tenant_id', await tenantId('crdm'))
    .where('slug', 'darujeme-krouzky-cz')
    .select('id')
    .firstOrFail()
  return row.id as string
}
const orgMember = async (email: string) => {
  const user = await demoUser(email)
  return user.id
}

const ROUTES: RouteCase[] = [
  { name: 'public.home', method: 'GET', url: '/', access: 'public' },
  { name: 'public.tenants', method: 'GET', url: '/cities', access: 'public' },
  { name: 'public.tenant_site', method: 'GET', url: '/t/praha-5', access: 'public' },
  { name: 'public.health', method: 'GET', url: '/health', access: 'public' },
  {
    name: 'public.locale',
    method: 'POST',
    url: '/locale',
    body: { locale: 'en' },
    access: 'public',
  },
  { name: 'auth.register', method: 'GET', url: '/register', access: 'guest' },
  { name: 'auth.register.store', method: 'POST', url: '/register', body: {}, access: 'guest' },
  { name: 'auth.login', method: 'GET', url: '/login', access: 'guest' },
  { name: 'auth.login.store', method: 'POST', url: '/login', body: {}, access: 'guest' },
  {
    name: 'auth.verify_email',
    method: 'GET',
    url: '/verify-email/unknown-token',
    access: 'public',
  },
  { name: 'auth.forgot_password', method: 'GET', url: '/forgot-password', access: 'public' },
  {
    name: 'auth.forgot_password.send',
    method: 'POST',
    url: '/forgot-password',
    body: { email: 'x@example.cz' },
    access: 'public',
  },
  {
    name: 'auth.reset_password',
    method: 'GET',
    url: '/reset-password/some-token',
    access: 'public',
  },
  {
    name: 'auth.reset_password.update',
    method: 'POST',
    url: '/reset-password',
    body: {},
    access: 'public',
  },
  { name: 'account.logout', method: 'POST', url: '/logout', access: 'signed-in' },
  { name: 'account.home', method: 'GET', url: '/home', access: 'signed-in' },
  { name: 'account.edit', method: 'GET', url: '/account', access: 'signed-in' },
  { name: 'account.update', method: 'PUT', url: '/account', body: {}, access: 'signed-in' },
  {
    name: 'account.verify_email.resend',
    method: 'POST',
    url: '/verify-email/resend',
    access: 'signed-in',
  },
  { name: 'portal.dashboard', method: 'GET', url: '/portal', access: 'citizen' },
  /* Applications (start/routes/applications.ts). */
  { name: 'portal.offers', method: 'GET', url: '/portal/offers', access: 'citizen' },
  {
    name: 'portal.applications.create',
    method: 'GET',
    url: async () => `/portal/programs/${await praha5Program()}/apply`,
    access: 'citizen',
  },
  {
    name: 'portal.applications.check',
    method: 'POST',
    url: async () => `/portal/programs/${await praha5Program()}/check`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.applications.store',
    method: 'POST',
    url: async () => `/portal/programs/${await praha5Program()}/applications`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.applications.index',
    method: 'GET',
    url: '/portal/applications',
    access: 'citizen',
  },
  {
    name: 'portal.applications.show',
    method: 'GET',
    url: () => `/portal/applications/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  {
    name: 'portal.applications.withdraw',
    method: 'POST',
    url: () => `/portal/applications/${crypto.randomUUID()}/withdraw`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.applications.answer',
    method: 'POST',
    url: () => `/portal/applications/${crypto.randomUUID()}/answer`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.applications.document',
    method: 'GET',
    url: () => `/portal/applications/${crypto.randomUUID()}/documents/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  { name: 'portal.benefits', method: 'GET', url: '/portal/benefits', access: 'citizen' },
  { name: 'admin.applications.index', method: 'GET', url: '/admin/applications', access: 'staff' },
  {
    name: 'admin.applications.bulk_approve',
    method: 'POST',
    url: '/admin/applications/bulk-approve',
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.applications.show',
    method: 'GET',
    url: () => `/admin/applications/${crypto.randomUUID()}`,
    access: 'staff',
  },
  {
    name: 'admin.applications.document',
    method: 'GET',
    url: () => `/admin/applications/${crypto.randomUUID()}/documents/${crypto.randomUUID()}`,
    access: 'staff',
  },
  {
    name: 'admin.applications.approve',
    method: 'POST',
    url: () => `/admin/applications/${crypto.randomUUID()}/approve`,
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.applications.reject',
    method: 'POST',
    url: () => `/admin/applications/${crypto.randomUUID()}/reject`,
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.applications.request_info',
    method: 'POST',
    url: () => `/admin/applications/${crypto.randomUUID()}/request-info`,
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.applications.replay',
    method: 'GET',
    url: () => `/admin/applications/${crypto.randomUUID()}/decisions/${crypto.randomUUID()}/replay`,
    access: 'staff',
  },
  { name: 'portal.children.index', method: 'GET', url: '/portal/children', access: 'citizen' },
  {
    name: 'portal.children.store',
    method: 'POST',
    url: '/portal/children',
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.children.show',
    method: 'GET',
    url: () => `/portal/children/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  {
    name: 'portal.children.update',
    method: 'PUT',
    url: () => `/portal/children/${crypto.randomUUID()}`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.children.destroy',
    method: 'DELETE',
    url: () => `/portal/children/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  {
    name: 'portal.verification.show',
    method: 'GET',
    url: '/portal/verification',
    access: 'citizen',
  },
  {
    name: 'portal.verification.store',
    method: 'POST',
    url: '/portal/verification',
    body: {},
    access: 'citizen',
  },
  { name: 'admin.dashboard', method: 'GET', url: '/admin', access: 'admin' },
  {
    name: 'admin.workspace.switch',
    method: 'POST',
    url: '/admin/workspace',
    body: { workspace: 'tenant:none' },
    access: 'admin',
  },
  { name: 'admin.staff.index', method: 'GET', url: '/admin/staff', access: 'tenant-admin' },
  {
    name: 'admin.staff.store',
    method: 'POST',
    url: '/admin/staff',
    body: {},
    access: 'tenant-admin',
  },
  {
    name: 'admin.staff.show',
    method: 'GET',
    url: async () => `/admin/staff/${await praha5Admin()}`,
    access: 'tenant-admin',
  },
  {
    name: 'admin.staff.update',
    method: 'PUT',
    url: async () => `/admin/staff/${await praha5Admin()}`,
    body: {},
    access: 'tenant-admin',
  },
  {
    name: 'admin.staff.destroy',
    method: 'DELETE',
    url: async () => `/admin/staff/${crypto.randomUUID()}`,
    access: 'tenant-admin',
  },
  { name: 'admin.settings.edit', method: 'GET', url: '/admin/settings', access: 'tenant-admin' },
  {
    name: 'admin.settings.update',
    method: 'PUT',
    url: '/admin/settings',
    body: {},
    access: 'tenant-admin',
  },
  {
    name: 'admin.settings.register',
    method: 'PUT',
    url: '/admin/settings/register',
    body: {},
    access: 'tenant-admin',
  },
  {
    name: 'admin.settings.register_check',
    method: 'POST',
    url: '/admin/settings/register/check',
    body: {},
    access: 'tenant-admin',
  },
  { name: 'admin.audit.index', method: 'GET', url: '/admin/audit', access: 'tenant-admin' },
  {
    name: 'admin.audit.show',
    method: 'GET',
    url: () => `/admin/audit/${crypto.randomUUID()}`,
    access: 'tenant-admin',
  },
  { name: 'admin.programs.index', method: 'GET', url: '/admin/programs', access: 'staff' },
  {
    name: 'admin.programs.store',
    method: 'POST',
    url: '/admin/programs',
    body: {},
    access: 'program-manager',
  },
  {
    name: 'admin.programs.show',
    method: 'GET',
    url: async () => `/admin/programs/${await praha5Program()}`,
    access: 'staff',
  },
  {
    name: 'admin.programs.update',
    method: 'PUT',
    url: async () => `/admin/programs/${await praha5Program()}`,
    body: {},
    access: 'program-manager',
  },
  {
    name: 'admin.programs.status',
    method: 'PUT',
    url: async () => `/admin/programs/${await praha5Program()}/status`,
    body: {},
    access: 'program-manager',
  },
  {
    name: 'admin.programs.waitlist_release',
    method: 'POST',
    url: async () => `/admin/programs/${await praha5Program()}/waitlist/release`,
    body: {},
    access: 'program-manager',
  },
  {
    name: 'admin.programs.rule_test',
    method: 'POST',
    url: async () => `/admin/programs/${await praha5Program()}/rule-test`,
    body: {},
    access: 'staff',
  },
  {
    name: 'public.programs.precheck',
    method: 'POST',
    url: '/t/crdm/programs/darujeme-krouzky-cz/precheck',
    body: { facts: {} },
    access: 'public',
  },
  {
    name: 'admin.organization.show',
    method: 'GET',
    url: '/admin/organization',
    access: 'provider',
  },
  {
    name: 'admin.organization.update',
    method: 'PUT',
    url: '/admin/organization',
    body: {},
    access: 'provider',
  },
  {
    name: 'admin.organization.member',
    method: 'GET',
    url: async () =>
      `/admin/organization/members/${await orgMember('provider.staff@activecity.test')}`,
    access: 'provider',
  },
  { name: 'platform.tenants.index', method: 'GET', url: '/platform', access: 'platform' },
  {
    name: 'platform.tenants.show',
    method: 'GET',
    url: async () => `/platform/tenants/${await tenantId('praha-6')}`,
    access: 'platform',
  },
  {
    name: 'platform.tenants.status',
    method: 'PUT',
    url: async () => `/platform/tenants/${await tenantId('praha-6')}/status`,
    body: {},
    access: 'platform',
  },
  /* Identity verification: documents, census, review (start/routes/verification.ts). */
  {
    name: 'portal.verification.documents.store',
    method: 'POST',
    url: '/portal/verification/documents',
    body: {},
    access: 'citizen',
  },
  {
    name: 'portal.verification.documents.show',
    method: 'GET',
    url: () => `/portal/verification/documents/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  { name: 'admin.census.show', method: 'GET', url: '/admin/census', access: 'tenant-admin' },
  {
    name: 'admin.census.store',
    method: 'POST',
    url: '/admin/census',
    body: {},
    access: 'tenant-admin',
  },
  {
    name: 'admin.verifications.index',
    method: 'GET',
    url: '/admin/verifications',
    access: 'staff',
  },
  {
    name: 'admin.verifications.show',
    method: 'GET',
    url: () => `/admin/verifications/${crypto.randomUUID()}`,
    access: 'staff',
  },
  {
    name: 'admin.verifications.document',
    method: 'GET',
    url: () => `/admin/verifications/${crypto.randomUUID()}/documents/${crypto.randomUUID()}`,
    access: 'staff',
  },
  {
    name: 'admin.verifications.verify',
    method: 'POST',
    url: () => `/admin/verifications/${crypto.randomUUID()}/verify`,
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.verifications.refuse',
    method: 'POST',
    url: () => `/admin/verifications/${crypto.randomUUID()}/refuse`,
    body: {},
    access: 'staff',
  },
  {
    name: 'admin.verifications.revoke',
    method: 'POST',
    url: () => `/admin/verifications/${crypto.randomUUID()}/revoke`,
    body: {},
    access: 'staff',
  },
  /* Plugins' routes (plugins/<id>/routes.ts, mounted under their area's prefix). */
  {
    name: 'plugins.voucher.portal.vouchers.index',
    method: 'GET',
    url: async () => `/portal/plugins/voucher/programs/${await crdmVoucherProgram()}/vouchers`,
    access: 'citizen',
  },
  {
    name: 'plugins.voucher.portal.vouchers.show',
    method: 'GET',
    url: () => `/portal/plugins/voucher/vouchers/${crypto.randomUUID()}`,
    access: 'citizen',
  },
  {
    name: 'plugins.voucher.portal.vouchers.email',
    method: 'POST',
    url: () => `/portal/plugins/voucher/vouchers/${crypto.randomUUID()}/email`,
    body: {},
    access: 'citizen',
  },
  {
    name: 'plugins.voucher.admin.vouchers.index',
    method: 'GET',
    url: async () => `/admin/plugins/voucher/programs/${await crdmVoucherProgram()}/vouchers`,
    access: 'staff',
  },
  { name: 'dev.outbox.index', method: 'GET', url: '/dev/outbox', access: 'public' },
  {
    name: 'dev.outbox.show',
    method: 'GET',
    url: () => `/dev/outbox/${crypto.randomUUID()}`,
    access: 'public',
  },
]

async function urlOf(route: RouteCase) {
  return typeof route.url === 'string' ? route.url : route.url()
}

function request(client: any, route: RouteCase, url: string) {
  const call = client[route.method.toLowerCase()](url)
    .withCsrfToken()
    .header('accept', 'application/json')
    .redirects(0)
  return route.body ? call.json(route.body) : call
}

test.group('route access', () => {
  test('every registered route is covered by this table', ({ assert }) => {
    const all = Object.values(router.toJSON()).flat() as any[]
    const unnamed = all.filter((r) => !r.name).map((r) => r.pattern)
    assert.deepEqual(unnamed, [], 'every route must have a name')
    const registered = all.map((r) => r.name)
    const covered = ROUTES.map((r) => r.name)
    assert.deepEqual([...registered].sort(), [...new Set(covered)].sort())
  })

  test('no route answers without a policy decision, for any demo role', async ({
    client,
    assert,
  }) => {
    const people = [
      null,
      'citizen@activecity.test',
      'admin.praha5@activecity.test',
      'reviewer.praha5@activecity.test',
      'provider.staff@activecity.test',
      'platform@activecity.test',
    ]
    for (const email of people) {
      const user = email ? await demoUser(email) : null
      for (const route of ROUTES) {
        if (route.name === 'account.logout') continue
        let call = request(client, route, await urlOf(route))
        if (user) call = call.loginAs(user)
        const response = await call
        assert.notInclude(
          String(response.text()),
          'without an authorization decision',
          `${route.name} as ${email ?? 'anonymous'}`
        )
        assert.isBelow(
          response.status(),
          500,
          `${route.name} as ${email ?? 'anonymous'}: ${response.text().slice(0, 300)}`
        )
      }
    }
  }).timeout(120_000)

  test('anonymous people are sent to sign in from every personal and admin route', async ({
    client,
    assert,
  }) => {
    for (const route of ROUTES.filter((r) => !['public', 'guest'].includes(r.access))) {
      const response = await client[route.method.toLowerCase() as 'get'](await urlOf(route))
        .withCsrfToken()
        .redirects(0)
      assert.equal(response.status(), 302, route.name)
      assert.equal(response.header('location'), '/login', route.name)
    }
  })

  test('a citizen cannot reach admin or platform routes', async ({ client, assert }) => {
    const citizen = await demoUser('citizen@activecity.test')
    for (const route of ROUTES.filter((r) =>
      ['admin', 'tenant-admin', 'provider', 'platform'].includes(r.access)
    )) {
      const response = await request(client, route, await urlOf(route)).loginAs(citizen)
      assert.oneOf(response.status(), [403, 404], route.name)
    }
  })

  test('staff without the tenant admin role cannot manage staff or settings', async ({
    client,
    assert,
  }) => {
    const reviewer = await demoUser('reviewer.praha5@activecity.test')
    for (const route of ROUTES.filter(
      (r) => r.access === 'tenant-admin' && !r.name.startsWith('admin.audit')
    )) {
      const response = await request(client, route, await urlOf(route)).loginAs(reviewer)
      assert.equal(response.status(), 403, route.name)
    }
  })
})

test.group('tenant isolation through HTTP', () => {
  test("staff of one tenant get 404 for another tenant's records: read, update, delete", async ({
    client,
    assert,
  }) => {
    const olomoucAdmin = await demoUser('admin.olomouc@activecity.test')
    const praha5Membership = await membershipOf('praha-5', 'reviewer')
    const read = await client
      .get(`/admin/staff/${praha5Membership}`)
      .header('accept', 'application/json')
      .loginAs(olomoucAdmin)
    read.assertStatus(404)
    const update = await client
      .put(`/admin/staff/${praha5Membership}`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ role: 'tenant_admin' })
      .loginAs(olomoucAdmin)
    update.assertStatus(404)
    const remove = await client
      .delete(`/admin/staff/${praha5Membership}`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(olomoucAdmin)
    remove.assertStatus(404)
    const still = await db
      .connection('owner')
      .from('tenant_memberships')
      .where('id', praha5Membership)
      .first()
    assert.equal(still.role, 'reviewer')

    const event = await db
      .connection('owner')
      .table('audit_events')
      .insert({ tenant_id: await tenantId('praha-5'), action: 'test.secret' })
      .returning('id')
    const audit = await client
      .get(`/admin/audit/${event[0].id}`)
      .header('accept', 'application/json')
      .loginAs(olomoucAdmin)
    audit.assertStatus(404)
    const list = await client
      .get('/admin/staff')
      .header('accept', 'application/json')
      .loginAs(olomoucAdmin)
    list.assertStatus(200)
    const emails = list.body().staff.map((s: any) => s.email)
    assert.deepEqual(emails, ['admin.olomouc@activecity.test'])
    await db.connection('owner').from('audit_events').where('id', event[0].id).delete()
  })

  test('switching to a workspace one does not belong to is refused', async ({ client }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const response = await client
      .post('/admin/workspace')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ workspace: `tenant:${await tenantId('praha-5')}` })
      .loginAs(admin)
    response.assertStatus(403)
  })

  test('a staff member of two tenants switches between them and sees each one only', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.praha5@activecity.test')
    const praha6 = `tenant:${await tenantId('praha-6')}`
    const switched = await client
      .post('/admin/workspace')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ workspace: praha6 })
      .loginAs(admin)
    switched.assertStatus(200)
    const staff = await client
      .get('/admin/staff')
      .header('accept', 'application/json')
      .withSession({ workspace: praha6 })
      .loginAs(admin)
    const emails: string[] = staff.body().staff.map((s: any) => s.email)
    assert.notInclude(emails, 'reviewer.praha5@activecity.test')
    assert.include(emails, 'admin.praha5@activecity.test')
  })

  test("a provider's people see only their own organisation", async ({ client, assert }) => {
    const other = await demoUser('provider2.admin@activecity.test')
    const staffOfRadlice = await demoUser('provider.staff@activecity.test')
    const response = await client
      .get(`/admin/organization/members/${staffOfRadlice.id}`)
      .header('accept', 'application/json')
      .loginAs(other)
    response.assertStatus(404)
    const own = await client
      .get('/admin/organization')
      .header('accept', 'application/json')
      .loginAs(other)
    assert.equal(own.body().organization.name, 'ZUŠ Na Popelce')
    const staffEdit = await client
      .put('/admin/organization')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ name: 'Hijacked' })
      .loginAs(staffOfRadlice)
    staffEdit.assertStatus(403)
  })
})

test.group('error pages', () => {
  test("a browser gets the app's own 403 and 404 pages", async ({ client }) => {
    const provider = await demoUser('provider.staff@activecity.test')
    const forbidden = await client.get('/admin/staff').withInertia().loginAs(provider)
    forbidden.assertStatus(403)
    forbidden.assertInertiaComponent('errors/forbidden')
    const missing = await client.get('/no-such-page').withInertia()
    missing.assertStatus(404)
    missing.assertInertiaComponent('errors/not_found')
  })
})

test.group('tenant resolution by host', () => {
  test("a tenant's own host serves its site; an unknown host serves the platform", async ({
    client,
    assert,
  }) => {
    const own = await client
      .get('/')
      .header('host', 'praha5.activecity.test')
      .header('accept', 'application/json')
    own.assertStatus(200)
    assert.equal(own.body().site.slug, 'praha-5')
    const sub = await client
      .get('/')
      .header('host', 'olomouc.activecity.test')
      .header('accept', 'application/json')
    assert.equal(sub.body().site.slug, 'olomouc')
    const platform = await client
      .get('/')
      .header('host', 'localhost')
      .header('accept', 'application/json')
    assert.isNumber(platform.body().activeTenants)
    const unknown = await client.get('/t/no-such-city').header('accept', 'application/json')
    unknown.assertStatus(404)
  })
})
