import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { demoUser, tenantId } from '#tests/helpers/auth'
import { execa } from '#tests/helpers/exec'
import { DK_CZ_RULE } from '#eligibility/demo_rules'

async function programId(tenant: string, slug: string) {
  const row = await db
    .connection('owner')
    .from('programs')
    .where('tenant_id', await tenantId(tenant))
    .where('slug', slug)
    .firstOrFail()
  return row.id as string
}

function minimalConfig(overrides: Record<string, unknown> = {}) {
  return {
    name: { cs: 'Testovací program' },
    periods: [{ key: 'p1', name: { cs: 'Období 1' }, start: '2027-01-01', end: '2027-06-30' }],
    audience: { scope: 'residents' },
    currency: 'CZK',
    budgetMinor: 10_000_000,
    limits: {},
    coPaymentBp: 0,
    documents: [],
    eligibilityRule: true,
    params: {},
    categories: [],
    requiresActivityApproval: false,
    pluginSettings: { amountPerChildPerPeriod: 50_000 },
    ...overrides,
  }
}

test.group('program blueprints', () => {
  test('the demo programs are synced from tenants/*/programs with their exact rules', async ({
    assert,
  }) => {
    const rows = await db
      .connection('owner')
      .from('programs')
      .join('tenants', 'tenants.id', 'programs.tenant_id')
      .select(
        'tenants.slug as tenant',
        'programs.slug',
        'programs.status',
        'programs.nationwide',
        'programs.plugin_id'
      )
      .orderBy('programs.slug')
    const byslug = Object.fromEntries(rows.map((r) => [r.slug, r]))
    assert.equal(byslug['darujeme-krouzky-cz'].tenant, 'crdm')
    assert.isTrue(byslug['darujeme-krouzky-cz'].nationwide)
    assert.equal(byslug['darujeme-krouzky-ua'].plugin_id, 'voucher')
    assert.equal(byslug['letni-tabory-2027'].plugin_id, 'credit')
    assert.equal(byslug['seniori-plavani-kultura-2027'].tenant, 'olomouc')
    const version = await db
      .connection('owner')
      .from('program_versions')
      .where(
        'program_id',
        byslug['darujeme-krouzky-cz'] && (await programId('crdm', 'darujeme-krouzky-cz'))
      )
      .first()
    assert.deepEqual(version.eligibility_rule, DK_CZ_RULE)
    assert.equal(version.co_payment_bp, 2000)
    assert.equal(version.plugin_settings.vouchersPerChildPerPeriod, 2)
    assert.equal(version.plugin_settings.faceValue, 100_000)
  })

  test('syncing again changes nothing', async ({ assert }) => {
    const run = await execa(['tenants:sync', '--dry-run'])
    assert.equal(run.code, 0, run.output)
    assert.include(run.output, 'crdm/darujeme-krouzky-cz: unchanged')
    assert.notInclude(run.output, 'new version')
  }).timeout(60_000)
})

