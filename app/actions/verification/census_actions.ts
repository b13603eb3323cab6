import { DateTime } from 'luxon'
import env from '#start/env'
import type User from '#models/user'
import type Tenant from '#models/tenant'
import CensusUpload from '#models/census_upload'
import Verification, { VERIFICATION_VALIDITY, type VerificationStatus } from '#models/verification'
import DomainError from '#exceptions/domain_error'
import CensusFileInvalid from '#exceptions/census_file_invalid'
import { recordAudit } from '#actions/audit'
import { notifyVerificationResult } from '#actions/verification/notify_verification_result'
import { scopedClient } from '#tenancy/tenant_context'
import {
  hashCensusRow,
  matchCensus,
  type CensusMatch,
  type CensusRowHash,
} from '#verification/census'
import { readCensusFile } from '#verification/census_file'
import { censusSalt } from '#verification/census_secret'

/** Rows inserted per statement when a census is stored. */
const INSERT_CHUNK = 5000

/** The census salt of a tenant (secret, derived from APP_KEY; never stored). */
export function tenantCensusSalt(tenantId: string) {
  return censusSalt(tenantId, env.get('APP_KEY').release())
}

/** The tenant's current census, or null when it has none. */
export function currentCensus(tenantId: string) {
  return CensusUpload.query().where('tenantId', tenantId).first()
}

/**
 * Replaces a tenant's census with an uploaded CSV file (tenant admins). The file is checked
 * whole first: one bad line refuses it, and the census stays as it was. Then, in the request's
 * transaction, the old census is deleted and the new one's hashes inserted, so readers see
 * either the old census or the new one, never a mix. The file itself is not kept.
 */
export class UploadCensus {
  async handle(input: { tenant: Tenant; actor: User; bytes: Uint8Array }) {
    const read = await readCensusFile(input.bytes)
    if (!read.ok) throw new CensusFileInvalid(read.problem)

    const salt = tenantCensusSalt(input.tenant.id)
    const hashes = read.rows.map((row) => hashCensusRow(row, salt))
    const trx = scopedClient()
    // Two uploads at once for one tenant: the second waits for the first, then replaces it.
    await trx.rawQuery(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `census:${input.tenant.id}`,
    ])
    await CensusUpload.query().where('tenantId', input.tenant.id).delete()
    const upload = await CensusUpload.create({
      tenantId: input.tenant.id,
      rowCount: hashes.length,
      uploadedBy: input.actor.id,
      uploadedAt: DateTime.now(),
    })
    for (let start = 0; start < hashes.length; start += INSERT_CHUNK) {
      const chunk = hashes.slice(start, start + INSERT_CHUNK)
      await trx.rawQuery(
        `insert into census_entries (tenant_id, upload_id, person_hash, birth_number_hash)
         select ?, ?, person_hash, birth_number_hash
         from unnest(?::text[], ?::text[]) as rows (person_hash, birth_number_hash)`,
        [
          input.tenant.id,
          upload.id,
          chunk.map((hash) => hash.personHash),
          chunk.map((hash) => hash.birthNumberHash) as string[],
        ]
      )
    }
    await recordAudit({
      tenantId: input.tenant.id,
      actorUserId: input.actor.id,
      action: 'census.uploaded',
      subjectType: 'census_upload',
      subjectId: upload.id,
      data: { rows: hashes.length },
    })
    return upload
  }
}

const STATUS_OF: Record<CensusMatch['status'], VerificationStatus> = {
  match: 'verified',
  no_match: 'no_match',
  name_mismatch: 'name_mismatch',
}

export interface VerifyByCensusInput {
  user: User
  tenant: Tenant
  /** YYYY-MM-DD, checked by the validator. */
  birthDate: string
  /** Optional, checked by the validator (valid and matching the birth date). */
  birthNumber?: string | null
}

/**
 * Verifies a citizen against their home tenant's census: hashes the name of their account with
 * the birth date (and birth number) they typed, the way the census rows were hashed, and looks
 * the hashes up. Records the outcome and e-mails it.
 */
export class VerifyByCensus {
  async handle(input: VerifyByCensusInput) {
    const census = await currentCensus(input.tenant.id)
    if (!census) throw new DomainError('census.not_available')

    const salt = tenantCensusSalt(input.tenant.id)
    const person = {
      fullName: input.user.fullName,
      birthDate: input.birthDate,
      ...(input.birthNumber ? { birthNumber: input.birthNumber } : {}),
    }
    const own = hashCensusRow(person, salt)
    const query = scopedClient()
      .from('census_entries')
      .where('tenant_id', input.tenant.id)
      .where((where) => {
        where.where('person_hash', own.personHash)
        if (own.birthNumberHash) where.orWhere('birth_number_hash', own.birthNumberHash)
      })
      .select('person_hash', 'birth_number_hash')
      .limit(100)
    const candidates: CensusRowHash[] = (await query).map((row: any) => ({
      personHash: row.person_hash,
      birthNumberHash: row.birth_number_hash,
    }))
    const result = matchCensus(candidates, person, salt)

    const status = STATUS_OF[result.status]
    const now = DateTime.now()
    const verification = await Verification.create({
      tenantId: input.tenant.id,
      userId: input.user.id,
      method: 'census',
      status,
      reasons: result.reasons as Verification['reasons'],
      residentOf: status === 'verified' ? input.tenant.slug : null,
      verifiedAt: status === 'verified' ? now : null,
      birthDate: status === 'verified' ? input.birthDate : null,
      expiresAt: status === 'verified' ? now.plus(VERIFICATION_VALIDITY) : null,
    })
    await notifyVerificationResult(verification, { user: input.user, tenant: input.tenant })
    return verification
  }
}
