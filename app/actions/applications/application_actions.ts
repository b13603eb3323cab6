/*
 * The life of an application: submit (with documents), withdraw, request more information,
 * provide it, approve (the plugin grants the benefit through the ledger), reject.
 *
 * Every change first locks the application row (select … for update) and then checks its status,
 * so two reviewers, or a reviewer and a withdrawing parent, cannot both act on it; the status
 * graph is also enforced by a database trigger. Mail goes out only after commit.
 */
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import Application, { type ApplicationStatus } from '#models/application'
import ApplicationDocument from '#models/application_document'
import ApplicationEvent, { type ApplicationEventKind } from '#models/application_event'
import ApplicationDecision from '#models/application_decision'
import Child from '#models/child'
import Program from '#models/program'
import type ProgramVersion from '#models/program_version'
import Tenant from '#models/tenant'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import NotFoundException from '#exceptions/not_found_exception'
import { scopedClient } from '#tenancy/tenant_context'
import { sendTemplatedMail } from '#services/mailer'
import { precheckVersion } from '#programs/precheck'
import { installedPluginFacts } from '#plugin_engine/fact_declarations'
import { HookDispatcher, HookDispatchError } from '#plugin_engine/dispatcher'
import type { BenefitPosting } from '#plugin_engine/hooks'
import { grantBenefit } from '#ledger/grants'
import { BudgetExhaustedError } from '#ledger/errors'
import { formatMoney } from '#eligibility/explain'
import { ruleKey } from '#eligibility/compile'
import type { Locale } from '#eligibility/types'
import {
  applicantContextFrom,
  applicantFacts,
  audienceProblem,
  knownFacts,
  beneficiaryChild,
  loadVisibleProgram,
  ownChild,
  pickPeriod,
  versionOf,
} from '#applications/context'
import { personSnapshot } from '#applications/person'
import {
  coerceDeclared,
  declaredValidator,
  flattenDeclared,
  questionsFor,
} from '#applications/declared'
import { documentRequirements } from '#applications/documents'
import { periodOf, type ProgramPeriod } from '#applications/facts'
import {
  checkUpload,
  removeDocuments,
  storeDocument,
  type CheckedDocument,
  type UploadedFile,
} from '#documents/private_store'

/** An upload for one of the program's documents (`key`), or `other`. */
export interface DocumentUpload {
  key: string
  file: UploadedFile
}

/** The most files one submission or answer may carry. */
export const MAX_FILES_PER_REQUEST = 10

const NOTE_MAX = 2000

function localeOf(value: string | null | undefined): Locale {
  return value === 'en' || value === 'uk' || value === 'pl' ? value : 'cs'
}

/**
 * The reference of a new application, `A-<year>-<number>` (at least six digits), as SQL over a
 * `reference` CTE selecting `nextval('application_reference_seq')::text as n`: drawn in the insert.
 */
const REFERENCE_SQL = `'A-' || ? || '-' || lpad(reference.n, greatest(6, length(reference.n)), '0')`

/** Locks an application row for a change; 404 when this scope cannot see it. */
export async function lockApplication(id: string) {
  const application = await Application.query().where('id', id).forUpdate().first()
  if (!application) throw new NotFoundException()
  return application
}

/**
 * Locks an application for a decision that may move money: first its program's row, then the
 * application's. The program row is the one serialisation point of a program's approvals, budget
 * changes (SaveProgramConfig locks it too) and waiting-list releases, so they take their locks in
 * one order (program, applications, budget account) and never deadlock one another.
 */
export async function lockForDecision(id: string) {
  const target = await Application.query().where('id', id).select('tenantId', 'programId').first()
  if (!target) throw new NotFoundException()
  await lockProgram(target.tenantId, target.programId)
  return lockApplication(id)
}

/** Locks a program's row (the serialisation point of its money decisions). */
async function lockProgram(tenantId: string, programId: string) {
  return Program.query()
    .where('tenantId', tenantId)
    .where('id', programId)
    .forUpdate()
    .firstOrFail()
}

async function recordEvent(
  application: Application,
  kind: ApplicationEventKind,
  actor: { userId: string | null; role: 'applicant' | 'staff' | 'system' },
  note: string | null = null,
  data: Record<string, unknown> = {}
) {
  return ApplicationEvent.create({
    tenantId: application.tenantId,
    applicationId: application.id,
    kind,
    actorUserId: actor.userId,
    actorRole: actor.role,
    note,
    data,
  })
}

