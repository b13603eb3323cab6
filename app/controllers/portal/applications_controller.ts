import type { HttpContext } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import Application from '#models/application'
import ApplicationDocument from '#models/application_document'
import Child from '#models/child'
import ApplicationPolicy from '#policies/application_policy'
import {
  ProvideInformation,
  SubmitApplication,
  WithdrawApplication,
  waitlistPosition,
  type DocumentUpload,
} from '#actions/applications/application_actions'
import {
  applicantContext,
  applicantFacts,
  audienceProblem,
  knownFacts,
  beneficiaryChild,
  loadVisibleProgram,
  pickPeriod,
  versionOf,
} from '#applications/context'
import { coerceDeclared, flattenDeclared, questionsFor } from '#applications/declared'
import { documentRequirements } from '#applications/documents'
import { offersFor } from '#applications/offers'
import { benefitsOf } from '#applications/benefits'
import { currentVersionsOf, programLinks } from '#programs/plugin_nav'
import {
  applicationParts,
  ownApplicationWithParts,
  type ApplicationParts,
} from '#applications/parts'
import { openPeriods, periodOf } from '#applications/facts'
import { precheckVersion, ruleSentence } from '#programs/precheck'
import { beneficiaryOf } from '#programs/program_config'
import { readDocument } from '#documents/private_store'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'
import type DomainError from '#exceptions/domain_error'
import type { Locale } from '#eligibility/types'

function localized(value: unknown, locale: string) {
  const map = (value ?? {}) as Record<string, string>
  return map[locale] ?? map.en ?? map.cs ?? ''
}

/** The uploads of a request: `documents[<key>]` (one file or several per key). */
export function uploadsOf(ctx: HttpContext): DocumentUpload[] {
  const files = (ctx.request.allFiles().documents ?? {}) as unknown as Record<
    string,
    MultipartFile | MultipartFile[]
  >
  const uploads: DocumentUpload[] = []
  if (!files || typeof files !== 'object') return uploads
  for (const [key, value] of Object.entries(files)) {
    for (const file of Array.isArray(value) ? value : [value]) {
      if (file && typeof file === 'object' && 'clientName' in file) uploads.push({ key, file })
    }
  }
  return uploads
}

/** Sends a stored document inline, typed by what its content was sniffed as. */
export async function sendDocument(ctx: HttpContext, document: ApplicationDocument) {
  const bytes = await readDocument(document.storageKey)
  ctx.response.header('Content-Type', document.contentType)
  ctx.response.header('X-Content-Type-Options', 'nosniff')
  ctx.response.header('Cache-Control', 'private, no-store')
  // Shown inline in our own pages (the reviewer's application page frames PDFs), never elsewhere.
  ctx.response.header('X-Frame-Options', 'SAMEORIGIN')
  ctx.response.header('Content-Security-Policy', "frame-ancestors 'self'")
  ctx.response.header(
    'Content-Disposition',
    `inline; filename="${document.fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`
  )
  return ctx.response.send(bytes)
}

/** An application as its applicant sees it. */
export async function applicationDetail(
  application: Application,
  locale: Locale,
  /** Already read with the application (app/applications/parts.ts). */
  parts?: ApplicationParts
) {
  // One statement (app/applications/parts.ts).
  const { version, tenant, child, documents, events, decisions } =
    parts ?? (await applicationParts(application))
  const period = periodOf(version, application.periodKey)
  return {
    id: application.id,
    reference: application.reference,
    status: application.status,
    program: { id: application.programId, name: localized(version.name, locale) },
    tenant: { slug: tenant.slug, name: tenant.name },
    child: child
      ? { id: child.id, name: `${child.firstName} ${child.lastName}`, birthDate: child.birthDate }
      : null,
    forApplicant: !application.childId,
    period: period ? { key: period.key, name: localized(period.name, locale) } : null,
    waitlistPosition:
      application.status === 'waitlisted' ? await waitlistPosition(application) : null,
    submittedAt: application.submittedAt.toISO(),
    decidedAt: application.decidedAt?.toISO() ?? null,
    infoRequest: application.infoRequest,
    decisionReason: application.decisionReason,
    declared: application.declared,
    eligible: application.eligible,
    reasons: application.reasons,
    requirements: documentRequirements(version, application.facts, locale),
    documents: documents.map((doc) => ({
      id: doc.id,
      key: doc.documentKey,
      fileName: doc.fileName,
      contentType: doc.contentType,
      sizeBytes: doc.sizeBytes,
      createdAt: doc.createdAt.toISO(),
    })),
    events: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      actorRole: event.actorRole,
      note: event.note,
      createdAt: event.createdAt.toISO(),
    })),
    granted: decisions
      .filter((decision) => decision.outcome === 'approved')
      .flatMap((decision) => decision.benefits as any[]),
    currency: version.currency,
    canWithdraw: application.withdrawable,
    canAnswer: application.status === 'info_requested',
  }
}

