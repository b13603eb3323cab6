/** A voucher as the voucher plugin's pages receive it (plugins/voucher/presenter.ts). */
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
  expiresOn: string | null
  status: 'active' | 'spent' | 'expired' | 'cancelled'
  holder: string | null
  issuedAt: string
}
