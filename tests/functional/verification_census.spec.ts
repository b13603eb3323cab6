import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { demoUser, lastMailTo, tenantId } from '#tests/helpers/auth'
import {
  clearCensus,
  clearVerificationsOf,
  pdfBytes,
  pngBytes,
  testCitizen,
} from '#tests/helpers/verification'
import { scopedClient, withTenantScope } from '#tenancy/tenant_context'
import registerServiceRegistry from '#verification/register_service_registry'
import { CENSUS_MAX_BYTES } from '#verification/census_file'

const ADMIN = 'admin.olomouc@activecity.test'
/** Residents of Olomouc in resources/register/residents.csv, as citizens of Olomouc here. */
const HANA = {
  email: 'hana.census@activecity.test',
  fullName: 'Hana Navrátilová',
  birthDate: '1985-07-15',
  birthNumber: '855715/2241',
}
const IRYNA = {
  email: 'iryna.census@activecity.test',
  // Typed in Cyrillic in her account; the census lists her in Latin script.
  fullName: 'Ірина Ткаченко',
  birthDate: '1990-11-05',
}

/** A census in a Czech spreadsheet export: semicolons, BOM, Czech headers, Czech dates. */
const CENSUS = [
  '\uFEFFJméno;Příjmení;Datum narození;Rodné číslo',
  'Hana;Navrátilová;15. 7. 1985;855715/2241',
  'Iryna;Tkachenko;5.11.1990;',
  'Pavel;Čermák;1970-01-01;700101/2612',
].join('\r\n')

function upload(client: any, bytes: Buffer | string, filename = 'census.csv') {
  return client
    .post('/admin/census')
    .withCsrfToken()
    .header('accept', 'application/json')
    .file('file', Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'), {
      filename,
      contentType: 'text/csv',
    })
}

async function censusRow() {
  return db
    .connection('owner')
    .from('census_uploads')
    .where('tenant_id', await tenantId('olomouc'))
    .first()
}

async function entryCount(slug = 'olomouc') {
  const [{ n }] = await db
    .connection('owner')
    .from('census_entries')
    .where('tenant_id', await tenantId(slug))
    .count('* as n')
  return Number(n)
}

async function people() {
  return {
    admin: await demoUser(ADMIN),
    hana: await testCitizen({ email: HANA.email, fullName: HANA.fullName, tenant: 'olomouc' }),
    iryna: await testCitizen({
      email: IRYNA.email,
      fullName: IRYNA.fullName,
      tenant: 'olomouc',
      locale: 'uk',
    }),
  }
}

