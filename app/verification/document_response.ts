/*
 * Streams a verification document to someone a policy has let through: inline, with the type
 * sniffed at upload (never the uploader's name or header), no sniffing by the browser, no
 * caching, and a sandbox for anything the file might try to run.
 */
import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import NotFoundException from '#exceptions/not_found_exception'
import type VerificationDocument from '#models/verification_document'

const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
}

export async function streamDocument(ctx: HttpContext, document: VerificationDocument) {
  const disk = drive.use()
  if (!(await disk.exists(document.storageKey))) throw new NotFoundException()
  const stream = await disk.getStream(document.storageKey)
  const name = `document-${document.id.slice(0, 8)}.${EXTENSION[document.contentType] ?? 'bin'}`
  ctx.response.header('Content-Type', document.contentType)
  ctx.response.header('Content-Length', String(document.sizeBytes))
  ctx.response.header('Content-Disposition', `inline; filename="${name}"`)
  ctx.response.header('X-Content-Type-Options', 'nosniff')
  ctx.response.header('Cache-Control', 'private, no-store')
  if (document.contentType !== 'application/pdf') {
    // Images need no scripts, styles or plugins. (A CSP sandbox would stop the browser's own
    // PDF viewer, so PDFs rely on the viewer's isolation.)
    ctx.response.header('Content-Security-Policy', "default-src 'none'; img-src 'self'; sandbox")
  }
  ctx.response.stream(stream, () => ['Not found', 404])
}
