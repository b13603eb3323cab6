/*
 * What submitting and checking an application needs to know about the program, the applicant
 * and the child, loaded under row-level security in the applicant's scope.
 */
import { DateTime } from 'luxon'
import type Program from '#models/program'
import ProgramVersion from '#models/program_version'
import type Tenant from '#models/tenant'
import Child from '#models/child'
import Application, { LIVE_STATUSES } from '#models/application'
import { beneficiaryOf } from '#programs/program_config'
import ApplicationDecision from '#models/application_decision'
import type User from '#models/user'
import {
  verificationStateOf,
  type VerificationState,
} from '#actions/verification/verify_by_register'
import { publishedPrograms } from '#programs/published'
import { cachedTenant } from '#tenancy/tenant_cache'
import { personSnapshot, type PersonSnapshot } from './person.js'
import DomainError from '#exceptions/domain_error'
import NotFoundException from '#exceptions/not_found_exception'
import { buildFacts, openPeriods, periodOf, today, type ProgramPeriod } from './facts.js'
import { referencedVars } from './declared.js'
import { withPluginFacts } from './plugin_facts.js'
import type { Facts, Locale } from '#eligibility/types'
import { CITIZENSHIP_CHOICES } from '#eligibility/fact_catalog'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A published program with its current version and tenant. */
export interface LoadedProgram {
  program: Program
  version: ProgramVersion
  tenant: Tenant
}

/** A program the person can see (own tenant's or nationwide, published), with its current version. */
export async function loadVisibleProgram(programId: string): Promise<LoadedProgram> {
  const [loaded] = await publishedPrograms(programId)
  if (!loaded) throw new NotFoundException()
  return loaded
}

/** The version an application was made under. */
export async function versionOf(application: Application) {
  return ProgramVersion.query()
    .where('tenantId', application.tenantId)
    .where('programId', application.programId)
    .where('version', application.programVersion)
    .firstOrFail()
}

/** Why a person cannot apply to a program at all (before any child is considered), or null. */
export async function audienceProblem(
  user: User,
  loaded: LoadedProgram,
  now = DateTime.now(),
  locale: Locale = 'cs',
  /** The person's verification state when already read (personSnapshot()). */
  verification?: VerificationState
) {
  const { program, version } = loaded
  if (version.applicationOpensAt && now < version.applicationOpensAt) {
    return new DomainError('applications.not_open_yet', 'form', {
      from: version.applicationOpensAt.setZone('Europe/Prague').toISODate(),
    })
  }
  if (version.applicationClosesAt && now > version.applicationClosesAt) {
    return new DomainError('applications.closed', 'form', {
      to: version.applicationClosesAt.setZone('Europe/Prague').toISODate(),
    })
  }
  if (version.audience.scope === 'residents' && user.homeTenantId !== program.tenantId) {
    return new DomainError('applications.not_in_audience', 'form', { name: loaded.tenant.name })
  }
  const citizenships = version.audience.citizenships
  if (citizenships && citizenships.length > 0 && !citizenships.includes(user.citizenship as any)) {
    const names = citizenships.map(
      (code) => CITIZENSHIP_CHOICES.find((choice) => choice.value === code)?.label[locale] ?? code
    )
    return new DomainError('applications.citizenship', 'form', { expected: names.join(', ') })
  }
  if (version.audience.scope === 'residents') {
    const state = verification ?? (await verificationStateOf(user, now))
    const current = state.current && state.current.tenantId === program.tenantId
    if (!current) {
      const expired =
        state.latest?.status === 'verified' &&
        !state.latest.revokedAt &&
        state.latest.expiresAt &&
        state.latest.expiresAt <= now
      return new DomainError(
        expired ? 'applications.verification_expired' : 'applications.verification_required',
        'form'
      )
    }
  }
  return null
}

/**
 * The child an application to this program is for: one of the signed-in parent's children
 * (row-level security; 404 for anyone else's), or null when the program's beneficiary is the
 * applicant (a child sent along is then ignored).
 */
export async function beneficiaryChild(
  loaded: Pick<LoadedProgram, 'version'>,
  childId: unknown,
  /** The person's household when already read (personSnapshot()): no query then. */
  household?: readonly Child[]
) {
  if (beneficiaryOf(loaded.version) === 'applicant') return null
  const id = typeof childId === 'string' ? childId : ''
  return household ? ownChildIn(household, id) : ownChild(id)
}

/** A child of the signed-in parent (row-level security), or 404. */
export async function ownChild(childId: string) {
  if (!UUID.test(childId)) throw new DomainError('applications.child_required', 'childId')
  const child = await Child.find(childId)
  if (!child) throw new NotFoundException()
  return child
}

/**
 * A child of the signed-in parent among their household (read in this scope, as ownChild() would
 * read it), or 404.
 */
export function ownChildIn(household: readonly Child[], childId: string) {
  if (!UUID.test(childId)) throw new DomainError('applications.child_required', 'childId')
  const child = household.find((one) => one.id === childId.toLowerCase())
  if (!child) throw new NotFoundException()
  return child
}

