/** Shapes of the citizen's application pages props (app/controllers/portal/applications_controller.ts). */

export type ApplicationStatus =
  'submitted' | 'info_requested' | 'waitlisted' | 'approved' | 'rejected' | 'withdrawn'

/** A document a program asks for; `required` only where the server has decided it. */
export interface ProgramDocument {
  key: string
  name: string
  help: string | null
  formats: string[]
  maxSizeBytes: number
  required?: boolean
}

export interface PeriodSummary {
  key: string
  name: string
  start: string
  end: string
}

export type ChildVerdict = 'eligible' | 'not_eligible' | 'answers_needed' | 'applied'

/** A row of an offer: one child, or the applicant themselves (`childId` null). */
export interface OfferChild {
  childId: string | null
  name: string
  verdict: ChildVerdict
  reasons: string[]
  applicationId: string | null
  status: ApplicationStatus | null
}

export interface Offer {
  id: string
  slug: string
  pluginId: string
  tenant: { slug: string; name: string; nationwide: boolean }
  name: string
  description: string
  currency: string
  opensAt: string | null
  closesAt: string | null
  periods: PeriodSummary[]
  closedReason: string | null
  /** The benefit is for the applicant themselves (one row, no child). */
  forApplicant: boolean
  children: OfferChild[]
}

export interface Question {
  path: string
  type: 'boolean' | 'enum' | 'money' | 'date' | string
  label: string
  choices: { value: string; label: string }[]
}

/** What POST /portal/programs/:id/check answers. */
export interface CheckResult {
  eligible: boolean
  reasons: string[]
  missing: string[]
  documents: ProgramDocument[]
}

export interface BenefitLine {
  kind: 'voucher' | 'credit' | string
  amountMinor: number
  count: number
}

export interface ApplicationRow {
  id: string
  reference: string
  status: ApplicationStatus
  program: string
  child: string
  /** For the applicant themselves (no child). */
  forApplicant: boolean
  period: string
  submittedAt: string
}

export interface ApplicationDetail {
  id: string
  reference: string
  status: ApplicationStatus
  program: { id: string; name: string }
  tenant: { slug: string; name: string }
  child: { id: string; name: string; birthDate: string } | null
  /** For the applicant themselves (no child). */
  forApplicant: boolean
  period: { key: string; name: string } | null
  /** Place on the program's waiting list (1 = next) while waiting for the budget. */
  waitlistPosition: number | null
  submittedAt: string
  decidedAt: string | null
  infoRequest: string | null
  decisionReason: string | null
  eligible: boolean
  reasons: string[]
  requirements: ProgramDocument[]
  documents: {
    id: string
    key: string
    fileName: string
    contentType: string
    sizeBytes: number
    createdAt: string
  }[]
  events: {
    id: string
    kind: string
    actorRole: 'applicant' | 'staff' | 'system' | string
    note: string | null
    createdAt: string
  }[]
  granted: BenefitLine[]
  currency: string
  canWithdraw: boolean
  canAnswer: boolean
}

/** What one holder has: a child, or the person themselves (`self`). */
export interface ChildBenefits {
  id: string
  name: string
  self: boolean
  credits: { programId: string; program: string; amountMinor: number; currency: string }[]
  vouchers: {
    code: string
    programId: string
    program: string
    faceValueMinor: number
    currency: string
    period: string | null
    expiresAt: string | null
    status: 'active' | 'spent' | 'expired' | 'cancelled' | string
  }[]
}

/** A link of a program's menu, added by the program's plugin (app/programs/plugin_nav.ts). */
export interface ProgramLink {
  pluginId: string
  routeName: string
  label: string
  href: string
}