test.group('census file: upload by the tenant admin', (group) => {
  group.each.setup(async () => {
    registerServiceRegistry.override('olomouc', null)
    await clearCensus('olomouc')
  })
  group.teardown(async () => {
    registerServiceRegistry.restore()
    await clearCensus('olomouc')
  })

  test('a Czech spreadsheet export is stored as hashes only, with count and date', async ({
    client,
    assert,
  }) => {
    const { admin } = await people()
    const before = DateTime.now().minus({ seconds: 5 })
    const response = await upload(client, CENSUS).loginAs(admin)
    response.assertStatus(200)
    assert.equal(response.body().census.rowCount, 3)

    const page = await client
      .get('/admin/census')
      .header('accept', 'application/json')
      .loginAs(admin)
    page.assertStatus(200)
    assert.equal(page.body().census.rowCount, 3)
    assert.equal(page.body().census.uploadedBy, admin.fullName)
    assert.isTrue(DateTime.fromISO(page.body().census.uploadedAt) > before)

    // Nothing readable is stored: only 64-hex-digit HMACs.
    const entries = await db
      .connection('owner')
      .from('census_entries')
      .where('tenant_id', await tenantId('olomouc'))
    assert.lengthOf(entries, 3)
    const stored = JSON.stringify(entries)
    for (const plain of ['Navr', 'navr', 'Hana', '1985', '855715', '8557152241', 'Tkachenko']) {
      assert.notInclude(stored, plain)
    }
    for (const entry of entries) assert.match(entry.person_hash, /^[0-9a-f]{64}$/)
    assert.lengthOf(
      entries.filter((entry: any) => entry.birth_number_hash),
      2,
      'two rows had a birth number'
    )
    const audit = await db
      .connection('owner')
      .from('audit_events')
      .where('tenant_id', await tenantId('olomouc'))
      .where('action', 'census.uploaded')
      .orderBy('created_at', 'desc')
      .first()
    assert.equal(audit.data.rows, 3)
  })

  test('a new upload replaces the census completely', async ({ client, assert }) => {
    const { admin } = await people()
    ;(await upload(client, CENSUS).loginAs(admin)).assertStatus(200)
    const first = await censusRow()
    const replaced = await upload(
      client,
      'full_name,birth_date\nHana Navrátilová,1985-07-15\n'
    ).loginAs(admin)
    replaced.assertStatus(200)
    assert.equal(replaced.body().census.rowCount, 1)
    const second = await censusRow()
    assert.notEqual(second.id, first.id)
    assert.equal(await entryCount(), 1)
  })

  test('every bad file is refused with a translated reason and changes nothing', async ({
    client,
    assert,
  }) => {
    const { admin } = await people()
    ;(await upload(client, CENSUS).loginAs(admin)).assertStatus(200)
    const kept = await censusRow()

    const latin1 = Buffer.from('full_name,birth_date\nHana Navrátilová,1985-07-15\n', 'latin1')
    const tooLarge = Buffer.alloc(CENSUS_MAX_BYTES + 10, 'a')
    const cases: { name: string; bytes: Buffer | string; rule: string; filename?: string }[] = [
      {
        name: 'wrong columns',
        bytes: 'name,email\nHana,hana@example.cz\n',
        rule: 'census.invalid_lines',
      },
      { name: 'empty', bytes: '', rule: 'census.empty' },
      { name: 'only blank lines', bytes: '\r\n\r\n', rule: 'census.empty' },
      { name: 'a header but nobody', bytes: 'full_name,birth_date\n', rule: 'census.no_rows' },
      { name: 'a PDF named .csv', bytes: pdfBytes(), rule: 'census.not_csv' },
      { name: 'an image named .csv', bytes: pngBytes(4, 4), rule: 'census.not_csv' },
      { name: 'Latin-2 / Latin-1 text', bytes: latin1, rule: 'census.not_utf8' },
      { name: 'too large', bytes: tooLarge, rule: 'census.too_large' },
    ]
    for (const item of cases) {
      const response = await upload(client, item.bytes, item.filename).loginAs(admin)
      response.assertStatus(422)
      const errors = response.body().errors
      assert.equal(errors[0].field, 'file', item.name)
      assert.equal(errors[0].rule, item.rule, item.name)
      assert.notInclude(errors[0].message, 'errors.', item.name)
      assert.notMatch(errors[0].message, /[{}]/, item.name)
    }

    // Bad lines: every one is listed with its line number; one bad line refuses the file.
    const bad = await upload(
      client,
      [
        'full_name,birth_date,birth_number',
        'Hana Navrátilová,1985-07-15,855715/2241',
        'Petr Svoboda,1975-02-30,',
        ',1990-07-19,',
        'Eva Malá,2001-01-01,885412/1001',
        'Hana Navrátilová,1985-07-15,855715/2241',
      ].join('\n')
    ).loginAs(admin)
    bad.assertStatus(422)
    const errors = bad.body().errors
    assert.equal(errors[0].rule, 'census.invalid_lines')
    // The admin's language is Czech (users.locale).
    assert.include(errors[0].message, 'jsou 4 chyby')
    assert.deepEqual(
      errors.slice(1).map((e: any) => [e.field, e.line, e.rule]),
      [
        ['lines.0', 3, 'census.line.bad_date'],
        ['lines.1', 4, 'census.line.missing_value'],
        ['lines.2', 5, 'census.line.birth_number_date_mismatch'],
        ['lines.3', 6, 'census.line.duplicate_row'],
      ]
    )
    assert.include(errors[1].message, 'Řádek 3')
    assert.include(errors[2].message, 'jméno')

    // Wrong columns name the missing column, in the person's language.
    const czech = await upload(client, 'name_x,email\nHana,hana@example.cz\n').loginAs(admin)
    czech.assertStatus(422)
    assert.equal(czech.body().errors[1].rule, 'census.line.missing_column')
    assert.include(
      czech
        .body()
        .errors.map((e: any) => e.message)
        .join(' '),
      'datum narození'
    )

    // No file at all.
    const none = await client
      .post('/admin/census')
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({})
      .loginAs(admin)
    none.assertStatus(422)
    assert.equal(none.body().errors[0].rule, 'census.empty')

    const after = await censusRow()
    assert.equal(after.id, kept.id)
    assert.equal(after.row_count, 3)
    assert.equal(await entryCount(), 3)
  })

  test('only tenant admins upload; other staff and citizens are refused', async ({
    client,
    assert,
  }) => {
    const { hana } = await people()
    for (const user of [
      await demoUser('reviewer.praha5@activecity.test'),
      await demoUser('manager.praha5@activecity.test'),
      await demoUser('provider.admin@activecity.test'),
      hana,
    ]) {
      const response = await upload(client, CENSUS).loginAs(user)
      response.assertStatus(403)
      const page = await client
        .get('/admin/census')
        .header('accept', 'application/json')
        .loginAs(user)
      page.assertStatus(403)
    }
    assert.isNull(await censusRow())
  })

  test('each tenant keeps its own census under its own salt', async ({ client, assert }) => {
    const { admin } = await people()
    ;(await upload(client, CENSUS).loginAs(admin)).assertStatus(200)
    // The Praha 5 admin uploads the same file for Praha 5: the hashes differ (per-tenant salt).
    const praha5Admin = await demoUser('admin.praha5@activecity.test')
    try {
      ;(await upload(client, CENSUS).loginAs(praha5Admin)).assertStatus(200)
      const hashes = async (slug: string) =>
        (
          await db
            .connection('owner')
            .from('census_entries')
            .where('tenant_id', await tenantId(slug))
            .select('person_hash')
        ).map((row: any) => row.person_hash)
      const olomouc = await hashes('olomouc')
      const praha5 = await hashes('praha-5')
      assert.lengthOf(praha5, 3)
      assert.isEmpty(olomouc.filter((hash: string) => praha5.includes(hash)))

      // Row-level security: another tenant's scope sees none of them.
      const seen = await withTenantScope(
        { tenantId: await tenantId('praha-6'), userId: praha5Admin.id, platform: false },
        () => scopedClient().from('census_entries').count('* as n')
      )
      assert.equal(Number((seen as any)[0].n), 0)
      const own = await withTenantScope(
        { tenantId: await tenantId('praha-5'), userId: praha5Admin.id, platform: false },
        () => scopedClient().from('census_entries').count('* as n')
      )
      assert.equal(Number((own as any)[0].n), 3)
    } finally {
      await clearCensus('praha-5')
    }
  })
})

