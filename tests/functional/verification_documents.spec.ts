import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { DateTime } from 'luxon'
import { demoUser, lastMailTo, tenantId } from '#tests/helpers/auth'
import {
  clearVerificationsOf,
  jpegBytes,
  pdfBytes,
  pngBytes,
  testCitizen,
} from '#tests/helpers/verification'
import { DOCUMENT_MAX_BYTES } from '#verification/identity_document'
import Tenant from '#models/tenant'
import { SubmitDocuments } from '#actions/verification/document_actions'
import { withTenantScope } from '#tenancy/tenant_context'

const CITIZEN = 'citizen@activecity.test'
const REVIEWER = 'reviewer.praha5@activecity.test'
const OTHER = { email: 'documents.other@activecity.test', fullName: 'Ondřej Jiný' }

function sendDocument(client: any, bytes: Buffer, filename: string, contentType: string) {
  return client
    .post('/portal/verification/documents')
    .withCsrfToken()
    .header('accept', 'application/json')
    .file('document', bytes, { filename, contentType })
}

function json(call: any) {
  return call.header('accept', 'application/json')
}

async function people() {
  return {
    citizen: await demoUser(CITIZEN),
    reviewer: await demoUser(REVIEWER),
    other: await testCitizen({ ...OTHER, tenant: 'praha-5' }),
  }
}

/** Every file on the disk under Praha 5's folder. */
async function storedKeys() {
  const { objects } = await drive.use().listAll(`${await tenantId('praha-5')}/`, {
    recursive: true,
  })
  return [...objects]
    .filter((object) => object.isFile)
    .map((object) => (object as { key: string }).key)
    .sort()
}

async function rowsOf(userId: string) {
  return db.connection('owner').from('verifications').where('user_id', userId)
}

/** A pending request by documents of the demo citizen; returns its verification and document. */
async function submitted(client: any, bytes = pdfBytes(), name = 'doklad.pdf') {
  const { citizen } = await people()
  const response = await sendDocument(client, bytes, name, 'application/pdf').loginAs(citizen)
  response.assertStatus(200)
  return response.body().verification
}

