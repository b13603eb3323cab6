/*
 * What the voucher plugin's pages and e-mail show about a voucher: program, issuer, value,
 * period, expiry, status, holder, and the conditions of use from the plugin's `conditions`
 * template (Handlebars, per locale, overridable per tenant in
 * tenants/<slug>/templates/plugins/voucher/conditions/).
 */
import ProgramVersion from '#models/program_version'
import Tenant from '#models/tenant'
import Child from '#models/child'
import { periodOf } from '#applications/facts'
import { formatDate, formatMoney } from '#eligibility/explain'
import type { Locale } from '#eligibility/types'
import { renderTemplatePart } from '#services/mail_templates'
import { groupedCode, shownStatus, type VoucherRow } from './vouchers.js'
import type { VoucherView } from './components/types.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function localized(value: unknown, locale: Locale) {
  const map = (value ?? {}) as Record<string, string>
  return map[locale] ?? map.en ?? map.cs ?? ''
}

/** A voucher as the pages show it: one definition, shared with the pages (components/types.ts). */
export type { VoucherView } from './components/types.js'

/**
 * Describes vouchers for a page in `locale`: the issuing version's program and period names, the
 * issuer, and the holder's name when this person can read the holder (their own child).
 */
export async function describeVouchers(
  rows: readonly VoucherRow[],
  locale: Locale,
  options: { holders: boolean } = { holders: true }
): Promise<VoucherView[]> {
  const versions = new Map<string, ProgramVersion | null>()
  const tenants = new Map<string, Tenant | null>()
  const holders = new Map<string, string | null>()
  const views: VoucherView[] = []
  // One after the other: these share the request's transaction (one connection).
  for (const row of rows) {
    const versionKey = `${row.tenantId}|${row.programId}|${row.programVersion}`
    if (!versions.has(versionKey)) {
      versions.set(
        versionKey,
        await ProgramVersion.query()
          .where('tenantId', row.tenantId)
          .where('programId', row.programId)
          .where('version', row.programVersion)
          .first()
      )
    }
    if (!tenants.has(row.tenantId)) tenants.set(row.tenantId, await Tenant.find(row.tenantId))
    if (options.holders && !holders.has(row.holderRef)) {
      const child = UUID.test(row.holderRef) ? await Child.find(row.holderRef) : null
      holders.set(row.holderRef, child ? `${child.firstName} ${child.lastName}` : null)
    }
    const version = versions.get(versionKey) ?? null
    const tenant = tenants.get(row.tenantId) ?? null
    const period = version && row.periodKey ? periodOf(version, row.periodKey) : null
    views.push({
      id: row.id,
      code: row.code,
      codeGrouped: groupedCode(row.code),
      faceValueMinor: row.faceValueMinor,
      currency: row.currency,
      program: { id: row.programId, name: version ? localized(version.name, locale) : '' },
      issuer: { slug: tenant?.slug ?? '', name: tenant?.name ?? '' },
      period: period
        ? {
            key: period.key,
            name: localized(period.name, locale),
            start: period.start,
            end: period.end,
          }
        : null,
      expiresAt: row.expiresAt?.toISO() ?? null,
      expiresOn: row.expiresAt?.setZone('Europe/Prague').toISODate() ?? null,
      status: shownStatus(row),
      holder: options.holders ? (holders.get(row.holderRef) ?? null) : null,
      issuedAt: row.createdAt.toISO()!,
    })
  }
  return views
}

/** The values the voucher's templates read (`conditions`, and the `voucher` e-mail). */
export function templateData(voucher: VoucherView, locale: Locale, fullName: string, path: string) {
  return {
    fullName,
    holderName: voucher.holder ?? '',
    programName: voucher.program.name,
    issuerName: voucher.issuer.name,
    value: formatMoney(voucher.faceValueMinor, voucher.currency, locale),
    code: voucher.codeGrouped,
    periodName: voucher.period?.name ?? '',
    expires: voucher.expiresOn ? formatDate(voucher.expiresOn, locale) : '',
    path,
  }
}

/** The conditions of use, as plain text, from the `conditions` template (the issuer's override first). */
export function conditionsText(
  voucher: VoucherView,
  locale: Locale,
  fullName: string,
  path: string
) {
  return renderTemplatePart(
    'plugins.voucher.conditions',
    locale,
    'text',
    templateData(voucher, locale, fullName, path),
    voucher.issuer.slug || null
  ).trim()
}
