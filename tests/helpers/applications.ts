/*
 * Fixtures for application tests: citizens, children and verifications made with the owner
 * connection (bypassing row-level security), and small real documents.
 */
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import User from '#models/user'
import { tenantId } from '#tests/helpers/auth'

const owner = () => db.connection('owner')

/** A citizen with a home tenant (created once per e-mail). */
export async function makeCitizen(input: {
  email: string
  fullName: string
  homeTenant: string
  citizenship: string
  locale?: 'cs' | 'en' | 'uk' | 'pl'
}) {
  const existing = await User.query({ client: owner() })
    .where('emailNormalized', input.email.toLowerCase())
    .first()
  if (existing) return existing
  return User.create(
    {
      email: input.email,
      fullName: input.fullName,
      password: 'Test-password-1234',
      locale: input.locale ?? 'cs',
      homeTenantId: await tenantId(input.homeTenant),
      citizenship: input.citizenship,
      emailVerifiedAt: DateTime.now(),
    },
    { client: owner() }
  )
}

/** A child of `parent` (returns its id). */
export async function makeChild(parent: User, firstName: string, birthDate: string) {
  const [row] = await owner()
    .table('children')
    .insert({
      parent_user_id: parent.id,
      first_name: firstName,
      last_name: 'Testová',
      birth_date: birthDate,
    })
    .onConflict(['parent_user_id', 'first_name', 'last_name', 'birth_date'])
    .merge()
    .returning('id')
  return row.id as string
}

/**
 * Records a verification of `user` by `tenant` (verified now, expiring after `days`), with the
 * birth date the register confirmed when given.
 */
export async function verify(
  user: User,
  tenant: string,
  days = 365,
  birthDate: string | null = null
) {
  const now = DateTime.now()
  await owner()
    .table('verifications')
    .insert({
      tenant_id: await tenantId(tenant),
      user_id: user.id,
      method: 'register',
      status: 'verified',
      reasons: JSON.stringify([]),
      resident_of: tenant,
      birth_date: birthDate,
      verified_at: now.minus({ days: 400 }).toJSDate(),
      expires_at: now.plus({ days }).toJSDate(),
    })
}

/** Removes everything a test user did (applications first; the ledger stays, it is append-only). */
export async function clearApplicationsOf(...users: User[]) {
  const ids = users.map((user) => user.id)
  await owner().transaction(async (trx) => {
    // History and decisions are append-only; the owner may purge test fixtures explicitly.
    await trx.rawQuery(`select set_config('app.ledger_maintenance', 'on', true)`)
    await trx.from('applications').whereIn('applicant_user_id', ids).delete()
    await trx.from('verifications').whereIn('user_id', ids).delete()
  })
}

/** The id of a program by tenant and slug. */
export async function programId(tenant: string, slug: string) {
  const row = await owner()
    .from('programs')
    .where('tenant_id', await tenantId(tenant))
    .where('slug', slug)
    .select('id')
    .firstOrFail()
  return row.id as string
}

/** A small but real PDF. */
export function pdfBytes(text = 'Labour Office decision') {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n% ${text}\ntrailer <</Root 1 0 R>>\n%%EOF\n`
  )
}

/** A 1×1 PNG. */
export function pngBytes() {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64'
  )
}

/** The current version row of a program (id and budget), read as the owner. */
export async function currentVersionOf(program: string) {
  return owner()
    .from('program_versions as pv')
    .join('programs as p', (join) => {
      join
        .on('p.tenant_id', 'pv.tenant_id')
        .andOn('p.id', 'pv.program_id')
        .andOn('p.current_version', 'pv.version')
    })
    .where('p.id', program)
    .select('pv.id', 'pv.budget_minor')
    .firstOrFail() as Promise<{ id: string; budget_minor: number }>
}

/** What a program has drawn from its budget so far (minor units), from its ledger accounts. */
export async function drawnOf(program: string) {
  const rows = await owner()
    .from('ledger_accounts')
    .where('program_id', program)
    .whereIn('kind', ['program_budget', 'program_funding'])
  const balance = (kind: string) => Number(rows.find((r) => r.kind === kind)?.cached_balance ?? 0)
  return -balance('program_funding') - balance('program_budget')
}

/** Sets the budget of a program's current version directly (no release of its waiting list). */
export async function setCurrentBudget(program: string, budgetMinor: number) {
  const version = await currentVersionOf(program)
  await owner()
    .from('program_versions')
    .where('id', version.id)
    .update({ budget_minor: budgetMinor })
}

/** The declaration a Czech parent makes for "Darujeme kroužky dětem (CZ)": child allowance. */
export const CHILD_ALLOWANCE = { 'applicant.benefits.child_allowance': true }

/**
 * A parent's submission through the API to a program asking the Czech call's facts: the child
 * allowance declared and the Labour Office decision as a real PDF.
 */
export function submitWithChildAllowance(
  client: ApiClient,
  parent: User,
  program: string,
  childId: string,
  filename = 'd.pdf'
) {
  return client
    .post(`/portal/programs/${program}/applications`)
    .withCsrfToken()
    .header('accept', 'application/json')
    .field('childId', childId)
    .field('declared', JSON.stringify(CHILD_ALLOWANCE))
    .file('documents[labour_office_decision]', pdfBytes(), { filename })
    .loginAs(parent)
}
