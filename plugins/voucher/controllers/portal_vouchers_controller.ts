import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import limiter from '@adonisjs/limiter/services/main'
import Program from '#models/program'
import NotFoundException from '#exceptions/not_found_exception'
import { render, wantsJson } from '#controllers/respond'
import { sendTemplatedMail } from '#services/mailer'
import type { MailLocale } from '#services/mail_templates'
import Tenant from '#models/tenant'
import VoucherPolicy from '../policies/voucher_policy.js'
import { heldVoucher, heldVouchersOf } from '../vouchers.js'
import { conditionsText, describeVouchers, templateData, type VoucherView } from '../presenter.js'
import { voucherQrDataUrl } from '../qr.js'

/** The URL of a named route (the plugin's own routes). */
export function routeUrl(name: string, params: Record<string, string> = {}) {
  return (router.urlBuilder.urlFor as unknown as (n: string, p: Record<string, string>) => string)(
    name,
    params
  )
}

/** How many times a person may e-mail themselves vouchers in an hour. */
const EMAILS_PER_HOUR = 5

/**
 * A citizen's vouchers in the portal: the vouchers they hold in one program, one voucher with its
 * QR code (printable), and that voucher sent to their own e-mail address. Which vouchers a person
 * holds is decided by row-level security (plugins/voucher/vouchers.ts): any other id is a 404.
 */
export default class PortalVouchersController {
  protected locale(ctx: HttpContext): MailLocale {
    return ctx.i18n.locale as MailLocale
  }

  /** The voucher, or 404 when this person does not hold it. */
  protected async held(ctx: HttpContext): Promise<VoucherView> {
    await ctx.bouncer.with(VoucherPolicy).authorize('hold')
    const row = await heldVoucher(ctx.params.id)
    if (!row) throw new NotFoundException()
    const [voucher] = await describeVouchers([row], this.locale(ctx))
    return voucher
  }

  /** The person's vouchers of one voucher program. */
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(VoucherPolicy).authorize('hold')
    const program = await Program.find(ctx.params.programId)
    if (!program || program.pluginId !== 'voucher') throw new NotFoundException()
    const tenant = await Tenant.find(program.tenantId)
    const vouchers = await describeVouchers(await heldVouchersOf(program.id), this.locale(ctx))
    const current = vouchers.at(-1)?.program.name
    return render(ctx, 'plugins/voucher/portal/vouchers', {
      program: { id: program.id, name: current ?? program.slug, issuer: tenant?.name ?? '' },
      vouchers: vouchers.map((voucher) => ({
        ...voucher,
        href: routeUrl('plugins.voucher.portal.vouchers.show', { id: voucher.id }),
      })),
    })
  }

  /** One voucher: QR code, code as text, value, program, period, expiry, status, conditions. */
  async show(ctx: HttpContext) {
    const voucher = await this.held(ctx)
    const user = ctx.auth.getUserOrFail()
    const path = routeUrl('plugins.voucher.portal.vouchers.show', { id: voucher.id })
    return render(ctx, 'plugins/voucher/portal/voucher', {
      voucher,
      qr: await voucherQrDataUrl(voucher.code),
      conditions: conditionsText(voucher, this.locale(ctx), user.fullName, path),
      links: {
        program: routeUrl('plugins.voucher.portal.vouchers.index', {
          programId: voucher.program.id,
        }),
        email: routeUrl('plugins.voucher.portal.vouchers.email', { id: voucher.id }),
        benefits: '/portal/benefits',
      },
    })
  }

  /** Sends the voucher to the person's own address (the `voucher` template), a few times an hour. */
  async email(ctx: HttpContext) {
    const voucher = await this.held(ctx)
    const user = ctx.auth.getUserOrFail()
    const locale = this.locale(ctx)
    const path = routeUrl('plugins.voucher.portal.vouchers.show', { id: voucher.id })
    const allowed = await limiter
      .use({ requests: EMAILS_PER_HOUR, duration: '1 hour' })
      .attempt(`voucher_email_${user.id}`, () => true)
    if (!allowed) {
      const message = ctx.i18n.t('plugins.voucher.ui.email_throttled', { max: EMAILS_PER_HOUR })
      if (wantsJson(ctx)) {
        return ctx.response.status(429).send({ errors: [{ field: 'form', message }] })
      }
      ctx.session.flash('error', message)
      return ctx.response.redirect(path)
    }
    const issuer = await Tenant.findBy('slug', voucher.issuer.slug)
    sendTemplatedMail({
      to: user.email,
      template: 'plugins.voucher.voucher',
      locale,
      tenant: issuer,
      data: {
        ...templateData(voucher, locale, user.fullName, path),
        conditions: conditionsText(voucher, locale, user.fullName, path),
      },
    })
    if (wantsJson(ctx)) return ctx.response.send({ ok: true })
    ctx.session.flash('success', ctx.i18n.t('plugins.voucher.ui.email_sent', { email: user.email }))
    return ctx.response.redirect(path)
  }
}