test.group('verification by documents', (group) => {
  group.each.setup(async () => {
    const { citizen, other, reviewer } = await people()
    await clearVerificationsOf([citizen.id, other.id, reviewer.id])
  })
  group.teardown(async () => {
    const { citizen, other, reviewer } = await people()
    await clearVerificationsOf([citizen.id, other.id, reviewer.id])
  })

  test('a citizen sends a PDF: stored privately under the tenant, waiting for review', async ({
    client,
    assert,
  }) => {
    const verification = await submitted(client)
    assert.equal(verification.method, 'documents')
    assert.equal(verification.status, 'pending')
    assert.isFalse(verification.valid)
    assert.lengthOf(verification.documents, 1)
    assert.equal(verification.documents[0].contentType, 'application/pdf')
    assert.notProperty(verification.documents[0], 'storageKey')

    const row = await db
      .connection('owner')
      .from('verification_documents')
      .where('id', verification.documents[0].id)
      .first()
    const praha5 = await tenantId('praha-5')
    assert.equal(row.tenant_id, praha5)
    assert.isTrue(row.storage_key.startsWith(`${praha5}/`))
    assert.isTrue(await drive.use().exists(row.storage_key))
    assert.deepEqual(Buffer.from(await drive.use().getBytes(row.storage_key)), pdfBytes())

    const { citizen } = await people()
    const page = await json(client.get('/portal/verification')).loginAs(citizen)
    assert.equal(page.body().pending.id, verification.id)
    assert.isNull(page.body().current)
    // No e-mail yet: nothing has been decided.
    assert.isNull(await lastMailTo(CITIZEN, 'verification_result', 300))
  })

  test('JPEG and PNG are accepted by their content', async ({ client, assert }) => {
    const { citizen } = await people()
    const png = await sendDocument(
      client,
      pngBytes(8, 8),
      'scan',
      'application/octet-stream'
    ).loginAs(citizen)
    png.assertStatus(200)
    assert.equal(png.body().verification.documents[0].contentType, 'image/png')
    await clearVerificationsOf([citizen.id])
    const jpeg = await sendDocument(client, jpegBytes(), 'photo.png', 'image/png').loginAs(citizen)
    jpeg.assertStatus(200)
    assert.equal(jpeg.body().verification.documents[0].contentType, 'image/jpeg')
  })

  test('a fake PDF, an oversize file or no file is refused and nothing is stored', async ({
    client,
    assert,
  }) => {
    const { citizen } = await people()
    const keysBefore = await storedKeys()
    const oversize = Buffer.concat([pdfBytes(), Buffer.alloc(DOCUMENT_MAX_BYTES, 0x20)])
    const cases = [
      {
        name: 'text pretending to be a PDF',
        call: sendDocument(
          client,
          Buffer.from('This is just text, not a PDF.'),
          'id.pdf',
          'application/pdf'
        ),
        rule: 'verification.document_type',
      },
      {
        name: 'an HTML page named .png',
        call: sendDocument(
          client,
          Buffer.from('<html><script>alert(1)</script></html>'),
          'id.png',
          'image/png'
        ),
        rule: 'verification.document_type',
      },
      {
        name: 'a ZIP archive',
        call: sendDocument(
          client,
          Buffer.from('504b0304140000000000', 'hex'),
          'id.pdf',
          'application/pdf'
        ),
        rule: 'verification.document_type',
      },
      {
        name: 'oversize',
        call: sendDocument(client, oversize, 'big.pdf', 'application/pdf'),
        rule: 'verification.document_too_large',
      },
      {
        name: 'no file',
        call: client
          .post('/portal/verification/documents')
          .withCsrfToken()
          .header('accept', 'application/json')
          .json({}),
        rule: 'verification.document_missing',
      },
    ]
    for (const item of cases) {
      const response = await item.call.loginAs(citizen)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'document', item.name)
      assert.equal(response.body().errors[0].rule, item.rule, item.name)
      assert.notInclude(response.body().errors[0].message, 'errors.', item.name)
      assert.notMatch(response.body().errors[0].message, /[{}]/, item.name)
    }
    assert.lengthOf(await rowsOf(citizen.id), 0)
    assert.deepEqual(await storedKeys(), keysBefore, 'no file is left behind by a refused upload')
  })

  test('a document stored by work that is then rolled back is deleted from the disk', async ({
    assert,
  }) => {
    const { citizen } = await people()
    const tenant = await Tenant.findByOrFail('slug', 'praha-5')
    let key = ''
    await assert.rejects(() =>
      withTenantScope({ tenantId: tenant.id, userId: citizen.id, platform: false }, async () => {
        const { document } = await new SubmitDocuments().handle({
          user: citizen,
          tenant,
          bytes: pdfBytes('rolled back'),
        })
        key = document.storageKey
        assert.isTrue(await drive.use().exists(key))
        throw new Error('something failed after the upload')
      })
    )
    // The clean-up runs after the rollback, asynchronously.
    const deadline = Date.now() + 3000
    while ((await drive.use().exists(key)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.isFalse(await drive.use().exists(key))
    assert.lengthOf(await rowsOf(citizen.id), 0)
  })

  test('one request at a time: a second one while the first waits is refused', async ({
    client,
    assert,
  }) => {
    await submitted(client)
    const { citizen } = await people()
    const again = await sendDocument(client, pdfBytes(), 'b.pdf', 'application/pdf').loginAs(
      citizen
    )
    again.assertStatus(422)
    assert.equal(again.body().errors[0].rule, 'verification.documents_pending')
    assert.lengthOf(await rowsOf(citizen.id), 1)
  })

  test('the citizen opens their own document; nobody else can', async ({ client, assert }) => {
    const verification = await submitted(client)
    const documentId = verification.documents[0].id
    const { citizen, other } = await people()
    const own = await client.get(`/portal/verification/documents/${documentId}`).loginAs(citizen)
    own.assertStatus(200)
    assert.equal(own.header('content-type'), 'application/pdf')
    assert.match(
      own.header('content-disposition') ?? '',
      /^inline; filename="document-[0-9a-f]{8}\.pdf"$/
    )
    assert.equal(own.header('x-content-type-options'), 'nosniff')
    assert.include(own.header('cache-control'), 'no-store')

    const stranger = await client.get(`/portal/verification/documents/${documentId}`).loginAs(other)
    assert.oneOf(stranger.status(), [403, 404])
    const unknown = await client
      .get(`/portal/verification/documents/${crypto.randomUUID()}`)
      .loginAs(citizen)
    unknown.assertStatus(404)
    // Staff open it only through the admin, never through the portal route.
    const reviewer = await client
      .get(`/portal/verification/documents/${documentId}`)
      .loginAs(await demoUser(REVIEWER))
    assert.oneOf(reviewer.status(), [403, 404])
  })

  test('the reviewer sees the queue, opens the document inline and verifies', async ({
    client,
    assert,
  }) => {
    const verification = await submitted(client, pngBytes(16, 16), 'id.png')
    const { reviewer, citizen } = await people()

    const list = await json(client.get('/admin/verifications')).loginAs(reviewer)
    list.assertStatus(200)
    assert.equal(list.body().status, 'pending')
    const row = list.body().verifications.find((v: any) => v.id === verification.id)
    assert.equal(row.fullName, citizen.fullName)
    assert.isAtLeast(list.body().pendingCount, 1)

    const detail = await json(client.get(`/admin/verifications/${verification.id}`)).loginAs(
      reviewer
    )
    detail.assertStatus(200)
    assert.isTrue(detail.body().canDecide)
    assert.isFalse(detail.body().canRevoke)
    const documentId = detail.body().verification.documents[0].id

    const file = await client
      .get(`/admin/verifications/${verification.id}/documents/${documentId}`)
      .loginAs(reviewer)
    file.assertStatus(200)
    assert.equal(file.header('content-type'), 'image/png')
    assert.match(file.header('content-disposition') ?? '', /^inline;/)
    assert.equal(file.header('x-content-type-options'), 'nosniff')
    assert.include(file.header('content-security-policy') ?? '', 'sandbox')

    const decided = await json(
      client.post(`/admin/verifications/${verification.id}/verify`).withCsrfToken()
    )
      .json({})
      .loginAs(reviewer)
    decided.assertStatus(200)
    assert.equal(decided.body().verification.status, 'verified')
    const months = DateTime.fromISO(decided.body().verification.expiresAt).diff(
      DateTime.fromISO(decided.body().verification.verifiedAt),
      'months'
    ).months
    assert.equal(Math.round(months), 12)

    const page = await json(client.get('/portal/verification')).loginAs(citizen)
    assert.equal(page.body().current.id, verification.id)
    assert.equal(page.body().current.method, 'documents')
    assert.isNull(page.body().pending)

    const mail = await lastMailTo(CITIZEN, 'verification_result')
    assert.isNotNull(mail)
    const stored = await db
      .connection('owner')
      .from('verifications')
      .where('id', verification.id)
      .first()
    assert.equal(stored.decided_by, reviewer.id)
    const audit = await db
      .connection('owner')
      .from('audit_events')
      .where('action', 'verification.verified')
      .where('subject_id', verification.id)
      .first()
    assert.equal(audit.actor_user_id, reviewer.id)

    // Decided once: a second decision is refused.
    const twice = await json(
      client.post(`/admin/verifications/${verification.id}/refuse`).withCsrfToken()
    )
      .json({ reason: 'Too late' })
      .loginAs(reviewer)
    twice.assertStatus(422)
    assert.equal(twice.body().errors[0].rule, 'verification.not_pending')
  })

  test('refusing needs a reason the citizen then reads', async ({ client, assert }) => {
    const verification = await submitted(client)
    const { reviewer, citizen } = await people()
    const url = `/admin/verifications/${verification.id}/refuse`
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(2001) }]) {
      const response = await json(client.post(url).withCsrfToken()).json(body).loginAs(reviewer)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'reason')
      assert.notInclude(response.body().errors[0].message, 'errors.')
    }
    const stillPending = await db
      .connection('owner')
      .from('verifications')
      .where('id', verification.id)
      .first()
    assert.equal(stillPending.status, 'pending')

    const reason = 'The scan is unreadable. Please send a sharper photo of both sides.'
    const refused = await json(client.post(url).withCsrfToken()).json({ reason }).loginAs(reviewer)
    refused.assertStatus(200)
    assert.equal(refused.body().verification.status, 'refused')

    const page = await json(client.get('/portal/verification')).loginAs(citizen)
    assert.isNull(page.body().current)
    assert.equal(page.body().latest.status, 'refused')
    assert.equal(page.body().latest.decisionReason, reason)
    const mail = await lastMailTo(CITIZEN, 'verification_result')
    assert.include(mail.text, reason)

    // Now the citizen may send another document.
    const again = await sendDocument(
      client,
      pdfBytes('second'),
      'b.pdf',
      'application/pdf'
    ).loginAs(citizen)
    again.assertStatus(200)
  })

  test("another tenant's staff, providers and citizens cannot see or decide it", async ({
    client,
    assert,
  }) => {
    const verification = await submitted(client)
    const documentId = verification.documents[0].id
    const olomouc = await demoUser('admin.olomouc@activecity.test')
    for (const call of [
      client.get(`/admin/verifications/${verification.id}`),
      client.get(`/admin/verifications/${verification.id}/documents/${documentId}`),
      client.post(`/admin/verifications/${verification.id}/verify`).withCsrfToken().json({}),
      client
        .post(`/admin/verifications/${verification.id}/revoke`)
        .withCsrfToken()
        .json({ reason: 'x' }),
    ]) {
      const response = await json(call).loginAs(olomouc)
      response.assertStatus(404)
    }
    const list = await json(client.get('/admin/verifications?status=all')).loginAs(olomouc)
    assert.notInclude(
      list.body().verifications.map((v: any) => v.id),
      verification.id
    )
    const { citizen } = await people()
    for (const user of [await demoUser('provider.staff@activecity.test'), citizen]) {
      const response = await json(client.get(`/admin/verifications/${verification.id}`)).loginAs(
        user
      )
      response.assertStatus(403)
      const verify = await json(
        client.post(`/admin/verifications/${verification.id}/verify`).withCsrfToken()
      )
        .json({})
        .loginAs(user)
      verify.assertStatus(403)
    }
    const stored = await db
      .connection('owner')
      .from('verifications')
      .where('id', verification.id)
      .first()
    assert.equal(stored.status, 'pending')
    // A malformed filter is a validation error, not a crash.
    const bad = await json(client.get('/admin/verifications?status=everything')).loginAs(
      await demoUser(REVIEWER)
    )
    bad.assertStatus(422)
  })

  test('staff cannot decide on their own verification', async ({ client, assert }) => {
    const { reviewer } = await people()
    const [row] = await db
      .connection('owner')
      .table('verifications')
      .insert({
        tenant_id: await tenantId('praha-5'),
        user_id: reviewer.id,
        method: 'documents',
        status: 'pending',
        reasons: JSON.stringify([]),
      })
      .returning('id')
    const response = await json(
      client.post(`/admin/verifications/${row.id}/verify`).withCsrfToken()
    )
      .json({})
      .loginAs(reviewer)
    response.assertStatus(422)
    assert.equal(response.body().errors[0].rule, 'verification.own_decision')
    const detail = await json(client.get(`/admin/verifications/${row.id}`)).loginAs(reviewer)
    assert.isTrue(detail.body().ownVerification)
    assert.isFalse(detail.body().canDecide)
  })
})