/** Checks every upload against the program's document list before anything is stored. */
async function checkUploads(
  uploads: readonly DocumentUpload[],
  requirements: ReturnType<typeof documentRequirements>
) {
  if (uploads.length > MAX_FILES_PER_REQUEST) {
    throw new DomainError('documents.too_many', 'documents', { max: MAX_FILES_PER_REQUEST })
  }
  const checked: { key: string; document: CheckedDocument }[] = []
  for (const upload of uploads) {
    const requirement = requirements.find((req) => req.key === upload.key)
    if (!requirement && upload.key !== 'other') {
      throw new DomainError('documents.unknown_kind', `documents.${upload.key}`)
    }
    const document = await checkUpload(upload.file, `documents.${upload.key}`, {
      formats: requirement?.formats,
      maxBytes: requirement?.maxSizeBytes,
    })
    checked.push({ key: upload.key, document })
  }
  return checked
}

/** Stores checked documents and their rows; removes the files again if anything fails. */
async function storeUploads(
  application: Application,
  checked: readonly { key: string; document: CheckedDocument }[],
  uploadedBy: string
) {
  const written: string[] = []
  try {
    const rows: ApplicationDocument[] = []
    for (const { key, document } of checked) {
      const storageKey = await storeDocument(
        application.tenantId,
        'applications',
        application.id,
        document
      )
      written.push(storageKey)
      rows.push(
        await ApplicationDocument.create({
          tenantId: application.tenantId,
          applicationId: application.id,
          documentKey: key,
          fileName: document.fileName,
          contentType: document.contentType,
          sizeBytes: document.sizeBytes,
          sha256: document.sha256,
          storageKey,
          uploadedBy,
        })
      )
    }
    return rows
  } catch (error) {
    await removeDocuments(written)
    throw error
  }
}

function periodName(period: ProgramPeriod | null, locale: Locale) {
  if (!period) return ''
  return period.name[locale] ?? period.name.en ?? period.key
}

async function mailApplicant(
  application: Application,
  template: string,
  data: Record<string, unknown> = {},
  /** What the caller already holds (the submission does): not read again. */
  known: { applicant?: User; tenant?: Tenant; version?: ProgramVersion; child?: Child | null } = {}
) {
  // One after the other: these share the request's transaction (one connection).
  const applicant = known.applicant ?? (await User.findOrFail(application.applicantUserId))
  const tenant = known.tenant ?? (await Tenant.findOrFail(application.tenantId))
  const version = known.version ?? (await versionOf(application))
  const child = known.child !== undefined ? known.child : await childOf(application)
  const locale = localeOf(applicant.locale)
  const name = version.name as Record<string, string>
  const childName = child ? `${child.firstName} ${child.lastName}` : ''
  sendTemplatedMail({
    to: applicant.email,
    template,
    locale,
    tenant,
    data: {
      fullName: applicant.fullName,
      reference: application.reference,
      programName: name[locale] ?? name.cs,
      childName,
      // Whom the benefit is for: the child, or the applicant themselves.
      beneficiaryName: childName || applicant.fullName,
      forApplicant: !application.childId,
      periodName: periodName(periodOf(version, application.periodKey), locale),
      path: `/portal/applications/${application.id}`,
      ...data,
    },
  })
}

/**
 * The child of an application (readable by the parent, and by the staff of the program's tenant);
 * null when the applicant is the beneficiary.
 */
export async function childOf(application: Application) {
  return application.childId ? Child.find(application.childId) : null
}

export interface SubmitInput {
  user: User
  programId: string
  /** The child applied for; ignored (may be absent) when the program is for the applicant. */
  childId?: string | null
  periodKey?: string
  declared: unknown
  uploads: readonly DocumentUpload[]
  locale: Locale
}

/**
 * Submits an application for a child. Refuses (translated, nothing written) when the program is
 * not open to this person, the child is not theirs, a declaration or document is missing or bad,
 * the rule says the child is not eligible, or a live application for the same child, program and
 * period exists (also when two submissions race: the partial unique index decides).
 */
