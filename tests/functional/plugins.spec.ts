/*
 * The plugin engine in the running app, with the probe fixture plugin
 * (tests/fixtures/plugins/probe/): its migration run and rolled back by the real migrator and
 * audited like core tables; its lifecycle called by program status changes (a refusing onEnable
 * changes nothing); and every hook core sends reaching it from real flows, with the payloads.
 */
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { PluginRegistry } from '#plugin_engine/registry'
import {
  CORE_MIGRATIONS,
  pluginMigrationPaths,
  registryMigrationPaths,
} from '#plugin_engine/migration_paths'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'
import { demoUser, tenantId } from '#tests/helpers/auth'
import {
  CHILD_ALLOWANCE,
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  pdfBytes,
  submitWithChildAllowance,
} from '#tests/helpers/applications'
import { fixtureRegistry, installProbe, migrateFixtures } from '#tests/helpers/probe_plugin'
import { tenantTableProblems } from '#tests/helpers/rls_audit'
import { probe } from '#tests/fixtures/plugins/probe/recorder'
import dkCz from '#tenants/crdm/programs/darujeme_krouzky_cz'
import { DK_CZ_RULE } from '#eligibility/demo_rules'

const owner = () => db.connection('owner')
const PROBE_MIGRATION = 'tests/fixtures/plugins/probe/database/migrations/0001_probe_notes'

async function tableExists(name: string) {
  const { rows } = await owner().rawQuery('select to_regclass(?) as oid', [`public.${name}`])
  return rows[0].oid !== null
}

test.group('plugin routes in the app', () => {
  test('the app mounts the voucher plugin’s routes after the core ones', async ({ assert }) => {
    const routes = Object.values(router.toJSON()).flat() as { name?: string; pattern: string }[]
    const installed = await app.container.make(PluginRegistry)
    const expected = installed.details('voucher').routes
    assert.lengthOf(expected, 4)
    for (const route of expected) {
      const found = routes.find((r) => r.name === route.name)
      assert.equal(found?.pattern, route.pattern, route.name)
    }
    const names = routes.map((r) => r.name)
    const firstPlugin = names.findIndex((name) => name?.startsWith('plugins.'))
    assert.isAbove(firstPlugin, 0)
    assert.isTrue(names.slice(firstPlugin).every((name) => name?.startsWith('plugins.')))
  })
})

test.group('plugin migrations', () => {
  test('the app lists core migrations, then each plugin’s declared folder', async ({ assert }) => {
    const installed = await app.container.make(PluginRegistry)
    for (const connection of ['owner', 'app']) {
      assert.deepEqual(db.getRawConnection(connection)!.config.migrations?.paths, [
        CORE_MIGRATIONS,
        ...registryMigrationPaths(installed, app.makePath()),
      ])
    }
    // What config/database.ts reads from the manifests equals what the registry validated.
    assert.deepEqual(
      await pluginMigrationPaths(app.makePath('tests', 'fixtures')),
      registryMigrationPaths(await fixtureRegistry(), app.makePath('tests', 'fixtures'))
    )
  })

  test('a plugin’s migration runs after core, passes the tenancy audit, and rolls back', async ({
    assert,
  }) => {
    const up = await migrateFixtures('up')
    try {
      assert.deepEqual(up.paths, [
        CORE_MIGRATIONS,
        'tests/fixtures/plugins/probe/database/migrations',
      ])
      // Core had run already: only the plugin's migration is new, recorded under its own path.
      assert.deepEqual(up.migrated, [PROBE_MIGRATION])
      const recorded = await owner().from('adonis_schema').where('name', PROBE_MIGRATION).first()
      assert.exists(recorded)
      assert.isTrue(await tableExists('probe_notes'))
      assert.deepEqual(await tenantTableProblems(['probe_notes']), [])

      // Row-level security works on it through the runtime role.
      const praha5 = await tenantId('praha-5')
      const olomouc = await tenantId('olomouc')
      for (const tenant of [praha5, olomouc]) {
        const program = await owner().from('programs').where('tenant_id', tenant).firstOrFail()
        await owner()
          .table('probe_notes')
          .insert({ tenant_id: tenant, program_id: program.id, note: `note of ${tenant}` })
      }
      const visible = await withTenantScope(
        { tenantId: praha5, userId: null, platform: false },
        async () =>
          (await scopedClient().from('probe_notes').select('tenant_id')).map(
            (row: any) => row.tenant_id
          )
      )
      assert.deepEqual(visible, [praha5])

      // The audit catches a plugin table that breaks the rules.
      await owner().rawQuery('alter table probe_notes no force row level security')
      const problems = await tenantTableProblems(['probe_notes'])
      assert.lengthOf(problems, 1)
      assert.include(
        problems[0],
        'public.probe_notes: relrowsecurity=true, relforcerowsecurity=false'
      )
      await owner().rawQuery('alter table probe_notes force row level security')
    } finally {
      const down = await migrateFixtures('down')
      assert.deepEqual(down.migrated, [PROBE_MIGRATION])
    }
    assert.isFalse(await tableExists('probe_notes'))
    assert.notExists(await owner().from('adonis_schema').where('name', PROBE_MIGRATION).first())
  })
})