/**
 * The citizen's side of applications: offers with pre-checks, the application form with a live
 * check, submitting with documents, the list and detail with history, withdrawing, answering a
 * request for more information, and the benefits (credit and vouchers) of each child.
 */
export default class ApplicationsController {
  protected locale(ctx: HttpContext) {
    return ctx.i18n.locale as Locale
  }

  protected async own(ctx: HttpContext) {
    const application = await Application.query()
      .where('id', ctx.params.id)
      .where('applicantUserId', ctx.auth.getUserOrFail().id)
      .first()
    if (!application) throw new NotFoundException()
    await ctx.bouncer.with(ApplicationPolicy).authorize('own', application)
    return application
  }

  async offers(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const user = ctx.auth.getUserOrFail()
    const { offers, hasChildren } = await offersFor(user, this.locale(ctx), (error: DomainError) =>
      ctx.i18n.t(`errors.${error.key}`, error.values)
    )
    return render(ctx, 'portal/applications/offers', { offers, hasChildren })
  }

  /** The application form for a program (optionally for one child). */
  async create(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const user = ctx.auth.getUserOrFail()
    const locale = this.locale(ctx)
    const loaded = await loadVisibleProgram(ctx.params.programId)
    const problem = await audienceProblem(user, loaded, undefined, locale)
    const { version } = loaded
    const forApplicant = beneficiaryOf(version) === 'applicant'
    const children = forApplicant
      ? []
      : await Child.query().where('parentUserId', user.id).orderBy('birthDate')
    const context = await applicantContext(user)
    return render(ctx, 'portal/applications/apply', {
      forApplicant,
      applicantName: user.fullName,
      program: {
        id: loaded.program.id,
        name: localized(version.name, locale),
        description: localized(version.description, locale),
        tenant: { slug: loaded.tenant.slug, name: loaded.tenant.name },
        currency: version.currency,
        rule: ruleSentence(version, locale),
      },
      closedReason: problem ? ctx.i18n.t(`errors.${problem.key}`, problem.values) : null,
      periods: openPeriods(version).map((p) => ({
        key: p.key,
        name: localized(p.name, locale),
        start: p.start,
        end: p.end,
      })),
      children: children.map((child) => ({
        id: child.id,
        name: `${child.firstName} ${child.lastName}`,
        birthDate: child.birthDate,
      })),
      selectedChild: ctx.request.qs().child ?? null,
      questions: questionsFor(version, { known: knownFacts(context) }).map(
        ({ path, definition }) => ({
          path,
          type: definition.type,
          label: definition.label[locale],
          choices: (definition.choices ?? []).map((c) => ({
            value: c.value,
            label: c.label[locale],
          })),
        })
      ),
      documents: (version.documents ?? []).map((doc) => ({
        key: doc.key,
        name: localized(doc.name, locale),
        help: localized(doc.help, locale) || null,
        formats: doc.formats,
        maxSizeBytes: doc.maxSizeBytes,
      })),
    })
  }

