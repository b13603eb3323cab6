import type { HttpContext } from '@adonisjs/core/http'
import Program from '#models/program'
import ProgramVersion from '#models/program_version'
import NotFoundException from '#exceptions/not_found_exception'
import { render } from '#controllers/respond'
import type { Locale } from '#eligibility/types'
import VoucherPolicy from '../policies/voucher_policy.js'
import { issuedCountsOf, issuedVouchersOf } from '../vouchers.js'
import { describeVouchers } from '../presenter.js'

/** How many vouchers the admin list shows (the newest). */
export const ISSUED_LIST_LIMIT = 500

/** Masks all but the last four characters of a code: staff see which voucher, not how to spend it. */
export function maskedCode(code: string) {
  return `•••• •••• •••• ${code.slice(-4)}`
}

/**
 * The vouchers a voucher program issued, for the staff of its tenant: counts and value by status,
 * and the newest vouchers with their codes masked.
 */
export default class AdminVouchersController {
  async index(ctx: HttpContext) {
    const workspace = ctx.workspace ?? null
    const tenantId = workspace?.kind === 'tenant' ? workspace.tenant.id : null
    const program = tenantId
      ? await Program.query()
          .where('tenantId', tenantId)
          .where('id', ctx.params.programId)
          .where('pluginId', 'voucher')
          .first()
      : null
    await ctx.bouncer.with(VoucherPolicy).authorize('viewIssued', workspace, program)
    if (!program) throw new NotFoundException()
    const locale = ctx.i18n.locale as Locale
    const version = await ProgramVersion.query()
      .where('tenantId', program.tenantId)
      .where('programId', program.id)
      .where('version', program.currentVersion)
      .firstOrFail()
    const names = version.name as Record<string, string>
    const rows = await issuedVouchersOf(program.tenantId, program.id, ISSUED_LIST_LIMIT)
    const vouchers = await describeVouchers(rows, locale, { holders: false })
    return render(ctx, 'plugins/voucher/admin/vouchers', {
      program: {
        id: program.id,
        name: names[locale] ?? names.en ?? names.cs ?? program.slug,
        href: `/admin/programs/${program.id}`,
      },
      counts: await issuedCountsOf(program.tenantId, program.id),
      limit: ISSUED_LIST_LIMIT,
      vouchers: vouchers.map((voucher) => ({
        id: voucher.id,
        code: maskedCode(voucher.code),
        faceValueMinor: voucher.faceValueMinor,
        currency: voucher.currency,
        period: voucher.period?.name ?? null,
        expiresAt: voucher.expiresAt,
        status: voucher.status,
        issuedAt: voucher.issuedAt,
      })),
    })
  }
}