export class SubmitApplication {
  async handle(input: SubmitInput) {
    const loaded = await loadVisibleProgram(input.programId)
    // The household, live applications and verification in one statement (app/applications/person.ts).
    const person = await personSnapshot(input.user)
    const problem = await audienceProblem(
      input.user,
      loaded,
      undefined,
      input.locale,
      person.verification
    )
    if (problem) throw problem
    const child = await beneficiaryChild(loaded, input.childId, person.household)
    const period = pickPeriod(loaded, input.periodKey)
    const context = await applicantContextFrom(input.user, person)

    const questions = questionsFor(loaded.version, { known: knownFacts(context) })
    const declared = await declaredValidator(questions).validate(
      coerceDeclared(questions, flattenDeclared(input.declared))
    )

    const uploadKeys = input.uploads.map((upload) => upload.key)
    const facts = await applicantFacts({
      user: input.user,
      loaded,
      child,
      period,
      declared,
      documentKeys: uploadKeys,
      context,
    })
    const verdict = precheckVersion(loaded.version, facts, input.locale)
    if (!verdict.eligible) {
      throw new DomainError('applications.not_eligible', 'form', {
        detail: verdict.reasons.join(' '),
      })
    }
    const requirements = documentRequirements(loaded.version, facts, input.locale)
    for (const requirement of requirements) {
      if (requirement.required && !uploadKeys.includes(requirement.key)) {
        throw new DomainError('applications.document_required', `documents.${requirement.key}`, {
          name: requirement.name,
        })
      }
    }
    const checked = await checkUploads(input.uploads, requirements)

    // One live application per beneficiary, program and period: the partial unique index decides
    // between racing submissions (migrations 0007 and 0010). The reference is drawn and the row
    // returned by the insert itself (one statement).
    const conflict = child
      ? `(tenant_id, program_id, child_id, period_key)
         where status in ('submitted', 'info_requested', 'waitlisted', 'approved') and child_id is not null`
      : `(tenant_id, program_id, applicant_user_id, period_key)
         where status in ('submitted', 'info_requested', 'waitlisted', 'approved') and child_id is null`
    const inserted = await scopedClient().rawQuery(
      `with reference as (select nextval('application_reference_seq')::text as n)
       insert into applications (tenant_id, reference, program_id, program_version, applicant_user_id,
         child_id, period_key, status, declared, facts, eligible, reasons)
       select ?, ${REFERENCE_SQL}, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ? from reference
       on conflict ${conflict} do nothing
       returning *`,
      [
        loaded.program.tenantId,
        String(DateTime.now().year),
        loaded.program.id,
        loaded.version.version,
        input.user.id,
        // A null binding is a SQL NULL (knex's types do not say so).
        (child?.id ?? null) as string,
        period.key,
        JSON.stringify(declared),
        JSON.stringify(facts),
        verdict.eligible,
        JSON.stringify(verdict.reasons),
      ]
    )
    const row = inserted.rows[0]
    if (!row) {
      if (!child) throw new DomainError('applications.duplicate_self', 'form')
      throw new DomainError('applications.duplicate', 'childId', {
        name: `${child.firstName} ${child.lastName}`,
      })
    }
    const application = Application.$createFromAdapterResult(row) as Application
    const documents = await storeUploads(application, checked, input.user.id)
    await recordEvent(
      application,
      'submitted',
      { userId: input.user.id, role: 'applicant' },
      null,
      {
        documents: documents.map((doc) => doc.id),
      }
    )
    await mailApplicant(
      application,
      'application_received',
      {},
      { applicant: input.user, tenant: loaded.tenant, version: loaded.version, child }
    )
    return application
  }
}

/** Tells the program's plugin an application was withdrawn (non-blocking: failures are logged). */
async function withdrawnHook(
  application: Application,
  previousStatus: 'submitted' | 'info_requested' | 'waitlisted'
) {
  const program = await Program.findOrFail(application.programId)
  const version = await versionOf(application)
  const dispatcher = await app.container.make(HookDispatcher)
  await dispatcher.dispatch('application.withdrawn', {
    pluginIds: [program.pluginId],
    settings: { [program.pluginId]: version.pluginSettings ?? {} },
    payload: {
      tenantId: application.tenantId,
      programId: application.programId,
      applicationId: application.id,
      applicantUserId: application.applicantUserId,
      childId: application.childId,
      periodId: application.periodKey,
      previousStatus,
      by: 'applicant',
    },
  })
}