test.group('revocation and expiry', (group) => {
  group.each.setup(async () => {
    const { citizen } = await people()
    await clearVerificationsOf([citizen.id])
  })
  group.teardown(async () => {
    const { citizen } = await people()
    await clearVerificationsOf([citizen.id])
  })

  test('staff revoke a verification with a reason; the citizen sees it plainly', async ({
    client,
    assert,
  }) => {
    const { citizen } = await people()
    const verified = await json(client.post('/portal/verification'))
      .json({ birthDate: '1988-04-12' })
      .loginAs(citizen)
    assert.equal(verified.body().verification.status, 'verified')
    const id = verified.body().verification.id
    const manager = await demoUser('manager.praha5@activecity.test')

    const list = await json(client.get('/admin/verifications?status=verified')).loginAs(manager)
    assert.include(
      list.body().verifications.map((v: any) => v.id),
      id
    )
    const detail = await json(client.get(`/admin/verifications/${id}`)).loginAs(manager)
    assert.isTrue(detail.body().canRevoke)

    const noReason = await json(client.post(`/admin/verifications/${id}/revoke`).withCsrfToken())
      .json({ reason: '' })
      .loginAs(manager)
    noReason.assertStatus(422)
    assert.equal(noReason.body().errors[0].rule, 'verification.reason_required')

    const reason = 'The register reported a move to another municipality.'
    const revoked = await json(client.post(`/admin/verifications/${id}/revoke`).withCsrfToken())
      .json({ reason })
      .loginAs(manager)
    revoked.assertStatus(200)
    assert.equal(revoked.body().verification.status, 'revoked')
    assert.isString(revoked.body().verification.revokedAt)

    const page = await json(client.get('/portal/verification')).loginAs(citizen)
    assert.isNull(page.body().current)
    assert.equal(page.body().latest.status, 'revoked')
    assert.equal(page.body().latest.revokeReason, reason)
    const html = await client.get('/portal/verification').loginAs(citizen)
    html.assertStatus(200)
    assert.include(html.text(), 'revoked')

    const mail = await lastMailTo(CITIZEN, 'verification_result')
    // In her language (other suites may have switched it): withdrawn, with the reason quoted.
    assert.match(mail.subject, /zrušeno|withdrawn|скасовано|cofnięta/)
    assert.include(mail.text, reason)

    const again = await json(client.post(`/admin/verifications/${id}/revoke`).withCsrfToken())
      .json({ reason })
      .loginAs(manager)
    again.assertStatus(422)
    assert.equal(again.body().errors[0].rule, 'verification.not_revocable')
    const audit = await db
      .connection('owner')
      .from('audit_events')
      .where('action', 'verification.revoked')
      .where('subject_id', id)
      .first()
    assert.equal(audit.actor_user_id, manager.id)
  })

  test('a pending request cannot be revoked (it is refused instead)', async ({
    client,
    assert,
  }) => {
    const verification = await submitted(client)
    const response = await json(
      client.post(`/admin/verifications/${verification.id}/revoke`).withCsrfToken()
    )
      .json({ reason: 'x' })
      .loginAs(await demoUser(REVIEWER))
    response.assertStatus(422)
    assert.equal(response.body().errors[0].rule, 'verification.not_revocable')
  })

  test('an expired verification shows as expired to the citizen and to staff', async ({
    client,
    assert,
  }) => {
    const { citizen } = await people()
    const [row] = await db
      .connection('owner')
      .table('verifications')
      .insert({
        tenant_id: await tenantId('praha-5'),
        user_id: citizen.id,
        method: 'documents',
        status: 'verified',
        reasons: JSON.stringify([]),
        verified_at: DateTime.now().minus({ months: 13 }).toJSDate(),
        expires_at: DateTime.now().minus({ months: 1 }).toJSDate(),
        created_at: DateTime.now().minus({ months: 13 }).toJSDate(),
      })
      .returning('id')
    const page = await json(client.get('/portal/verification')).loginAs(citizen)
    assert.isNull(page.body().current)
    assert.isTrue(page.body().latest.expired)
    assert.equal(page.body().latest.id, row.id)
    const list = await json(client.get('/admin/verifications?status=verified')).loginAs(
      await demoUser(REVIEWER)
    )
    const listed = list.body().verifications.find((v: any) => v.id === row.id)
    assert.isTrue(listed.expired)
    assert.isFalse(listed.valid)
  })
})
