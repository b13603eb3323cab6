/*
 * What a person and their children hold: credit and vouchers, whichever tenant's program granted
 * them. Row-level security lets a parent read the child_credit accounts and vouchers of their own
 * children (database/migrations/0008_ledger_holder_read.ts) and a person those they hold
 * themselves (0010); nothing else of the ledger.
 */
import Child from '#models/child'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import type User from '#models/user'
import type { Locale } from '#eligibility/types'
import { scopedClient } from '#tenancy/tenant_context'
import { periodOf } from './facts.js'

function localized(value: unknown, locale: string) {
  const map = (value ?? {}) as Record<string, string>
  return map[locale] ?? map.en ?? map.cs ?? ''
}

/**
 * What the person holds (credit and vouchers of programs for the applicant themselves, such as a
 * seniors' pass) and what each of their children holds, whichever tenant's program granted it.
 * The person comes first, and only when they hold something; every child is listed.
 */
export async function benefitsOf(user: User, locale: Locale) {
  const children = await Child.query().where('parentUserId', user.id).orderBy('birthDate')
  const holders = [
    { id: user.id, name: user.fullName, self: true },
    ...children.map((child) => ({
      id: child.id,
      name: `${child.firstName} ${child.lastName}`,
      self: false,
    })),
  ]
  const ids = holders.map((holder) => holder.id)
  const client = scopedClient()
  const credits = (
    await client.rawQuery(
      `select tenant_id, program_id, owner_ref, currency, cached_balance
         from ledger_accounts where kind = 'child_credit' and owner_ref = any(?::text[])
        order by created_at`,
      [ids]
    )
  ).rows as any[]
  const vouchers = (
    await client.rawQuery(
      `select tenant_id, program_id, program_version, child_ref, code, face_value, currency,
              period_key, expires_at, status
         from ledger_vouchers where child_ref = any(?::text[])
        order by created_at, code`,
      [ids]
    )
  ).rows as any[]

  const programIds = [...new Set([...credits, ...vouchers].map((row) => row.program_id))]
  const programs = programIds.length ? await Program.query().whereIn('id', programIds) : []
  const versions = new Map<string, ProgramVersion>()
  for (const program of programs) {
    const version = await ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .where('version', program.currentVersion)
      .first()
    if (version) versions.set(program.id, version)
  }
  const programName = (id: string) => localized(versions.get(id)?.name, locale)

  return holders
    .map((holder) => ({
      id: holder.id,
      name: holder.name,
      self: holder.self,
      credits: credits
        .filter((row) => row.owner_ref === holder.id)
        .map((row) => ({
          programId: row.program_id,
          program: programName(row.program_id),
          amountMinor: Number(row.cached_balance),
          currency: String(row.currency).trim(),
        })),
      vouchers: vouchers
        .filter((row) => row.child_ref === holder.id)
        .map((row) => {
          const version = versions.get(row.program_id)
          const period = version && row.period_key ? periodOf(version, row.period_key) : null
          return {
            code: row.code,
            programId: row.program_id,
            program: programName(row.program_id),
            faceValueMinor: Number(row.face_value),
            currency: String(row.currency).trim(),
            period: period ? localized(period.name, locale) : row.period_key,
            expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
            status: row.status,
          }
        }),
    }))
    .filter((holder) => !holder.self || holder.credits.length + holder.vouchers.length > 0)
}
