import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import PublicPolicy from '#policies/public_policy'
import MailOutboxMessage from '#models/mail_outbox_message'
import { render } from '#controllers/respond'

/**
 * The local outbox: e-mails kept instead of sent, in development and tests only.
 */
export default class OutboxController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    if (app.inProduction) return ctx.response.notFound()
    const to = ctx.request.qs().to as string | undefined
    const query = MailOutboxMessage.query().orderBy('createdAt', 'desc').limit(100)
    if (to) query.where('toAddress', to)
    const messages = await query
    // `mails`, not `messages`: that shared prop holds the page's translations.
    return render(ctx, 'dev/outbox/index', {
      mails: messages.map((m) => ({
        id: m.id,
        to: m.toAddress,
        subject: m.subject,
        template: m.template,
        tenant: m.tenantSlug,
        createdAt: m.createdAt.toISO(),
      })),
      filter: to ?? '',
    })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with(PublicPolicy).authorize('view')
    if (app.inProduction) return ctx.response.notFound()
    const message = await MailOutboxMessage.findOrFail(ctx.params.id)
    return render(ctx, 'dev/outbox/show', {
      message: {
        id: message.id,
        to: message.toAddress,
        from: message.fromAddress,
        subject: message.subject,
        html: message.html,
        text: message.text,
        createdAt: message.createdAt.toISO(),
      },
    })
  }
}
