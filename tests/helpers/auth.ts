import User from '#models/user'
import db from '@adonisjs/lucid/services/db'

/** A demo person by e-mail (created by `demo:seed` before the tests). */
export async function demoUser(email: string) {
  return User.findByOrFail('emailNormalized', email.toLowerCase())
}

/** Id of a tenant by slug. */
export async function tenantId(slug: string): Promise<string> {
  const row = await db
    .connection('owner')
    .from('tenants')
    .where('slug', slug)
    .select('id')
    .firstOrFail()
  return row.id
}

/** A membership id of a tenant (read as the owner, bypassing RLS), for cross-tenant tests. */
export async function membershipOf(slug: string, role = 'tenant_admin'): Promise<string> {
  const row = await db
    .connection('owner')
    .from('tenant_memberships')
    .where('tenant_id', await tenantId(slug))
    .where('role', role)
    .select('id')
    .firstOrFail()
  return row.id
}

/**
 * The newest e-mail kept in the outbox for an address (of a template, when given). Mail is
 * sent after the request's transaction commits, so it may land a moment after the response:
 * wait up to `waitMs`.
 */
export async function lastMailTo(
  address: string,
  template?: string,
  waitMs = 3000,
  /** Only mail queued at or after this moment (when an earlier one of the template exists). */
  since?: Date
) {
  const deadline = Date.now() + waitMs
  while (true) {
    const query = db
      .connection('owner')
      .from('mail_outbox')
      .where('to_address', address)
      .orderBy('created_at', 'desc')
    if (template) query.where('template', template)
    if (since) query.where('created_at', '>=', since)
    const row = await query.first()
    if (row || Date.now() > deadline) return row ?? null
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
