import AuditEvent from '#models/audit_event'

/**
 * Records who did what in a tenant, in the same transaction as the change itself.
 */
export async function recordAudit(input: {
  tenantId: string
  actorUserId: string | null
  action: string
  subjectType?: string
  subjectId?: string
  data?: Record<string, unknown>
}) {
  await AuditEvent.create({
    tenantId: input.tenantId,
    actorUserId: input.actorUserId,
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId ?? null,
    data: input.data ?? {},
  })
}
