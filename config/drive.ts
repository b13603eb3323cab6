import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'

/**
 * File storage (docs/decisions/0015-applications-and-documents.md).
 *
 * Citizens' documents are personal data: the disk is private (never served by URL; the app streams
 * a file only after a policy decision) and every key starts with the owning tenant's id, so a
 * tenant's files can be moved, exported or erased together. `DRIVE_ROOT` chooses the folder
 * (default `storage/` in the project); an S3-compatible disk can be added here for production.
 */
const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK', 'fs'),

  services: {
    fs: services.fs({
      location: env.get('DRIVE_ROOT') ?? app.makePath('storage'),
      serveFiles: false,
      visibility: 'private',
    }),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
