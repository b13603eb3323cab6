import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import Application, { type ApplicationStatus } from '#models/application'
import ApplicationDocument from '#models/application_document'
import ApplicationDecision from '#models/application_decision'
import Program from '#models/program'
import Child from '#models/child'
import ProgramVersion from '#models/program_version'
import User from '#models/user'
import ApplicationPolicy from '#policies/application_policy'
import {
  ApproveApplication,
  BulkApprove,
  RejectApplication,
  RequestInformation,
  isClean,
} from '#actions/applications/application_actions'
import { applicationDetail, sendDocument } from '#controllers/portal/applications_controller'
import { versionOf } from '#applications/context'
import { replayDecision } from '#applications/replay'
import { precheckVersion } from '#programs/precheck'
import { done, render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'
import type { Locale } from '#eligibility/types'

const STATUSES: ApplicationStatus[] = [
  'submitted',
  'info_requested',
  'waitlisted',
  'approved',
  'rejected',
  'withdrawn',
]

const queueFilters = vine.create(
  vine.object({
    program: vine.string().uuid().optional(),
    status: vine.enum(STATUSES).optional(),
    olderThanDays: vine.number().withoutDecimals().min(0).max(3650).optional(),
    page: vine.number().withoutDecimals().min(1).max(10_000).optional(),
  })
)

const rejectValidator = vine.create(vine.object({ reason: vine.string().trim().maxLength(2000) }))
const requestInfoValidator = vine.create(
  vine.object({ message: vine.string().trim().maxLength(2000) })
)
const bulkValidator = vine.create(
  vine.object({ ids: vine.array(vine.string().uuid()).minLength(1).maxLength(100).distinct() })
)

const PAGE_SIZE = 50

function localized(value: unknown, locale: string) {
  const map = (value ?? {}) as Record<string, string>
  return map[locale] ?? map.en ?? map.cs ?? ''
}

/**
 * The reviewers' side: the queue (by program, state and waiting time), an application's page
 * (facts, eligibility trace, documents inline, history, decisions with replay), and decisions:
 * approve, reject with a reason, request more information, bulk approve clean cases.
 */
export default class AdminApplicationsController {
  protected tenantId(ctx: HttpContext) {
    return ctx.workspace?.kind === 'tenant' ? ctx.workspace.tenant.id : ''
  }

  protected locale(ctx: HttpContext) {
    return ctx.i18n.locale as Locale
  }

  protected async find(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('review', ctx.workspace)
    const application = await Application.query()
      .where('tenantId', this.tenantId(ctx))
      .where('id', ctx.params.id)
      .first()
    if (!application) throw new NotFoundException()
    await ctx.bouncer.with(ApplicationPolicy).authorize('decide', ctx.workspace, application)
    return application
  }

  async index(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('review', ctx.workspace)
    const filters = await queueFilters.validate(ctx.request.qs())
    const tenantId = this.tenantId(ctx)
    const locale = this.locale(ctx)
    const status = filters.status ?? 'submitted'
    const query = Application.query().where('tenantId', tenantId).where('status', status)
    if (filters.program) query.where('programId', filters.program)
    if (filters.olderThanDays !== undefined) {
      query.where(
        'submittedAt',
        '<=',
        DateTime.now().minus({ days: filters.olderThanDays }).toSQL()!
      )
    }
    const page = await query
      .orderBy('submittedAt', 'asc')
      .orderBy('id')
      .paginate(filters.page ?? 1, PAGE_SIZE)
    const programs = await Program.query().where('tenantId', tenantId).orderBy('createdAt')
    const versions = new Map<string, ProgramVersion>()
    for (const program of programs) {
      const version = await ProgramVersion.query()
        .where('tenantId', tenantId)
        .where('programId', program.id)
        .where('version', program.currentVersion)
        .first()
      if (version) versions.set(program.id, version)
    }
    const applicants = new Map(
      (
        await User.query().whereIn(
          'id',
          page.all().map((row) => row.applicantUserId)
        )
      ).map((user) => [user.id, user])
    )
    const rows = []
    for (const application of page.all()) {
      const child = application.childId ? await Child.find(application.childId) : null
      rows.push({
        id: application.id,
        reference: application.reference,
        status: application.status,
        program: localized(versions.get(application.programId)?.name, locale),
        applicant: applicants.get(application.applicantUserId)?.fullName ?? '',
        child: child ? `${child.firstName} ${child.lastName}` : '',
        forApplicant: !application.childId,
        submittedAt: application.submittedAt.toISO(),
        waitingDays: Math.floor(-application.submittedAt.diffNow('days').days),
        eligible: application.eligible,
        clean: await isClean(application, locale),
      })
    }
    return render(ctx, 'admin/applications/index', {
      applications: rows,
      filters: { ...filters, status },
      statuses: STATUSES,
      programs: programs.map((program) => ({
        id: program.id,
        name: localized(versions.get(program.id)?.name, locale),
      })),
      meta: { total: page.total, page: page.currentPage, lastPage: page.lastPage },
    })
  }

  async show(ctx: HttpContext) {
    const application = await this.find(ctx)
    const locale = this.locale(ctx)
    const version = await versionOf(application)
    const verdict = precheckVersion(version, application.facts, locale)
    const applicant = await User.find(application.applicantUserId)
    const decisions = await ApplicationDecision.query()
      .where('tenantId', application.tenantId)
      .where('applicationId', application.id)
      .orderBy('decidedAt')
    const deciders = new Map(
      (
        await User.query().whereIn(
          'id',
          decisions.map((d) => d.decidedBy).filter((id): id is string => !!id)
        )
      ).map((user) => [user.id, user.fullName])
    )
    return render(ctx, 'admin/applications/show', {
      application: {
        ...(await applicationDetail(application, locale)),
        applicant: applicant
          ? { name: applicant.fullName, email: applicant.email, citizenship: applicant.citizenship }
          : null,
        facts: application.facts,
        verdict: { eligible: verdict.eligible, reasons: verdict.reasons, trace: verdict.trace },
        clean: await isClean(application, locale),
        canDecide: application.status === 'submitted',
        canReject: application.undecided || application.status === 'waitlisted',
        programVersion: application.programVersion,
        decisions: decisions.map((decision) => ({
          id: decision.id,
          outcome: decision.outcome,
          decidedBy: decision.decidedBy ? (deciders.get(decision.decidedBy) ?? null) : null,
          decidedAt: decision.decidedAt.toISO(),
          programVersion: decision.programVersion,
          ruleKey: decision.ruleKey,
          eligible: decision.eligible,
          reason: decision.reason,
          benefits: decision.benefits,
        })),
      },
    })
  }

  async document(ctx: HttpContext) {
    const application = await this.find(ctx)
    const document = await ApplicationDocument.query()
      .where('tenantId', application.tenantId)
      .where('applicationId', application.id)
      .where('id', ctx.params.documentId)
      .first()
    if (!document) throw new NotFoundException()
    return sendDocument(ctx, document)
  }

  async approve(ctx: HttpContext) {
    const application = await this.find(ctx)
    const { grant, waitlisted, position } = await new ApproveApplication().handle({
      reviewer: ctx.auth.getUserOrFail(),
      applicationId: application.id,
      locale: this.locale(ctx),
    })
    if (waitlisted) {
      return done(ctx, `/admin/applications/${application.id}`, 'applications.waitlisted', {
        status: 'waitlisted',
        position,
      })
    }
    if (!grant) {
      // Joined the waiting list and was granted from it at once (it was first in line).
      return done(ctx, `/admin/applications/${application.id}`, 'applications.approved', {
        status: 'approved',
      })
    }
    return done(ctx, `/admin/applications/${application.id}`, 'applications.approved', {
      status: 'approved',
      transactionId: grant.transaction.id,
      credit: grant.credit?.amount ?? 0,
      vouchers: grant.vouchers.map((voucher) => ({
        code: voucher.code,
        faceValue: voucher.faceValue,
      })),
    })
  }

  async reject(ctx: HttpContext) {
    const application = await this.find(ctx)
    const { reason } = await ctx.request.validateUsing(rejectValidator)
    await new RejectApplication().handle({
      reviewer: ctx.auth.getUserOrFail(),
      applicationId: application.id,
      reason,
      locale: this.locale(ctx),
    })
    return done(ctx, `/admin/applications/${application.id}`, 'applications.rejected', {
      status: 'rejected',
    })
  }

  async requestInfo(ctx: HttpContext) {
    const application = await this.find(ctx)
    const { message } = await ctx.request.validateUsing(requestInfoValidator)
    await new RequestInformation().handle({
      reviewer: ctx.auth.getUserOrFail(),
      applicationId: application.id,
      message,
    })
    return done(ctx, `/admin/applications/${application.id}`, 'applications.info_requested', {
      status: 'info_requested',
    })
  }

  async bulkApprove(ctx: HttpContext) {
    await ctx.bouncer.with(ApplicationPolicy).authorize('review', ctx.workspace)
    const { ids } = await ctx.request.validateUsing(bulkValidator)
    const outcomes = await new BulkApprove().handle({
      reviewer: ctx.auth.getUserOrFail(),
      ids,
      locale: this.locale(ctx),
      translate: (key, values) => ctx.i18n.t(key, values),
    })
    const approved = outcomes.filter((outcome) => outcome.approved).length
    if (!ctx.request.header('x-inertia') && ctx.request.accepts(['html', 'json']) === 'json') {
      return ctx.response.send({ ok: true, approved, outcomes })
    }
    const waiting = outcomes.filter((outcome) => outcome.waitlisted).length
    ctx.session.flash(
      'success',
      waiting > 0
        ? ctx.i18n.t('ui.applications.bulk_done_waitlisted', {
            count: approved,
            total: outcomes.length,
            waiting,
          })
        : ctx.i18n.t('ui.applications.bulk_done', { count: approved, total: outcomes.length })
    )
    const failed = outcomes.filter((outcome) => !outcome.approved)
    if (failed.length > 0) ctx.session.flash('bulkFailures', failed)
    return ctx.response.redirect().back()
  }

  /** Replays a recorded decision: the recorded rule over the recorded facts, now. */
  async replay(ctx: HttpContext) {
    const application = await this.find(ctx)
    const decision = await ApplicationDecision.query()
      .where('tenantId', application.tenantId)
      .where('applicationId', application.id)
      .where('id', ctx.params.decisionId)
      .first()
    if (!decision) throw new NotFoundException()
    return ctx.response.send(replayDecision(decision, this.locale(ctx)))
  }
}
