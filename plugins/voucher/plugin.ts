import { definePlugin } from '../../app/plugin_engine/define_plugin.js'
import { voucherSettings } from './settings.js'
import { voucherBookingProblems, voucherNavItems, voucherPostingsOnApproval } from './hooks.js'
import { voucherRoutes } from './routes.js'

/**
 * amVOUCHER (and "Darujeme kroužky dětem"): an approved application issues vouchers with QR codes,
 * applied to activities in the catalogue or redeemed at a provider's till, with a family co-payment.
 * Citizens see each voucher with its QR code in the portal (printable, or sent to their e-mail);
 * staff see the vouchers a program issued.
 */
export default definePlugin({
  id: 'voucher',
  version: '1.0.0',
  name: {
    cs: 'amVOUCHER',
    en: 'amVOUCHER (vouchers)',
    uk: 'amVOUCHER (ваучери)',
    pl: 'amVOUCHER (bony)',
  },
  description: {
    cs: 'Schválená žádost vydá poukázky s QR kódem, které se uplatní na aktivity z katalogu nebo u pokladny poskytovatele.',
    en: "An approved application issues vouchers with a QR code, applied to catalogue activities or redeemed at a provider's till.",
    uk: 'Схвалена заява видає ваучери з QR-кодом, які використовують на заняття з каталогу або на касі надавача.',
    pl: 'Zatwierdzony wniosek wydaje bony z kodem QR, wykorzystywane na zajęcia z katalogu lub w kasie usługodawcy.',
  },
  benefitKind: 'voucher',
  settings: voucherSettings,
  translations: 'lang',
  templates: 'templates',
  routes: voucherRoutes,
  pages: [
    'plugins/voucher/portal/vouchers',
    'plugins/voucher/portal/voucher',
    'plugins/voucher/admin/vouchers',
  ],
  hooks: {
    'application.approved': (payload, { settings }) => voucherPostingsOnApproval(payload, settings),
    'booking.validate': (payload, { settings }) => voucherBookingProblems(payload, settings),
    'program.nav_items': (payload) => voucherNavItems(payload),
  },
})