/** The applicant withdraws an application nobody has decided yet, or one waiting for the budget. */
export class WithdrawApplication {
  async handle(input: { user: User; applicationId: string }) {
    const application = await lockApplication(input.applicationId)
    if (application.applicantUserId !== input.user.id) throw new NotFoundException()
    if (!application.withdrawable) throw new DomainError('applications.already_decided')
    const previousStatus = application.status as 'submitted' | 'info_requested' | 'waitlisted'
    application.status = 'withdrawn'
    await application.save()
    await recordEvent(application, 'withdrawn', { userId: input.user.id, role: 'applicant' })
    await withdrawnHook(application, previousStatus)
    return application
  }
}

function requireNote(note: string | null | undefined, field: string, key: string) {
  const text = (note ?? '').trim()
  if (text.length === 0) throw new DomainError(key, field)
  if (text.length > NOTE_MAX)
    throw new DomainError('applications.note_too_long', field, { max: NOTE_MAX })
  return text
}

/** A reviewer asks the applicant for more information; the applicant is e-mailed. */
export class RequestInformation {
  async handle(input: { reviewer: User; applicationId: string; message: string }) {
    const message = requireNote(input.message, 'message', 'applications.message_required')
    const application = await lockApplication(input.applicationId)
    if (application.status !== 'submitted') throw new DomainError('applications.not_in_queue')
    application.status = 'info_requested'
    application.infoRequest = message
    await application.save()
    await recordEvent(
      application,
      'info_requested',
      { userId: input.reviewer.id, role: 'staff' },
      message
    )
    await mailApplicant(application, 'application_info_requested', { message })
    return application
  }
}

/**
 * The applicant answers a request for more information with documents and/or a note; the
 * application's facts are rebuilt with the new documents and it returns to the reviewers' queue.
 */
export class ProvideInformation {
  async handle(input: {
    user: User
    applicationId: string
    note?: string | null
    uploads: readonly DocumentUpload[]
    locale: Locale
  }) {
    const application = await lockApplication(input.applicationId)
    if (application.applicantUserId !== input.user.id) throw new NotFoundException()
    if (application.status !== 'info_requested') throw new DomainError('applications.no_request')
    const note = (input.note ?? '').trim()
    if (note.length > NOTE_MAX)
      throw new DomainError('applications.note_too_long', 'note', { max: NOTE_MAX })
    if (note.length === 0 && input.uploads.length === 0) {
      throw new DomainError('applications.answer_required', 'documents')
    }
    const version = await versionOf(application)
    const requirements = documentRequirements(version, application.facts, input.locale)
    const checked = await checkUploads(input.uploads, requirements)
    const added = await storeUploads(application, checked, input.user.id)

    // Rebuild the facts in the applicant's scope, with every document the application now has.
    const program = await Program.findOrFail(application.programId)
    const tenant = await Tenant.findOrFail(application.tenantId)
    const child = application.childId ? await ownChild(application.childId) : null
    const period = periodOf(version, application.periodKey)!
    const keys = (
      await ApplicationDocument.query()
        .where('tenantId', application.tenantId)
        .where('applicationId', application.id)
    ).map((doc) => doc.documentKey)
    const facts = await applicantFacts({
      user: input.user,
      loaded: { program, version, tenant },
      child,
      period,
      declared: application.declared,
      documentKeys: keys,
      exceptApplicationId: application.id,
      applicationId: application.id,
    })
    const verdict = precheckVersion(version, facts, input.locale)
    application.merge({
      status: 'submitted',
      facts,
      eligible: verdict.eligible,
      reasons: verdict.reasons,
    })
    await application.save()
    await recordEvent(
      application,
      'info_provided',
      { userId: input.user.id, role: 'applicant' },
      note || null,
      {
        documents: added.map((doc) => doc.id),
      }
    )
    return application
  }
}

/** Whether an application is a clean case: eligible, every required document there, never questioned. */
export async function isClean(application: Application, locale: Locale = 'cs') {
  if (application.status !== 'submitted' || !application.eligible) return false
  const version = await versionOf(application)
  const keys = new Set(
    (
      await ApplicationDocument.query()
        .where('tenantId', application.tenantId)
        .where('applicationId', application.id)
    ).map((doc) => doc.documentKey)
  )
  const missing = documentRequirements(version, application.facts, locale).some(
    (req) => req.required && !keys.has(req.key)
  )
  return !missing && !application.infoRequest
}