const PARENT = {
  email: 'probe.parent@activecity.test',
  fullName: 'Pavla Sondová',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'en' as const,
}

/** The probe program's configuration: the Czech call's, with the probe's settings. */
function probeConfig(level: number) {
  return { ...dkCz.config, pluginSettings: { level } }
}

async function putStatus(client: ApiClient, admin: User, programId: string, status: string) {
  return client
    .put(`/admin/programs/${programId}/status`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .json({ status })
    .loginAs(admin)
}

function submit(client: ApiClient, parent: User, programId: string, childId: string) {
  return submitWithChildAllowance(client, parent, programId, childId)
}

test.group('plugin lifecycle and hooks from real flows (probe plugin)', (group) => {
  let uninstall: () => Promise<void>
  let admin: User
  let parent: User
  let childId: string
  let programId: string
  const crdm = () => tenantId('crdm')

  group.setup(async () => {
    uninstall = await installProbe()
    await migrateFixtures('up')
    admin = await demoUser('admin.crdm@activecity.test')
    parent = await makeCitizen(PARENT)
    childId = await makeChild(parent, 'Sonda', '2016-05-05')
    return async () => {
      await clearApplicationsOf(parent)
      // The probe program must not stay published once the probe is gone.
      if (programId)
        await owner().from('programs').where('id', programId).update({ status: 'archived' })
      await migrateFixtures('down')
      await uninstall()
    }
  })
  group.each.setup(() => probe.reset())

  test('creating and saving a program tells its plugin the settings (program.settings_saved)', async ({
    client,
    assert,
  }) => {
    const created = await client
      .post('/admin/programs')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ slug: `probe-${process.pid}`, pluginId: 'probe', config: probeConfig(4) })
      .loginAs(admin)
    created.assertStatus(200)
    programId = created.body().id
    const tenant = await crdm()
    assert.deepEqual(
      probe.of('program.settings_saved').map((call) => call.payload),
      [{ tenantId: tenant, programId, previous: null, current: { level: 4 } }]
    )

    const save = (level: number) =>
      client
        .put(`/admin/programs/${programId}`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ config: probeConfig(level) })
        .loginAs(admin)
    ;(await save(5)).assertStatus(200)
    // The same settings again (another part could change): no second notice.
    ;(await save(5)).assertStatus(200)
    const saved = probe.of('program.settings_saved').map((call) => call.payload)
    assert.lengthOf(saved, 2)
    assert.deepEqual(saved[1], {
      tenantId: tenant,
      programId,
      previous: { level: 4 },
      current: { level: 5 },
    })
    assert.deepEqual(probe.of('program.settings_saved')[1].settings, { level: 5 })
  })

  test('a refusing onEnable refuses the publication, translated, and changes nothing', async ({
    client,
    assert,
  }) => {
    probe.refuseEnable = true
    const refused = await putStatus(client, admin, programId, 'published')
    refused.assertStatus(422)
    assert.equal(
      refused.body().errors[0].message,
      // In the admin's language (Czech), the plugin's own message included.
      'Program nelze zveřejnit: Sonda není připravena (úroveň 3).'
    )
    assert.equal(refused.body().errors[0].field, 'status')
    assert.lengthOf(probe.of('onEnable'), 1)
    const row = await owner().from('programs').where('id', programId).firstOrFail()
    assert.equal(row.status, 'draft')
    assert.isNull(row.published_at)
    // The note onEnable wrote before refusing is gone with the status change and its audit.
    assert.lengthOf(await owner().from('probe_notes').where('program_id', programId), 0)
    const audits = await owner()
      .from('audit_events')
      .where('subject_id', programId)
      .where('action', 'program.status_changed')
    assert.lengthOf(audits, 0)
  })

  test('onEnable on every publication, onDisable on closing, none on archiving', async ({
    client,
    assert,
  }) => {
    const tenant = await crdm()
    ;(await putStatus(client, admin, programId, 'published')).assertStatus(200)
    assert.deepEqual(
      probe.of('onEnable').map((call) => call.payload),
      [{ tenantId: tenant, programId, settings: { level: 5 } }]
    )
    ;(await putStatus(client, admin, programId, 'closed')).assertStatus(200)
    ;(await putStatus(client, admin, programId, 'published')).assertStatus(200)
    assert.deepEqual(
      probe.calls.map((call) => call.name),
      ['onEnable', 'onDisable', 'onEnable']
    )
    const notes = await owner()
      .from('probe_notes')
      .where('program_id', programId)
      .orderBy('created_at')
    assert.deepEqual(
      notes.map((note: any) => note.note),
      ['enabled', 'disabled', 'enabled']
    )
    assert.equal(
      (await owner().from('programs').where('id', programId).first()).status,
      'published'
    )
  })

  test('eligibility facts: the live check, submit and providing information send the hook; facts are recorded', async ({
    client,
    assert,
  }) => {
    await clearApplicationsOf(parent)
    const tenant = await crdm()
    probe.facts = { 'probe.score': 7, 'probe.member': true }

    const check = await client
      .post(`/portal/programs/${programId}/check`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ childId, declared: CHILD_ALLOWANCE })
      .loginAs(parent)
    check.assertStatus(200)
    assert.isTrue(check.body().eligible)
    const [checked] = probe.of('application.eligibility_facts')
    assert.deepInclude(checked.payload, {
      tenantId: tenant,
      programId,
      applicationId: null,
      applicantUserId: parent.id,
      childId,
    })
    assert.equal(checked.payload.facts.applicant.citizenship, 'CZ')
    assert.isTrue(checked.payload.facts.applicant.benefits.child_allowance)
    assert.isTrue(Object.isFrozen(checked.payload.facts))
    assert.deepEqual(checked.settings, { level: 5 })

    const submitted = await submit(client, parent, programId, childId)
    submitted.assertStatus(200)
    const id = submitted.body().id
    const stored = await owner().from('applications').where('id', id).firstOrFail()
    assert.deepEqual(stored.facts.probe, { score: 7, member: true })
    assert.equal(stored.facts.applicant.citizenship, 'CZ')
    assert.isNull(probe.of('application.eligibility_facts')[1].payload.applicationId)

    // The reviewer asks; the answer rebuilds the facts, now for the recorded application.
    ;(
      await client
        .post(`/admin/applications/${id}/request-info`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ message: 'Please add the second page.' })
        .loginAs(admin)
    ).assertStatus(200)
    probe.facts = { 'probe.score': 8 }
    const answered = await client
      .post(`/portal/applications/${id}/answer`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .field('note', 'Here it is.')
      .file('documents[labour_office_decision]', pdfBytes('page 2'), { filename: 'p2.pdf' })
      .loginAs(parent)
    answered.assertStatus(200)
    const calls = probe.of('application.eligibility_facts')
    assert.lengthOf(calls, 3)
    assert.equal(calls[2].payload.applicationId, id)
    const rebuilt = await owner().from('applications').where('id', id).firstOrFail()
    assert.deepEqual(rebuilt.facts.probe, { score: 8 })

    // Review reads the recorded facts: the hook is not sent again.
    ;(
      await client
        .get(`/admin/applications/${id}`)
        .header('accept', 'application/json')
        .loginAs(admin)
    ).assertStatus(200)
    assert.lengthOf(probe.of('application.eligibility_facts'), 3)

    // Withdrawing sends application.withdrawn with the status it had.
    const withdrawn = await client
      .post(`/portal/applications/${id}/withdraw`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .loginAs(parent)
    withdrawn.assertStatus(200)
    assert.deepEqual(
      probe.of('application.withdrawn').map((call) => call.payload),
      [
        {
          tenantId: tenant,
          programId,
          applicationId: id,
          applicantUserId: parent.id,
          childId,
          periodId: stored.period_key,
          previousStatus: 'submitted',
          by: 'applicant',
        },
      ]
    )
    assert.equal((await owner().from('applications').where('id', id).first()).status, 'withdrawn')
  })

  test('facts setting a core fact, outside the plugin’s id, undeclared or of the wrong type are refused and nothing is written', async ({
    client,
    assert,
  }) => {
    await clearApplicationsOf(parent)
    const refusedFacts: Record<string, string | number>[] = [
      { 'applicant.citizenship': 'UA' },
      { 'household.children_count': 0 },
      { 'probe.score': 1, 'reference_date': '2000-01-01' },
      // Not in the manifest's facts, or not of the declared type.
      { 'probe.undeclared': 1 },
      { 'probe.score': 'seven' },
      { 'probe.member': 1 },
    ]
    for (const facts of refusedFacts) {
      probe.facts = facts
      const response = await submit(client, parent, programId, childId)
      response.assertStatus(422)
      assert.equal(
        response.body().errors[0].message,
        "The programme's eligibility check is not available at the moment. Please try again later; if it goes on, contact the programme's organiser.",
        JSON.stringify(facts)
      )
    }
    probe.facts = {}
    probe.refuseFacts = true
    const refused = await submit(client, parent, programId, childId)
    refused.assertStatus(422)
    assert.equal(
      refused.body().errors[0].message,
      'The programme cannot assess this application: The probe has no facts about this applicant.'
    )
    const count = await owner()
      .from('applications')
      .where('applicant_user_id', parent.id)
      .count('* as n')
    assert.equal(Number(count[0].n), 0)

    // The offers page says why instead of failing as a whole.
    const offers = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(parent)
    offers.assertStatus(200)
    const offer = offers.body().offers.find((o: any) => o.id === programId)
    assert.equal(offer.children[0].verdict, 'not_eligible')
    assert.include(offer.children[0].reasons[0], 'The probe has no facts about this applicant.')
  })

  test('the admin program page shows the plugin’s menu entries as links (program.nav_items)', async ({
    client,
    assert,
  }) => {
    const page = await client
      .get(`/admin/programs/${programId}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    page.assertStatus(200)
    // The entry to a route that does not exist is left out (and logged).
    assert.deepEqual(page.body().pluginLinks, [
      {
        pluginId: 'probe',
        routeName: 'portal.benefits',
        label: 'Stránka sondy',
        href: '/portal/benefits',
      },
    ])
    assert.deepEqual(probe.of('program.nav_items')[0].payload, {
      tenantId: await crdm(),
      programId,
      area: 'admin',
    })

    probe.failNav = true
    const broken = await client
      .get(`/admin/programs/${programId}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    broken.assertStatus(200)
    assert.deepEqual(broken.body().pluginLinks, [])
  })
  test('a rule names the plugin’s declared fact: saved, decided on, explained and recorded', async ({
    client,
    assert,
  }) => {
    await clearApplicationsOf(parent)
    const versions = async () =>
      Number(
        (await owner().from('program_versions').where('program_id', programId).count('* as n'))[0].n
      )
    const save = (eligibilityRule: unknown) =>
      client
        .put(`/admin/programs/${programId}`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ config: { ...probeConfig(5), eligibilityRule } })
        .loginAs(admin)
    const withCondition = (condition: unknown) => ({
      and: [...(DK_CZ_RULE as { and: unknown[] }).and, condition],
    })

    // Another plugin's fact, or one the probe does not declare: refused, named, nothing saved.
    const before = await versions()
    const foreign = await save(withCondition({ '<=': [{ var: 'voucher.used_this_year' }, 1] }))
    foreign.assertStatus(422)
    assert.deepInclude(foreign.body().errors[0], {
      field: 'eligibilityRule',
      message: '„voucher.used_this_year“ není známý údaj.',
    })
    const undeclared = await save(withCondition({ '===': [{ var: 'probe.nope' }, true] }))
    undeclared.assertStatus(422)
    assert.deepInclude(undeclared.body().errors[0], {
      field: 'eligibilityRule',
      message: 'Typ programu „probe“ nedeklaruje údaj „probe.nope“.',
    })
    assert.equal(await versions(), before)

    // The probe's own declared fact: accepted.
    const rule = withCondition({ '<=': [{ var: 'probe.score' }, 5] })
    ;(await save(rule)).assertStatus(200)
    assert.equal(await versions(), before + 1)

    // The admin page gives the builder the plugin's facts, labelled with the plugin's name.
    const page = await client
      .get(`/admin/programs/${programId}`)
      .header('accept', 'application/json')
      .loginAs(admin)
    page.assertStatus(200)
    assert.equal(page.body().pluginFacts.pluginId, 'probe')
    assert.equal(page.body().pluginFacts.name, 'Probe')
    assert.deepEqual(Object.keys(page.body().pluginFacts.facts), ['score', 'member'])
    assert.include(page.body().ruleSentence, 'skóre sondy')

    // The builder's live test accepts sample values for it and explains with its label.
    const tested = await client
      .post(`/admin/programs/${programId}/rule-test`)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({
        rule: { '<=': [{ var: 'probe.score' }, 5] },
        samples: [
          { name: 'low', facts: { probe: { score: 2 } }, expected: true },
          { name: 'high', facts: { probe: { score: 8 } }, expected: false },
        ],
      })
      .loginAs(admin)
    tested.assertStatus(200)
    assert.deepEqual(
      tested.body().results.map((r: any) => [r.name, r.eligible, r.matches]),
      [
        ['low', true, true],
        ['high', false, true],
      ]
    )
    assert.include(tested.body().results[1].reasons[0], 'Skóre sondy')

    // Offers: the condition on the plugin fact is decided before any answer, with its reason.
    probe.facts = { 'probe.score': 9 }
    const offers = await client
      .get('/portal/offers')
      .header('accept', 'application/json')
      .loginAs(parent)
    offers.assertStatus(200)
    const offer = offers.body().offers.find((o: any) => o.id === programId)
    assert.equal(offer.children[0].verdict, 'not_eligible')
    assert.deepEqual(offer.children[0].reasons, ['Probe score 9 must be at most 5.'])

    // The live check: the verdict and the translated reason.
    const check = async () =>
      client
        .post(`/portal/programs/${programId}/check`)
        .withCsrfToken()
        .header('accept', 'application/json')
        .json({ childId, declared: CHILD_ALLOWANCE })
        .loginAs(parent)
    const refused = await check()
    refused.assertStatus(200)
    assert.isFalse(refused.body().eligible)
    assert.deepEqual(refused.body().reasons, ['Probe score 9 must be at most 5.'])
    probe.facts = { 'probe.score': 3 }
    const accepted = await check()
    assert.isTrue(accepted.body().eligible)

    // The application records the fact and the verdict made with it.
    const submitted = await submit(client, parent, programId, childId)
    submitted.assertStatus(200)
    const stored = await owner().from('applications').where('id', submitted.body().id).firstOrFail()
    assert.deepEqual(stored.facts.probe, { score: 3 })
    assert.isTrue(stored.eligible)
  })
})
