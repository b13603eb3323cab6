/**
 * A voucher as the voucher plugin's pages receive it, built by plugins/voucher/presenter.ts (which
 * imports this type: one definition for the server and the pages; no model, no ledger internals).
 */
export interface VoucherView {
  id: string
  code: string
  codeGrouped: string
  faceValueMinor: number
  currency: string
  program: { id: string; name: string }
  issuer: { slug: string; name: string }
  period: { key: string; name: string; start: string; end: string } | null
  expiresAt: string | null
  /** The expiry as a calendar day in Prague (yyyy-mm-dd). */
  expiresOn: string | null
  status: 'active' | 'spent' | 'expired' | 'cancelled'
  holder: string | null
  issuedAt: string
}