test.group('programs in the admin', () => {
  test('a program manager creates a draft, edits it in place, publishes, and the next edit is a new version', async ({
    client,
    assert,
  }) => {
    const manager = await demoUser('manager.praha5@activecity.test')
    const created = await client
      .post('/admin/programs')
      .header('accept', 'application/json')
      .json({
        slug: `test-${Date.now()}`,
        pluginId: 'credit',
        config: minimalConfig({ pluginSettings: { amountPerChildPerPeriod: 50_000 } }),
      })
      .loginAs(manager)
    created.assertStatus(200)
    const id = created.body().id

    const edit = await client
      .put(`/admin/programs/${id}`)
      .header('accept', 'application/json')
      .json({ config: minimalConfig({ budgetMinor: 20_000_000 }) })
      .loginAs(manager)
    edit.assertBodyContains({ version: 1 })

    const publish = await client
      .put(`/admin/programs/${id}/status`)
      .header('accept', 'application/json')
      .json({ status: 'published' })
      .loginAs(manager)
    publish.assertStatus(200)
    const edit2 = await client
      .put(`/admin/programs/${id}`)
      .header('accept', 'application/json')
      .json({ config: minimalConfig({ budgetMinor: 30_000_000, eligibilityRule: DK_CZ_RULE }) })
      .loginAs(manager)
    edit2.assertBodyContains({ version: 2 })
    const versions = await db
      .connection('owner')
      .from('program_versions')
      .where('program_id', id)
      .orderBy('version')
    assert.deepEqual(
      versions.map((v) => [v.version, Number(v.budget_minor)]),
      [
        [1, 20_000_000],
        [2, 30_000_000],
      ]
    )

    const back = await client
      .put(`/admin/programs/${id}/status`)
      .header('accept', 'application/json')
      .json({ status: 'draft' })
      .loginAs(manager)
    back.assertStatus(422)
  })

  test('malicious or broken rules are refused at save with a clear message, and nothing changes', async ({
    client,
    assert,
  }) => {
    const manager = await demoUser('manager.praha5@activecity.test')
    const id = await programId('praha-5', 'letni-tabory-2027')
    const before = await db
      .connection('owner')
      .from('program_versions')
      .where('program_id', id)
      .count('* as n')
    let deep: unknown = true
    for (let i = 0; i < 40; i++) deep = { '!': [deep] }
    const bad = [
      { var: '__proto__.polluted' },
      { var: 'constructor.prototype' },
      { eval: ['process.exit()'] },
      deep,
      {
        in: [{ var: 'applicant.citizenship' }, Array.from({ length: 100_000 }, (_, i) => `X${i}`)],
      },
      { '==': [{ var: 'applicant.no_such_fact' }, 1] },
    ]
    for (const rule of bad) {
      const response = await client
        .put(`/admin/programs/${id}`)
        .header('accept', 'application/json')
        .header('accept-language', 'en')
        .json({ config: minimalConfig({ eligibilityRule: rule }) })
        .loginAs(manager)
      assert.equal(response.status(), 422, JSON.stringify(rule).slice(0, 80))
      const message = response.body().errors[0].message as string
      assert.isString(message)
      assert.notInclude(message, 'eligibility.')
    }
    const after = await db
      .connection('owner')
      .from('program_versions')
      .where('program_id', id)
      .count('* as n')
    assert.equal(after[0].n, before[0].n)
  }).timeout(60_000)

  test('a reviewer may read programs but not change them', async ({ client }) => {
    const reviewer = await demoUser('reviewer.praha5@activecity.test')
    const id = await programId('praha-5', 'letni-tabory-2027')
    const read = await client
      .get(`/admin/programs/${id}`)
      .header('accept', 'application/json')
      .loginAs(reviewer)
    read.assertStatus(200)
    const write = await client
      .put(`/admin/programs/${id}/status`)
      .header('accept', 'application/json')
      .json({ status: 'closed' })
      .loginAs(reviewer)
    write.assertStatus(403)
  })

  test("programs of tenant A are invisible to tenant B's staff", async ({ client, assert }) => {
    const olomouc = await demoUser('admin.olomouc@activecity.test')
    const praha5Program = await programId('praha-5', 'letni-tabory-2027')
    const read = await client
      .get(`/admin/programs/${praha5Program}`)
      .header('accept', 'application/json')
      .loginAs(olomouc)
    read.assertStatus(404)
    const list = await client
      .get('/admin/programs')
      .header('accept', 'application/json')
      .loginAs(olomouc)
    assert.deepEqual(
      list.body().programs.map((p: any) => p.slug),
      ['seniori-plavani-kultura-2027']
    )
    const crdmProgram = await programId('crdm', 'darujeme-krouzky-cz')
    const nationwide = await client
      .get(`/admin/programs/${crdmProgram}`)
      .header('accept', 'application/json')
      .loginAs(olomouc)
    nationwide.assertStatus(404)
  })

  test('the live rule test evaluates a rule being edited against sample applicants', async ({
    client,
    assert,
  }) => {
    const manager = await demoUser('admin.crdm@activecity.test')
    const id = await programId('crdm', 'darujeme-krouzky-cz')
    const response = await client
      .post(`/admin/programs/${id}/rule-test`)
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json({
        rule: DK_CZ_RULE,
        samples: [
          {
            name: 'eight, allowance',
            expected: true,
            facts: {
              child: { birth_date: '2018-05-01' },
              period: { start: '2026-09-01' },
              applicant: { benefits: { child_allowance: true } },
            },
          },
          {
            name: 'two years old',
            expected: false,
            facts: {
              child: { birth_date: '2024-05-01' },
              period: { start: '2026-09-01' },
              applicant: { benefits: { child_allowance: true } },
            },
          },
        ],
      })
      .loginAs(manager)
    response.assertStatus(200)
    const [first, second] = response.body().results
    assert.isTrue(first.eligible)
    assert.isTrue(first.matches)
    assert.isFalse(second.eligible)
    assert.isAbove(second.reasons.length, 0)
    assert.isString(response.body().sentence)
  })
})

