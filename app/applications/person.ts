/*
 * What a citizen's offers and submissions need to know about the person, in one statement
 * (docs/decisions/0018-fewer-statements-per-request.md): their children, their live applications
 * and their latest verification attempts, each read under the row-level security of the scope.
 */
import { DateTime } from 'luxon'
import Application, { LIVE_STATUSES } from '#models/application'
import Child from '#models/child'
import Verification from '#models/verification'
import type User from '#models/user'
import { scopedClient } from '#tenancy/tenant_context'
import { fromJsonRows } from '#services/json_rows'
import {
  VERIFICATION_HISTORY,
  verificationStateFrom,
  type VerificationState,
} from '#actions/verification/verify_by_register'

export interface PersonSnapshot {
  /** The person's children, youngest last (by birth date). */
  household: Child[]
  /**
   * The person's live applications, with only `tenantId`, `id`, `programId`, `programVersion`,
   * `childId`, `periodKey` and `status` loaded.
   */
  liveApplications: Application[]
  verification: VerificationState
}

/** Reads the person's household, live applications and verification state in one statement. */
export async function personSnapshot(user: User, now = DateTime.now()): Promise<PersonSnapshot> {
  const result = await scopedClient().rawQuery(
    `select
       (select coalesce(json_agg(c order by c.birth_date, c.id), '[]')
          from children c where c.parent_user_id = :user) as children,
       (select coalesce(json_agg(json_build_object(
                 'tenant_id', a.tenant_id, 'id', a.id, 'program_id', a.program_id,
                 'program_version', a.program_version, 'child_id', a.child_id,
                 'period_key', a.period_key, 'status', a.status)), '[]')
          from applications a
         where a.applicant_user_id = :user and a.status = any(:live)) as applications,
       (select coalesce(json_agg(v order by v.created_at desc), '[]')
          from (select * from verifications where user_id = :user
                 order by created_at desc limit :history) v) as verifications`,
    { user: user.id, history: VERIFICATION_HISTORY, live: [...LIVE_STATUSES] }
  )
  const row = result.rows[0]
  return {
    household: fromJsonRows(Child, row.children),
    liveApplications: fromJsonRows(Application, row.applications),
    verification: verificationStateFrom(fromJsonRows(Verification, row.verifications), now),
  }
}
