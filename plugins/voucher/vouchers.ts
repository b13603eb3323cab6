/*
 * Reading vouchers for the voucher plugin's pages. A person's vouchers are read "as the person
 * alone" (asPersonOnly): with no tenant in scope, only the row-level security policies that give
 * a holder their own vouchers apply, whichever tenant issued them. So "a voucher this person can
 * read" is decided by the database, not by a join in this code; any other id is a 404. Staff read
 * a program's vouchers in their tenant's scope.
 */
import { DateTime } from 'luxon'
import { asPersonOnly, scopedClient } from '#tenancy/tenant_context'

/** A voucher as the plugin's pages use it. */
export interface VoucherRow {
  id: string
  tenantId: string
  programId: string
  programVersion: number
  /** Who holds it (today a child's id; see database/migrations/0008_ledger_holder_read.ts). */
  holderRef: string
  code: string
  faceValueMinor: number
  currency: string
  periodKey: string | null
  expiresAt: DateTime | null
  status: 'active' | 'spent' | 'expired' | 'cancelled'
  createdAt: DateTime
}

const COLUMNS = `id, tenant_id, program_id, program_version, child_ref, code, face_value, currency,
  period_key, expires_at, status, created_at`

function toRow(row: any): VoucherRow {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    programId: row.program_id,
    programVersion: Number(row.program_version),
    holderRef: row.child_ref,
    code: row.code,
    faceValueMinor: Number(row.face_value),
    currency: String(row.currency).trim(),
    periodKey: row.period_key,
    expiresAt: row.expires_at ? DateTime.fromJSDate(new Date(row.expires_at)) : null,
    status: row.status,
    createdAt: DateTime.fromJSDate(new Date(row.created_at)),
  }
}

/** One voucher the signed-in person holds, or null (unknown, or someone else's). */
export async function heldVoucher(id: string): Promise<VoucherRow | null> {
  return asPersonOnly(async () => {
    const { rows } = await scopedClient().rawQuery(
      `select ${COLUMNS} from ledger_vouchers where id = ?`,
      [id]
    )
    return rows[0] ? toRow(rows[0]) : null
  })
}

/** The vouchers of one program the signed-in person holds, oldest first. */
export async function heldVouchersOf(programId: string): Promise<VoucherRow[]> {
  return asPersonOnly(async () => {
    const { rows } = await scopedClient().rawQuery(
      `select ${COLUMNS} from ledger_vouchers where program_id = ? order by created_at, code`,
      [programId]
    )
    return rows.map(toRow)
  })
}

/** The newest vouchers a program issued (the tenant's staff scope), at most `limit`. */
export async function issuedVouchersOf(
  tenantId: string,
  programId: string,
  limit: number
): Promise<VoucherRow[]> {
  const { rows } = await scopedClient().rawQuery(
    `select ${COLUMNS} from ledger_vouchers where tenant_id = ? and program_id = ?
      order by created_at desc, code limit ?`,
    [tenantId, programId, limit]
  )
  return rows.map(toRow)
}

/** How many vouchers a program issued, by status (every status present, 0 when none). */
export async function issuedCountsOf(tenantId: string, programId: string) {
  const { rows } = await scopedClient().rawQuery(
    `select status, count(*)::int as n, coalesce(sum(face_value), 0)::bigint as value
       from ledger_vouchers where tenant_id = ? and program_id = ? group by status`,
    [tenantId, programId]
  )
  const counts = {
    active: { count: 0, valueMinor: 0 },
    spent: { count: 0, valueMinor: 0 },
    expired: { count: 0, valueMinor: 0 },
    cancelled: { count: 0, valueMinor: 0 },
  }
  for (const row of rows as any[]) {
    if (row.status in counts) {
      counts[row.status as keyof typeof counts] = {
        count: Number(row.n),
        valueMinor: Number(row.value),
      }
    }
  }
  return counts
}

/**
 * The status a person should see: an active voucher past its expiry is shown as expired (the
 * ledger marks it expired when the expiry job runs).
 */
export function shownStatus(row: VoucherRow, now = DateTime.now()): VoucherRow['status'] {
  return row.status === 'active' && row.expiresAt && row.expiresAt <= now ? 'expired' : row.status
}

/** The code in groups of four, as printed and read aloud (`ABCD EFGH JKLM NPQR`). */
export function groupedCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ')
}