/** Sum of what the household was granted in this program and period (approved decisions). */
async function householdGranted(application: Application) {
  const result = await scopedClient().rawQuery(
    `select coalesce(sum((line->>'amountMinor')::bigint * (line->>'count')::bigint), 0) as total
       from application_decisions d
       join applications a on a.tenant_id = d.tenant_id and a.id = d.application_id
       cross join lateral jsonb_array_elements(d.benefits) line
      where a.tenant_id = ? and a.program_id = ? and a.period_key = ? and a.applicant_user_id = ?
        and a.status in ('approved', 'waitlisted') and d.outcome = 'approved' and a.id <> ?`,
    [
      application.tenantId,
      application.programId,
      application.periodKey,
      application.applicantUserId,
      application.id,
    ]
  )
  return Number(result.rows[0].total)
}

/** One benefit line as recorded with an approval (what is granted, or granted later from the waiting list). */
export interface RecordedBenefit {
  kind: 'credit' | 'voucher'
  amountMinor: number
  count: number
  /** Months after the grant the benefit stays spendable (absent: until the period ends). */
  expiresAfterMonths?: number
}

function expiryOf(benefit: RecordedBenefit, period: ProgramPeriod | null) {
  if (benefit.expiresAfterMonths) return DateTime.now().plus({ months: benefit.expiresAfterMonths })
  if (period) return DateTime.fromISO(period.end, { zone: 'Europe/Prague' }).endOf('day')
  return null
}

/** Asks the program's plugin what an approval grants (`application.approved`), translated refusals. */
async function benefitsOnApproval(
  application: Application,
  program: Program,
  version: Awaited<ReturnType<typeof versionOf>>,
  locale: Locale
): Promise<RecordedBenefit[]> {
  const dispatcher = await app.container.make(HookDispatcher)
  let postings: BenefitPosting[] = []
  try {
    const outcome = await dispatcher.dispatch('application.approved', {
      pluginIds: [program.pluginId],
      settings: { [program.pluginId]: version.pluginSettings ?? {} },
      payload: {
        tenantId: application.tenantId,
        programId: program.id,
        applicationId: application.id,
        beneficiaryUserId: application.applicantUserId,
        childId: application.childId,
        householdId: application.applicantUserId,
        periodId: application.periodKey,
        currency: version.currency,
        householdGrantedMinor: await householdGranted(application),
      },
    })
    postings = outcome.results.flatMap((receipt) => receipt.result)
  } catch (error) {
    if (error instanceof HookDispatchError && error.refusal) {
      const refusal = error.refusal
      throw new DomainError('applications.plugin_refused', 'form', {
        detail: i18nManager.locale(locale).t(refusal.key, refusal.values),
      })
    }
    throw error
  }
  if (postings.length === 0) throw new DomainError('applications.nothing_to_grant')
  return postings.map((p) => ({
    kind: p.kind,
    amountMinor: p.amountMinor,
    count: p.count,
    ...(p.expiresAfterMonths ? { expiresAfterMonths: p.expiresAfterMonths } : {}),
  }))
}

function totalOf(benefits: readonly RecordedBenefit[]) {
  return benefits.reduce((sum, line) => sum + line.amountMinor * line.count, 0)
}

/** Refuses an approval that would pass the program's per-beneficiary limits in the period. */
async function checkLimits(
  application: Application,
  version: Awaited<ReturnType<typeof versionOf>>,
  benefits: readonly RecordedBenefit[],
  locale: Locale
) {
  const total = totalOf(benefits)
  const count = benefits.reduce((sum, p) => sum + (p.kind === 'voucher' ? p.count : 1), 0)
  const limits = version.limits ?? {}
  const before = await historyForLimits(application)
  if (
    (limits.perChildAmountMinor !== undefined &&
      before.amountMinor + total > limits.perChildAmountMinor) ||
    (limits.perChildCountPerPeriod !== undefined &&
      before.count + count > limits.perChildCountPerPeriod)
  ) {
    throw new DomainError('applications.child_limit_reached', 'form', {
      max: formatMoney(limits.perChildAmountMinor ?? 0, version.currency, locale),
    })
  }
}

/** Books an application's benefit in the ledger (idempotent per application). */
async function grantApplication(
  application: Application,
  program: Program,
  version: Awaited<ReturnType<typeof versionOf>>,
  benefits: readonly RecordedBenefit[],
  actorUserId: string | null
) {
  return grantBenefit({
    program: { tenantId: application.tenantId, id: program.id },
    version: { version: version.version, currency: version.currency, programId: program.id },
    // The holder: the child, or the applicant when the applicant is the beneficiary.
    childRef: application.childId ?? application.applicantUserId,
    benefits: benefits.map((p) => ({ kind: p.kind, amountMinor: p.amountMinor, count: p.count })),
    idempotencyKey: `application:${application.id}:grant`,
    periodKey: application.periodKey,
    expiresAt: expiryOf(benefits[0], periodOf(version, application.periodKey))?.toJSDate() ?? null,
    memo: { applicationId: application.id, reference: application.reference },
    createdBy: actorUserId,
  })
}