test.group('hostile request bodies', () => {
  test('a body nested 10 000 levels deep is refused with 422, not a crash', async ({ assert }) => {
    const text = '{"facts":' + '{"a":'.repeat(10_000) + 'true' + '}'.repeat(10_000) + '}'
    const url = `http://${process.env.HOST}:${process.env.PORT}/t/crdm/programs/darujeme-krouzky-cz/precheck`
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept': 'application/json',
        'accept-language': 'en',
      },
      body: text,
    })
    const raw = await response.text()
    assert.oneOf(response.status, [400, 422], raw.slice(0, 200))
    assert.notInclude(raw, 'Maximum call stack')
    assert.include(raw, 'could not be read')
  })
})

test.group('citizen pre-check', () => {
  const ua = (income: number) => ({
    facts: {
      child: { birth_date: '2016-03-10' },
      period: { start: '2026-09-01' },
      applicant: { protection_status: 'temporary_protection' },
      household: { monthly_income: income, subsistence_minimum: 1_349_000 },
    },
  })

  test('a Ukrainian family above 3.4 × the subsistence minimum is told why, in its language', async ({
    client,
    assert,
  }) => {
    const en = await client
      .post('/t/crdm/programs/darujeme-krouzky-ua/precheck')
      .header('accept', 'application/json')
      .header('accept-language', 'en')
      .json(ua(7_117_600))
    en.assertStatus(200)
    assert.isFalse(en.body().eligible)
    const sentence = en.body().reasons.join(' ')
    assert.match(sentence, /71,176/)
    assert.match(sentence, /45,866/)
    assert.match(sentence, /3\.4/)

    const uk = await client
      .post('/t/crdm/programs/darujeme-krouzky-ua/precheck')
      .header('accept', 'application/json')
      .header('accept-language', 'uk')
      .json(ua(7_117_600))
    assert.notEqual(uk.body().reasons[0], en.body().reasons[0])

    const ok = await client
      .post('/t/crdm/programs/darujeme-krouzky-ua/precheck')
      .header('accept', 'application/json')
      .json(ua(4_000_000))
    assert.isTrue(ok.body().eligible)
    assert.deepEqual(ok.body().reasons, [])
  })

  test('a program of another tenant, or unknown, answers 404', async ({ client }) => {
    const wrong = await client
      .post('/t/praha-6/programs/letni-tabory-2027/precheck')
      .header('accept', 'application/json')
      .json({ facts: {} })
    wrong.assertStatus(404)
    const unknown = await client
      .post('/t/crdm/programs/nope/precheck')
      .header('accept', 'application/json')
      .json({ facts: {} })
    unknown.assertStatus(404)
  })
})

test.group('plugin settings errors', () => {
  test('a plugin setting out of range is refused with a message in the person’s language', async ({
    client,
    assert,
  }) => {
    const admin = await demoUser('admin.olomouc@activecity.test')
    const id = await programId('olomouc', 'seniori-plavani-kultura-2027')
    const show = await client
      .get(`/admin/programs/${id}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    const config = show.body().config
    const response = await client
      .put(`/admin/programs/${id}`)
      .header('accept', 'application/json')
      .header('accept-language', 'cs')
      .json({
        config: {
          ...config,
          pluginSettings: { ...config.pluginSettings, vouchersPerChildPerPeriod: 0 },
        },
      })
      .loginAs(admin)
    response.assertStatus(422)
    const error = response
      .body()
      .errors.find((e: any) => e.field === 'pluginSettings.vouchersPerChildPerPeriod')
    assert.isDefined(error)
    assert.notMatch(error.message, /The vouchersPerChildPerPeriod field/)
    assert.notInclude(error.message, 'vouchersPerChildPerPeriod')
  })
})
