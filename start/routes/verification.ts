/*
 * Identity verification routes beyond the register form of start/routes.ts
 * (docs/decisions/0014-identity-verification.md): documents in the citizen portal; the census
 * file and the review of verifications in the admin. Imported once by start/routes.ts.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const VerificationController = () => import('#controllers/portal/verification_controller')
const CensusController = () => import('#controllers/admin/census_controller')
const VerificationsController = () => import('#controllers/admin/verifications_controller')

const uuid = router.matchers.uuid()

/* Citizen portal: verification by documents. */
router
  .group(() => {
    router
      .post('/verification/documents', [VerificationController, 'storeDocuments'])
      .as('portal.verification.documents.store')
    router
      .get('/verification/documents/:id', [VerificationController, 'document'])
      .where('id', uuid)
      .as('portal.verification.documents.show')
  })
  .prefix('/portal')
  .use(middleware.auth())

/* Admin: the census file (tenant admins) and the review of verifications (reviewing staff). */
router
  .group(() => {
    router.get('/census', [CensusController, 'show']).as('admin.census.show')
    router.post('/census', [CensusController, 'store']).as('admin.census.store')
    router.get('/verifications', [VerificationsController, 'index']).as('admin.verifications.index')
    router
      .get('/verifications/:id', [VerificationsController, 'show'])
      .where('id', uuid)
      .as('admin.verifications.show')
    router
      .get('/verifications/:id/documents/:documentId', [VerificationsController, 'document'])
      .where('id', uuid)
      .where('documentId', uuid)
      .as('admin.verifications.document')
    router
      .post('/verifications/:id/verify', [VerificationsController, 'verify'])
      .where('id', uuid)
      .as('admin.verifications.verify')
    router
      .post('/verifications/:id/refuse', [VerificationsController, 'refuse'])
      .where('id', uuid)
      .as('admin.verifications.refuse')
    router
      .post('/verifications/:id/revoke', [VerificationsController, 'revoke'])
      .where('id', uuid)
      .as('admin.verifications.revoke')
  })
  .prefix('/admin')
  .use(middleware.auth())