/** Mails the applicant what was granted (on approval, or later from the waiting list). */
async function mailGranted(
  application: Application,
  benefits: readonly RecordedBenefit[],
  currency: string
) {
  const applicant = await User.findOrFail(application.applicantUserId)
  const locale = localeOf(applicant.locale)
  await mailApplicant(application, 'application_approved', {
    granted: benefits.map((line) => ({
      kind: line.kind,
      count: line.count,
      amount: formatMoney(line.amountMinor, currency as any, locale),
      isVoucher: line.kind === 'voucher',
    })),
    total: formatMoney(totalOf(benefits), currency as any, locale),
  })
}

/** Whether other applications of the program already wait for the budget. */
async function othersWaiting(application: Application) {
  const row = await Application.query()
    .where('tenantId', application.tenantId)
    .where('programId', application.programId)
    .where('status', 'waitlisted')
    .whereNot('id', application.id)
    .select('id')
    .first()
  return !!row
}

/** Where a waiting application stands in its program's waiting list (1 = next), or null. */
export async function waitlistPosition(application: Pick<Application, 'tenantId' | 'id'>) {
  const result = await scopedClient().rawQuery(
    'select application_waitlist_position(?, ?) as position',
    [application.tenantId, application.id]
  )
  const position = result.rows[0]?.position
  return position === null || position === undefined ? null : Number(position)
}

/**
 * What an approval did: granted now (`grant`), put on the waiting list (`waitlisted`), or granted
 * from the waiting list it had joined (`grant` null, status approved).
 */
export interface ApprovalOutcome {
  application: Application
  grant: Awaited<ReturnType<typeof grantBenefit>> | null
  waitlisted: boolean
  position: number | null
}

/**
 * Approves an application: evaluates the version's rule over the stored facts, asks the program's
 * plugin what to grant (`application.approved`), checks the per-beneficiary limits, and books the
 * grant in the ledger (idempotent per application). When the budget cannot cover it, the approval
 * is refused, or, when the program keeps a waiting list, recorded and the application waits
 * (`waitlisted`) to be granted in submission order when the budget grows (ReleaseWaitlist). An
 * approval never jumps the waiting list: while others wait, it joins them. Everything is recorded
 * with the decision so that it can be replayed.
 */
