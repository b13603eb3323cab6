/** Shapes of the reviewers' pages props (app/controllers/admin/applications_controller.ts). */

export type ApplicationStatus =
  'submitted' | 'info_requested' | 'waitlisted' | 'approved' | 'rejected' | 'withdrawn'

/** One row of the queue. */
export interface QueueRow {
  id: string
  reference: string
  status: ApplicationStatus
  program: string
  applicant: string
  child: string
  /** For the applicant themselves (no child). */
  forApplicant: boolean
  submittedAt: string
  waitingDays: number
  eligible: boolean
  clean: boolean
}

export interface QueueFilters {
  program?: string
  status: ApplicationStatus
  olderThanDays?: number
  page?: number
}

export interface QueueMeta {
  total: number
  page: number
  lastPage: number
}

/** What the server flashes after a bulk approval, per application that was not approved. */
export interface BulkFailure {
  id: string
  reference: string | null
  approved: boolean
  waitlisted: boolean
  error: string | null
}

/** A fact the condition read, with its catalogue label. */
export interface TraceFact {
  path: string
  label: string
}

/** One evaluated condition of the eligibility rule (app/eligibility/engine.ts, TraceNode). */
export interface TraceNode {
  pointer: string
  parent: string | null
  operator: string
  operands: unknown[]
  result: unknown
  passed: boolean
  facts: TraceFact[]
  shortCircuited?: boolean
  error?: string
}

export interface DocumentRequirement {
  key: string
  name: string
  help: string | null
  formats: string[]
  maxSizeBytes: number
  required: boolean
}

export interface ApplicationDocument {
  id: string
  key: string
  fileName: string
  contentType: string
  sizeBytes: number
  createdAt: string
}

export interface ApplicationEvent {
  id: string
  kind: string
  actorRole: 'applicant' | 'staff' | 'system' | string
  note: string | null
  createdAt: string
}

export interface BenefitLine {
  kind: 'voucher' | 'credit' | string
  amountMinor: number
  count: number
}

export interface Decision {
  id: string
  outcome: 'approved' | 'rejected'
  decidedBy: string | null
  decidedAt: string
  programVersion: number
  ruleKey: string
  eligible: boolean
  reason: string | null
  benefits: BenefitLine[]
}

/** The application as the reviewer's page receives it. */
export interface ReviewedApplication {
  id: string
  reference: string
  status: ApplicationStatus
  program: { id: string; name: string }
  tenant: { slug: string; name: string }
  child: { id: string; name: string; birthDate: string } | null
  /** For the applicant themselves (no child). */
  forApplicant: boolean
  period: { key: string; name: string } | null
  waitlistPosition: number | null
  submittedAt: string
  decidedAt: string | null
  infoRequest: string | null
  decisionReason: string | null
  declared: Record<string, unknown>
  eligible: boolean
  reasons: string[]
  requirements: DocumentRequirement[]
  documents: ApplicationDocument[]
  events: ApplicationEvent[]
  granted: BenefitLine[]
  currency: string
  applicant: { name: string; email: string; citizenship: string | null } | null
  facts: Record<string, unknown>
  verdict: { eligible: boolean; reasons: string[]; trace: TraceNode[] }
  clean: boolean
  canDecide: boolean
  canReject: boolean
  programVersion: number
  decisions: Decision[]
}

/** What GET /admin/applications/:id/decisions/:decisionId/replay answers. */
export interface ReplayResult {
  decisionId: string
  outcome: 'approved' | 'rejected'
  programVersion: number
  recorded: { eligible: boolean; ruleKey: string }
  replayed: { eligible: boolean; ruleKey: string; reasons: string[]; trace: TraceNode[] }
  same: boolean
}