test.group('census file: a citizen verifies against it', (group) => {
  group.each.setup(async () => {
    registerServiceRegistry.override('olomouc', null)
    await clearCensus('olomouc')
    const { hana, iryna } = await people()
    await clearVerificationsOf([hana.id, iryna.id])
  })
  group.teardown(async () => {
    registerServiceRegistry.restore()
    await clearCensus('olomouc')
    const { hana, iryna } = await people()
    await clearVerificationsOf([hana.id, iryna.id])
  })

  async function loadCensus(client: any) {
    const { admin } = await people()
    ;(await upload(client, CENSUS).loginAs(admin)).assertStatus(200)
  }

  test('the page offers the census when the tenant has no register', async ({ client, assert }) => {
    const { hana } = await people()
    const without = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(hana)
    without.assertStatus(200)
    assert.isNull(without.body().onlineMethod)
    assert.isFalse(without.body().censusAvailable)

    await loadCensus(client)
    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(hana)
    assert.equal(page.body().onlineMethod, 'census')
    assert.isTrue(page.body().censusAvailable)
    assert.isFalse(page.body().registerAvailable)
  })

  test('a resident on the list is verified for 12 months and gets an e-mail', async ({
    client,
    assert,
  }) => {
    await loadCensus(client)
    const { hana } = await people()
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: HANA.birthDate })
      .loginAs(hana)
    response.assertStatus(200)
    const verification = response.body().verification
    assert.equal(verification.method, 'census')
    assert.equal(verification.status, 'verified')
    assert.isTrue(verification.valid)
    assert.equal(verification.residentOf, 'olomouc')
    const months = DateTime.fromISO(verification.expiresAt).diff(
      DateTime.fromISO(verification.verifiedAt),
      'months'
    ).months
    assert.equal(Math.round(months), 12)

    const mail = await lastMailTo(HANA.email, 'verification_result')
    assert.isNotNull(mail)
    assert.match(mail.subject, /verified/i)

    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(hana)
    assert.equal(page.body().current.id, verification.id)
    assert.equal(page.body().current.method, 'census')
  })

  test('with the birth number too; a name in Cyrillic matches its transliteration', async ({
    client,
    assert,
  }) => {
    await loadCensus(client)
    const { hana, iryna } = await people()
    const byNumber = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: HANA.birthDate, birthNumber: HANA.birthNumber })
      .loginAs(hana)
    assert.equal(byNumber.body().verification.status, 'verified')

    const cyrillic = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ method: 'census', birthDate: IRYNA.birthDate })
      .loginAs(iryna)
    cyrillic.assertStatus(200)
    assert.equal(cyrillic.body().verification.status, 'verified')
    // Her e-mail is in Ukrainian.
    const mail = await lastMailTo(IRYNA.email, 'verification_result')
    assert.match(mail.subject, /підтверджено/)
  })

  test('someone not on the list is told plainly, by page and e-mail', async ({
    client,
    assert,
  }) => {
    await loadCensus(client)
    const { hana } = await people()
    const before = new Date()
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1985-07-16' })
      .loginAs(hana)
    response.assertStatus(200)
    assert.equal(response.body().verification.status, 'no_match')
    assert.deepEqual(response.body().verification.reasons, ['not_found'])
    // An earlier test e-mailed Hana a result too: only the mail of this attempt counts.
    const mail = await lastMailTo(HANA.email, 'verification_result', 3000, before)
    assert.include(mail.text, 'not on its list of residents')
    assert.include(mail.text, 'upload a proof of identity and residence')

    const page = await client
      .get('/portal/verification')
      .header('accept', 'application/json')
      .loginAs(hana)
    assert.isNull(page.body().current)
    assert.equal(page.body().latest.status, 'no_match')
    assert.equal(page.body().latest.method, 'census')
  })

  test('a birth number on file under another name is a name mismatch', async ({
    client,
    assert,
  }) => {
    await loadCensus(client)
    // Pavel Čermák's birth number typed by Hana (with his birth date): the number is on file.
    const { hana } = await people()
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ birthDate: '1970-01-01', birthNumber: '700101/2612' })
      .loginAs(hana)
    assert.equal(response.body().verification.status, 'name_mismatch')
  })

  test('bad input is a translated field error and records nothing', async ({ client, assert }) => {
    await loadCensus(client)
    const { hana } = await people()
    const cases = [
      { body: { birthDate: HANA.birthDate, birthNumber: '855715/2242' }, field: 'birthNumber' },
      { body: { birthDate: '1985-07-16', birthNumber: HANA.birthNumber }, field: 'birthNumber' },
      { body: { birthDate: '1985-02-30' }, field: 'birthDate' },
      { body: { method: 'fax', birthDate: HANA.birthDate }, field: 'method' },
    ]
    for (const item of cases) {
      const response = await client
        .post('/portal/verification')
        .header('accept', 'application/json')
        .json(item.body)
        .loginAs(hana)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, item.field)
      assert.notInclude(response.body().errors[0].message, 'errors.')
    }
    const [{ n }] = await db
      .connection('owner')
      .from('verifications')
      .where('user_id', hana.id)
      .count('* as n')
    assert.equal(Number(n), 0)
  })

  test('asking for the census where there is none is refused plainly', async ({
    client,
    assert,
  }) => {
    const { hana } = await people()
    const response = await client
      .post('/portal/verification')
      .header('accept', 'application/json')
      .json({ method: 'census', birthDate: HANA.birthDate })
      .loginAs(hana)
    response.assertStatus(422)
    assert.equal(response.body().errors[0].rule, 'census.not_available')
    assert.notInclude(response.body().errors[0].message, 'errors.')
  })
})