export class ApproveApplication {
  async handle(input: {
    reviewer: User
    applicationId: string
    locale: Locale
  }): Promise<ApprovalOutcome> {
    const application = await lockForDecision(input.applicationId)
    if (application.status !== 'submitted') {
      throw new DomainError(
        application.undecided ? 'applications.not_in_queue' : 'applications.already_decided'
      )
    }
    // One after the other: these share the request's transaction (one connection).
    const program = await Program.findOrFail(application.programId)
    const version = await versionOf(application)
    const verdict = precheckVersion(version, application.facts, input.locale)
    if (!verdict.eligible) {
      throw new DomainError('applications.cannot_approve_ineligible', 'form', {
        detail: verdict.reasons.join(' '),
      })
    }
    const benefits = await benefitsOnApproval(application, program, version, input.locale)
    await checkLimits(application, version, benefits, input.locale)

    const keepsWaitlist = version.whenBudgetExhausted === 'waitlist'
    let grant: Awaited<ReturnType<typeof grantBenefit>> | null = null
    if (!keepsWaitlist || !(await othersWaiting(application))) {
      try {
        grant = await grantApplication(application, program, version, benefits, input.reviewer.id)
      } catch (error) {
        if (!(error instanceof BudgetExhaustedError)) throw error
        if (!keepsWaitlist) {
          throw new DomainError('applications.budget_exhausted', 'form', {
            detail: formatMoney(
              Number((error as any).values?.available ?? 0),
              version.currency,
              input.locale
            ),
          })
        }
      }
    }

    await ApplicationDecision.create({
      tenantId: application.tenantId,
      applicationId: application.id,
      outcome: 'approved',
      decidedBy: input.reviewer.id,
      programVersion: version.version,
      rule: version.eligibilityRule,
      params: version.params ?? {},
      ruleKey: ruleKey(version.eligibilityRule, version.params as any, installedPluginFacts()),
      facts: application.facts,
      eligible: verdict.eligible,
      trace: verdict.trace,
      reason: null,
      grantTransactionId: grant?.transaction.id ?? null,
      benefits,
    })

    if (!grant) {
      application.merge({
        status: 'waitlisted',
        decidedBy: input.reviewer.id,
        decidedAt: DateTime.now(),
      })
      await application.save()
      await recordEvent(
        application,
        'waitlisted',
        { userId: input.reviewer.id, role: 'staff' },
        null,
        { position: await waitlistPosition(application) }
      )
      // It joined others already waiting: the budget may cover the head of the line now (which
      // may be this application, when it was submitted earlier than those waiting).
      await new ReleaseWaitlist().handle({
        tenantId: application.tenantId,
        programId: program.id,
        actorUserId: input.reviewer.id,
      })
      await application.refresh()
      // (The status was narrowed to 'submitted' above; the release may have moved it on.)
      if ((application.status as ApplicationStatus) !== 'waitlisted') {
        return { application, grant: null, waitlisted: false, position: null }
      }
      const position = await waitlistPosition(application)
      await mailApplicant(application, 'application_waitlisted', { position })
      return { application, grant: null, waitlisted: true, position }
    }

    application.merge({
      status: 'approved',
      decidedBy: input.reviewer.id,
      decidedAt: DateTime.now(),
      grantTransactionId: grant.transaction.id,
    })
    await application.save()
    await recordEvent(application, 'approved', { userId: input.reviewer.id, role: 'staff' }, null, {
      transactionId: grant.transaction.id,
      credit: grant.credit?.amount ?? 0,
      vouchers: grant.vouchers.length,
    })
    await mailGranted(application, benefits, version.currency)
    return { application, grant, waitlisted: false, position: null }
  }
}

/** What a release of the waiting list did. */
export interface ReleaseOutcome {
  /** References of the applications granted now, in the order they were granted. */
  granted: string[]
  /** How many still wait (the budget does not cover the next one). */
  stillWaiting: number
}

/**
 * Grants the waiting applications of a program, strictly in submission order, while the budget
 * covers the next one (nobody jumps the line: when the next cannot be covered, the release stops).
 * Each grants exactly what its approval recorded. Sent after a program's budget changed, and by
 * staff from the program page; running it twice, or twice at once, grants nothing twice (rows
 * locked in order, the ledger's idempotency key per application).
 */
export class ReleaseWaitlist {
  async handle(input: {
    tenantId: string
    programId: string
    actorUserId: string | null
  }): Promise<ReleaseOutcome> {
    const program = await lockProgram(input.tenantId, input.programId)
    const waiting = await Application.query()
      .where('tenantId', input.tenantId)
      .where('programId', input.programId)
      .where('status', 'waitlisted')
      .orderBy('submittedAt')
      .orderBy('id')
      .forUpdate()
    const granted: string[] = []
    if (waiting.length === 0) return { granted, stillWaiting: 0 }
    for (const application of waiting) {
      const decision = await ApplicationDecision.query()
        .where('tenantId', application.tenantId)
        .where('applicationId', application.id)
        .where('outcome', 'approved')
        .orderBy('decidedAt', 'desc')
        .firstOrFail()
      const benefits = decision.benefits as RecordedBenefit[]
      const version = await versionOf(application)
      let grant
      try {
        grant = await grantApplication(application, program, version, benefits, input.actorUserId)
      } catch (error) {
        if (error instanceof BudgetExhaustedError) break
        throw error
      }
      application.merge({ status: 'approved', grantTransactionId: grant.transaction.id })
      await application.save()
      await recordEvent(
        application,
        'granted',
        { userId: input.actorUserId, role: input.actorUserId ? 'staff' : 'system' },
        null,
        {
          transactionId: grant.transaction.id,
          credit: grant.credit?.amount ?? 0,
          vouchers: grant.vouchers.length,
        }
      )
      await mailGranted(application, benefits, version.currency)
      granted.push(application.reference)
    }
    return { granted, stillWaiting: waiting.length - granted.length }
  }
}

