/*
 * Applications: the citizen's side in the portal (offers, the form, their applications and
 * benefits) and the reviewers' side in the admin (queue, application page, decisions).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ApplicationsController = () => import('#controllers/portal/applications_controller')
const AdminApplicationsController = () => import('#controllers/admin/applications_controller')

const uuid = router.matchers.uuid()

router
  .group(() => {
    router.get('/offers', [ApplicationsController, 'offers']).as('portal.offers')
    router
      .get('/programs/:programId/apply', [ApplicationsController, 'create'])
      .where('programId', uuid)
      .as('portal.applications.create')
    router
      .post('/programs/:programId/check', [ApplicationsController, 'check'])
      .where('programId', uuid)
      .as('portal.applications.check')
    router
      .post('/programs/:programId/applications', [ApplicationsController, 'store'])
      .where('programId', uuid)
      .as('portal.applications.store')
    router.get('/applications', [ApplicationsController, 'index']).as('portal.applications.index')
    router
      .get('/applications/:id', [ApplicationsController, 'show'])
      .where('id', uuid)
      .as('portal.applications.show')
    router
      .post('/applications/:id/withdraw', [ApplicationsController, 'withdraw'])
      .where('id', uuid)
      .as('portal.applications.withdraw')
    router
      .post('/applications/:id/answer', [ApplicationsController, 'answer'])
      .where('id', uuid)
      .as('portal.applications.answer')
    router
      .get('/applications/:id/documents/:documentId', [ApplicationsController, 'document'])
      .where('id', uuid)
      .where('documentId', uuid)
      .as('portal.applications.document')
    router.get('/benefits', [ApplicationsController, 'benefits']).as('portal.benefits')
  })
  .prefix('/portal')
  .use(middleware.auth())

router
  .group(() => {
    router
      .get('/applications', [AdminApplicationsController, 'index'])
      .as('admin.applications.index')
    router
      .post('/applications/bulk-approve', [AdminApplicationsController, 'bulkApprove'])
      .as('admin.applications.bulk_approve')
    router
      .get('/applications/:id', [AdminApplicationsController, 'show'])
      .where('id', uuid)
      .as('admin.applications.show')
    router
      .get('/applications/:id/documents/:documentId', [AdminApplicationsController, 'document'])
      .where('id', uuid)
      .where('documentId', uuid)
      .as('admin.applications.document')
    router
      .post('/applications/:id/approve', [AdminApplicationsController, 'approve'])
      .where('id', uuid)
      .as('admin.applications.approve')
    router
      .post('/applications/:id/reject', [AdminApplicationsController, 'reject'])
      .where('id', uuid)
      .as('admin.applications.reject')
    router
      .post('/applications/:id/request-info', [AdminApplicationsController, 'requestInfo'])
      .where('id', uuid)
      .as('admin.applications.request_info')
    router
      .get('/applications/:id/decisions/:decisionId/replay', [
        AdminApplicationsController,
        'replay',
      ])
      .where('id', uuid)
      .where('decisionId', uuid)
      .as('admin.applications.replay')
  })
  .prefix('/admin')
  .use(middleware.auth())