/** Whom an application is for: a child of the applicant, or the applicant themselves (`childId` null). */
export interface BeneficiaryRef {
  applicantUserId: string
  childId: string | null
}

/** Restricts an applications query to one beneficiary. */
export function whereBeneficiary<Q extends { where: any; whereNull: any }>(
  query: Q,
  beneficiary: BeneficiaryRef
): Q {
  if (beneficiary.childId) return query.where('childId', beneficiary.childId)
  return query.where('applicantUserId', beneficiary.applicantUserId).whereNull('childId')
}

/** What the beneficiary already applied for and got in this program and period (excluding `exceptId`). */
export async function historyOf(
  programTenantId: string,
  programId: string,
  beneficiary: BeneficiaryRef,
  periodKey: string,
  exceptId?: string
) {
  const query = whereBeneficiary(
    Application.query()
      .where('tenantId', programTenantId)
      .where('programId', programId)
      .where('periodKey', periodKey)
      .whereIn('status', [...LIVE_STATUSES]),
    beneficiary
  )
  if (exceptId) query.whereNot('id', exceptId)
  const live = await query
  const approved = live.filter((row) => row.status === 'approved')
  let amountMinor = 0
  if (approved.length > 0) {
    const decisions = await ApplicationDecision.query()
      .where('tenantId', programTenantId)
      .whereIn(
        'applicationId',
        approved.map((row) => row.id)
      )
      .where('outcome', 'approved')
    for (const decision of decisions) {
      for (const line of decision.benefits as { amountMinor: number; count: number }[]) {
        amountMinor += line.amountMinor * line.count
      }
    }
  }
  return { applications: live.length, benefits: approved.length, amountMinor }
}

/** The facts of an application by `user` for `child` in `period`, with declarations and documents. */
/** What the facts of every application of one person share: household, home, verification. */
export interface ApplicantContext {
  household: Child[]
  homeSlug: string | null
  verified: boolean
  /** The birth date the current verification confirmed (register or census), if any. */
  verifiedBirthDate: string | null
}

/** The declarable facts the platform already knows for this person, so the form does not ask them. */
export function knownFacts(context: ApplicantContext): ReadonlySet<string> {
  return new Set(context.verifiedBirthDate ? ['applicant.birth_date'] : [])
}

/** Loads the person's part of the facts once (several programs and children reuse it). */
export async function applicantContext(user: User): Promise<ApplicantContext> {
  return applicantContextFrom(user, await personSnapshot(user))
}

/** The applicant context from a person snapshot already read (app/applications/person.ts). */
export async function applicantContextFrom(
  user: User,
  person: PersonSnapshot
): Promise<ApplicantContext> {
  const home = await cachedTenant(user.homeTenantId)
  return {
    household: person.household,
    homeSlug: home?.slug ?? null,
    verified: !!person.verification.current,
    verifiedBirthDate: person.verification.current?.birthDate ?? null,
  }
}

export async function applicantFacts(input: {
  user: User
  loaded: LoadedProgram
  /** The child applied for; null when the program's beneficiary is the applicant. */
  child: Child | null
  period: ProgramPeriod
  declared: Record<string, unknown>
  documentKeys: readonly string[]
  exceptApplicationId?: string
  /** The application the facts are rebuilt for, once it is recorded (for the plugin's hook). */
  applicationId?: string
  /** Preloaded with applicantContext() when many facts are built for one person. */
  context?: ApplicantContext
  /**
   * Skip the history query when the rule does not read `history.*` (pre-checks only: facts that
   * are stored with an application always carry the history).
   */
  historyOnlyIfRead?: boolean
}): Promise<Facts> {
  const { user, loaded, child, period } = input
  const context = input.context ?? (await applicantContext(user))
  const readsHistory = [...referencedVars(loaded.version.eligibilityRule)].some((path) =>
    path.startsWith('history.')
  )
  const history =
    input.historyOnlyIfRead && !readsHistory
      ? undefined
      : await historyOf(
          loaded.program.tenantId,
          loaded.program.id,
          { applicantUserId: user.id, childId: child?.id ?? null },
          period.key,
          input.exceptApplicationId
        )
  const facts = buildFacts({
    citizenship: user.citizenship,
    homeTenantSlug: context.homeSlug,
    verified: context.verified,
    verifiedBirthDate: context.verifiedBirthDate,
    child,
    household: context.household,
    period,
    declared: input.declared,
    documentKeys: input.documentKeys,
    history,
    referenceDate: today(),
  })
  // The program's plugin may add facts under its id (application.eligibility_facts).
  return withPluginFacts(facts, {
    loaded,
    user,
    child,
    period,
    applicationId: input.applicationId ?? null,
  })
}

/** The period asked for: one of the version's periods that has not ended. */
export function pickPeriod(loaded: LoadedProgram, periodKey: string | undefined) {
  const open = openPeriods(loaded.version)
  const period = periodKey ? periodOf(loaded.version, periodKey) : open[0]
  if (!period || !open.some((p) => p.key === period.key)) {
    throw new DomainError('applications.period_closed', 'periodKey')
  }
  return period
}
