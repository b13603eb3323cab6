/*
 * `node ace documents:prune` (app/documents/prune.ts): stored documents no row refers to any more
 * are removed once old enough; referenced files, recent uploads and files outside the platform's
 * document areas stay; `--dry-run` removes nothing.
 */
import { test } from '@japa/runner'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { utimes } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { tenantId } from '#tests/helpers/auth'
import { execa } from '#tests/helpers/exec'
import {
  clearApplicationsOf,
  makeChild,
  makeCitizen,
  programId,
  verify,
  submitWithChildAllowance,
} from '#tests/helpers/applications'

const PARENT = {
  email: 'prune.parent@activecity.test',
  fullName: 'Petr Pročišťovač',
  homeTenant: 'crdm',
  citizenship: 'CZ',
  locale: 'en' as const,
}

/** Makes a stored file look `hours` old. */
async function age(key: string, hours: number) {
  const when = new Date(Date.now() - hours * 3_600_000)
  await utimes(path.join(process.env.DRIVE_ROOT!, key), when, when)
}

const exists = (key: string) => drive.use().exists(key)

test.group('documents:prune', (group) => {
  let parent: Awaited<ReturnType<typeof makeCitizen>>
  group.setup(async () => {
    parent = await makeCitizen(PARENT)
    return () => clearApplicationsOf(parent)
  })

  test('removes old unreferenced documents only, and nothing on a dry run', async ({
    client,
    assert,
  }) => {
    // A referenced document: a real submission's upload.
    await verify(parent, 'crdm')
    const childId = await makeChild(parent, 'Pavel', '2015-02-02')
    const submitted = await submitWithChildAllowance(
      client,
      parent,
      await programId('crdm', 'darujeme-krouzky-cz'),
      childId
    )
    submitted.assertStatus(200)
    const referenced = (
      await db
        .connection('owner')
        .from('application_documents')
        .where('application_id', submitted.body().id)
        .first()
    ).storage_key as string
    await age(referenced, 48)

    const tenant = await tenantId('crdm')
    const orphan = `${tenant}/applications/${randomUUID()}/${randomUUID()}.pdf`
    const orphanVerification = `${randomUUID()}/verifications/${randomUUID()}/${randomUUID()}.png`
    const recent = `${tenant}/applications/${randomUUID()}/${randomUUID()}.pdf`
    const foreign = `${tenant}/exports/${randomUUID()}.csv`
    for (const key of [orphan, orphanVerification, recent, foreign]) {
      await drive.use().put(key, 'x')
    }
    for (const key of [orphan, orphanVerification, foreign]) await age(key, 48)

    const dry = await execa(['documents:prune', '--dry-run'])
    assert.equal(dry.code, 0, dry.output)
    assert.include(dry.output, `would remove ${orphan}`)
    assert.include(dry.output, `would remove ${orphanVerification}`)
    for (const key of [referenced, orphan, orphanVerification, recent, foreign]) {
      assert.isTrue(await exists(key), `${key} kept on a dry run`)
    }

    const run = await execa(['documents:prune'])
    assert.equal(run.code, 0, run.output)
    assert.match(run.output, /removed/)
    assert.isFalse(await exists(orphan))
    assert.isFalse(await exists(orphanVerification))
    assert.isTrue(await exists(referenced), 'a referenced document stays')
    assert.isTrue(await exists(recent), 'a recent upload stays (its row may not be committed yet)')
    assert.isTrue(await exists(foreign), 'files outside the document areas are not touched')
    await drive.use().delete(recent)
    await drive.use().delete(foreign)

    // The referenced document still opens for its applicant.
    const opened = await client
      .get(
        `/portal/applications/${submitted.body().id}/documents/${
          (
            await db
              .connection('owner')
              .from('application_documents')
              .where('application_id', submitted.body().id)
              .first()
          ).id
        }`
      )
      .loginAs(parent)
    opened.assertStatus(200)
  }).timeout(60_000)
})
