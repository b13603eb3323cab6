import type { HttpContext } from '@adonisjs/core/http'
import AdminPolicy from '#policies/admin_policy'
import AuditEvent from '#models/audit_event'
import User from '#models/user'
import { render } from '#controllers/respond'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * A tenant's audit log: who did what, when.
 */
export default class AuditController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('viewAudit', ctx.workspace)
    const tenantId = ctx.workspace!.kind === 'tenant' ? ctx.workspace!.tenant.id : ''
    const events = await AuditEvent.query()
      .where('tenantId', tenantId)
      .orderBy('createdAt', 'desc')
      .limit(200)
    const actors = new Map(
      (
        await User.query().whereIn(
          'id',
          events.map((e) => e.actorUserId).filter(Boolean) as string[]
        )
      ).map((u) => [u.id, u.fullName])
    )
    return render(ctx, 'admin/audit/index', {
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        actor: e.actorUserId ? (actors.get(e.actorUserId) ?? null) : null,
        data: e.data,
        createdAt: e.createdAt.toISO(),
      })),
    })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(AdminPolicy).authorize('viewAudit', ctx.workspace)
    const tenantId = ctx.workspace!.kind === 'tenant' ? ctx.workspace!.tenant.id : ''
    const event = await AuditEvent.query()
      .where('tenantId', tenantId)
      .where('id', ctx.params.id)
      .first()
    if (!event) throw new NotFoundException()
    return ctx.response.send({
      id: event.id,
      action: event.action,
      data: event.data,
      createdAt: event.createdAt.toISO(),
    })
  }
}
