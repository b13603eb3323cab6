import type { PluginRouter } from '../../app/plugin_engine/define_plugin.js'

const PortalVouchersController = () => import('./controllers/portal_vouchers_controller.js')
const AdminVouchersController = () => import('./controllers/admin_vouchers_controller.js')

/**
 * The voucher plugin's routes (mounted by core under `/portal/plugins/voucher` and
 * `/admin/plugins/voucher`, signed-in people only):
 * - portal: the person's vouchers of one program, one voucher with its QR code, and sending that
 *   voucher to the person's own e-mail address;
 * - admin: the vouchers a program has issued (staff of the program's tenant).
 */
export function voucherRoutes(router: PluginRouter) {
  const uuid = router.matchers.uuid()
  router
    .get('/programs/:programId/vouchers', [PortalVouchersController, 'index'])
    .where('programId', uuid)
    .as('plugins.voucher.portal.vouchers.index')
  router
    .get('/vouchers/:id', [PortalVouchersController, 'show'])
    .where('id', uuid)
    .as('plugins.voucher.portal.vouchers.show')
  router
    .post('/vouchers/:id/email', [PortalVouchersController, 'email'])
    .where('id', uuid)
    .as('plugins.voucher.portal.vouchers.email')
  router
    .get('/programs/:programId/vouchers', [AdminVouchersController, 'index'])
    .where('programId', uuid)
    .as('plugins.voucher.admin.vouchers.index')
}