  /** The form's live check: the verdict, the reasons and the documents needed for these answers. */
  async check(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const user = ctx.auth.getUserOrFail()
    const locale = this.locale(ctx)
    const loaded = await loadVisibleProgram(ctx.params.programId)
    const body = ctx.request.body()
    const child = await beneficiaryChild(loaded, body.childId)
    const period = pickPeriod(loaded, body.periodKey ? String(body.periodKey) : undefined)
    const context = await applicantContext(user)
    const questions = questionsFor(loaded.version, { known: knownFacts(context) })
    const declared = coerceDeclared(questions, flattenDeclared(body.declared))
    const answered = Object.fromEntries(
      Object.entries(declared).filter(([, value]) => value !== undefined)
    )
    const facts = await applicantFacts({
      user,
      loaded,
      child,
      period,
      declared: answered,
      documentKeys: [],
      context,
    })
    const verdict = precheckVersion(loaded.version, facts, locale)
    return ctx.response.send({
      eligible: verdict.eligible,
      reasons: verdict.reasons,
      missing: verdict.missing,
      documents: documentRequirements(loaded.version, facts, locale),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const body = ctx.request.body()
    const declared = typeof body.declared === 'string' ? safeJson(body.declared) : body.declared
    const application = await new SubmitApplication().handle({
      user: ctx.auth.getUserOrFail(),
      programId: ctx.params.programId,
      childId: typeof body.childId === 'string' ? body.childId : null,
      periodKey: body.periodKey ? String(body.periodKey) : undefined,
      declared: declared ?? {},
      uploads: uploadsOf(ctx),
      locale: this.locale(ctx),
    })
    return done(ctx, `/portal/applications/${application.id}`, 'applications.submitted', {
      id: application.id,
      reference: application.reference,
      status: application.status,
    })
  }

  async index(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const user = ctx.auth.getUserOrFail()
    const locale = this.locale(ctx)
    const applications = await Application.query()
      .where('applicantUserId', user.id)
      .orderBy('createdAt', 'desc')
      .limit(200)
    const children = new Map(
      (await Child.query().where('parentUserId', user.id)).map((c) => [c.id, c])
    )
    const rows = []
    for (const application of applications) {
      const version = await versionOf(application)
      const child = application.childId ? children.get(application.childId) : undefined
      rows.push({
        id: application.id,
        reference: application.reference,
        status: application.status,
        program: localized(version.name, locale),
        // Whom it is for: the child, or the applicant themselves.
        child: child ? `${child.firstName} ${child.lastName}` : '',
        forApplicant: !application.childId,
        period: localized(periodOf(version, application.periodKey)?.name, locale),
        submittedAt: application.submittedAt.toISO(),
      })
    }
    return render(ctx, 'portal/applications/index', { applications: rows })
  }

  async show(ctx: HttpContext) {
    // The application and its parts in one statement; the same checks as own().
    const loaded = await ownApplicationWithParts(ctx.params.id, ctx.auth.getUserOrFail().id)
    if (!loaded) throw new NotFoundException()
    await ctx.bouncer.with(ApplicationPolicy).authorize('own', loaded.application)
    return render(ctx, 'portal/applications/show', {
      application: await applicationDetail(loaded.application, this.locale(ctx), loaded.parts),
    })
  }

  async withdraw(ctx: HttpContext) {
    const application = await this.own(ctx)
    await new WithdrawApplication().handle({
      user: ctx.auth.getUserOrFail(),
      applicationId: application.id,
    })
    return done(ctx, `/portal/applications/${application.id}`, 'applications.withdrawn', {
      status: 'withdrawn',
    })
  }

  async answer(ctx: HttpContext) {
    const application = await this.own(ctx)
    const updated = await new ProvideInformation().handle({
      user: ctx.auth.getUserOrFail(),
      applicationId: application.id,
      note: ctx.request.input('note') ?? null,
      uploads: uploadsOf(ctx),
      locale: this.locale(ctx),
    })
    return done(ctx, `/portal/applications/${application.id}`, 'applications.answered', {
      status: updated.status,
    })
  }

  async document(ctx: HttpContext) {
    const application = await this.own(ctx)
    const document = await ApplicationDocument.query()
      .where('tenantId', application.tenantId)
      .where('applicationId', application.id)
      .where('id', ctx.params.documentId)
      .first()
    if (!document) throw new NotFoundException()
    return sendDocument(ctx, document)
  }

  /** Each child's credit and vouchers, whichever program granted them. */
  async benefits(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('apply')
    const user = ctx.auth.getUserOrFail()
    const children = await benefitsOf(user, this.locale(ctx))
    // Each program's menu from its plugin (program.nav_items), e.g. the vouchers with QR codes.
    const programIds = children.flatMap((child) =>
      [...child.credits, ...child.vouchers].map((benefit) => benefit.programId)
    )
    return render(ctx, 'portal/applications/benefits', {
      children,
      programLinks: await programLinks(await currentVersionsOf(programIds), 'portal', (key) =>
        ctx.i18n.t(key)
      ),
    })
  }
}

function safeJson(text: string) {
  try {
    return JSON.parse(text)
  } catch {
    return {}
  }
}