/** What this beneficiary already got or was promised in this program and period (limits), from the decisions. */
async function historyForLimits(application: Application) {
  const beneficiary = application.childId
    ? { sql: 'a.child_id = ?', value: application.childId }
    : { sql: 'a.child_id is null and a.applicant_user_id = ?', value: application.applicantUserId }
  const result = await scopedClient().rawQuery(
    `select coalesce(sum((line->>'amountMinor')::bigint * (line->>'count')::bigint), 0) as amount,
            coalesce(sum(case when line->>'kind' = 'voucher' then (line->>'count')::int else 1 end), 0) as count
       from application_decisions d
       join applications a on a.tenant_id = d.tenant_id and a.id = d.application_id
       cross join lateral jsonb_array_elements(d.benefits) line
      where a.tenant_id = ? and a.program_id = ? and a.period_key = ? and ${beneficiary.sql}
        and a.status in ('approved', 'waitlisted') and d.outcome = 'approved' and a.id <> ?`,
    [
      application.tenantId,
      application.programId,
      application.periodKey,
      beneficiary.value,
      application.id,
    ]
  )
  return { amountMinor: Number(result.rows[0].amount), count: Number(result.rows[0].count) }
}

/** Rejects an application with a reason the applicant reads. */
export class RejectApplication {
  async handle(input: { reviewer: User; applicationId: string; reason: string; locale: Locale }) {
    const reason = requireNote(input.reason, 'reason', 'applications.reason_required')
    const application = await lockApplication(input.applicationId)
    // A waiting application may still be rejected (its benefit was never granted).
    if (!application.undecided && application.status !== 'waitlisted')
      throw new DomainError('applications.already_decided')
    const version = await versionOf(application)
    const verdict = precheckVersion(version, application.facts, input.locale)
    await ApplicationDecision.create({
      tenantId: application.tenantId,
      applicationId: application.id,
      outcome: 'rejected',
      decidedBy: input.reviewer.id,
      programVersion: version.version,
      rule: version.eligibilityRule,
      params: version.params ?? {},
      ruleKey: ruleKey(version.eligibilityRule, version.params as any, installedPluginFacts()),
      facts: application.facts,
      eligible: verdict.eligible,
      trace: verdict.trace,
      reason,
      grantTransactionId: null,
      benefits: [],
    })
    application.merge({
      status: 'rejected',
      decisionReason: reason,
      decidedBy: input.reviewer.id,
      decidedAt: DateTime.now(),
    })
    await application.save()
    await recordEvent(application, 'rejected', { userId: input.reviewer.id, role: 'staff' }, reason)
    await mailApplicant(application, 'application_rejected', { reason })
    return application
  }
}

/** Outcome of one application in a bulk approval. */
export interface BulkOutcome {
  id: string
  reference: string | null
  approved: boolean
  /** Approved, but waiting for the budget (the program keeps a waiting list). */
  waitlisted: boolean
  error: string | null
}

/**
 * Approves many clean applications, each in its own savepoint: one that fails (not clean, budget
 * exhausted, already decided) is reported and leaves the others approved.
 */
export class BulkApprove {
  async handle(input: {
    reviewer: User
    ids: readonly string[]
    locale: Locale
    translate: (key: string, values: Record<string, unknown>) => string
  }) {
    const outcomes: BulkOutcome[] = []
    for (const id of input.ids) {
      const outcome: BulkOutcome = {
        id,
        reference: null,
        approved: false,
        waitlisted: false,
        error: null,
      }
      // A savepoint per application: a refusal undoes only that application's work. (Mail is
      // queued only at the very end of an approval, after everything that can refuse.)
      const client = scopedClient()
      await client.rawQuery('savepoint bulk_approve_item')
      try {
        const application = await lockForDecision(id)
        outcome.reference = application.reference
        if (!(await isClean(application, input.locale))) {
          throw new DomainError('applications.not_clean')
        }
        const approval = await new ApproveApplication().handle({
          reviewer: input.reviewer,
          applicationId: id,
          locale: input.locale,
        })
        await client.rawQuery('release savepoint bulk_approve_item')
        outcome.approved = true
        outcome.waitlisted = approval.waitlisted
      } catch (error) {
        await client.rawQuery('rollback to savepoint bulk_approve_item')
        if (error instanceof DomainError) {
          outcome.error = input.translate(`errors.${error.key}`, error.values)
        } else if (error instanceof NotFoundException) {
          outcome.error = input.translate('errors.applications.not_found', {})
        } else {
          throw error
        }
      }
      outcomes.push(outcome)
    }
    return outcomes
  }
}
