/*
 * Private documents: type checked by content, stored on the private disk under the owning
 * tenant's id, read back only by code that has made a policy decision.
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import drive from '@adonisjs/drive/services/main'
import { fileTypeFromBuffer } from 'file-type'
import DomainError from '#exceptions/domain_error'

/** The types a citizen may upload. */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

/** The largest upload the platform accepts, whatever a program allows. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

/** What an upload arrives as: Adonis' MultipartFile fits. */
export interface UploadedFile {
  clientName: string
  size: number
  tmpPath?: string
  isValid?: boolean
}

/** A checked upload, ready to store. */
export interface CheckedDocument {
  fileName: string
  contentType: DocumentType
  sizeBytes: number
  sha256: string
  bytes: Buffer
}

/** A file name safe to show and to send in Content-Disposition (no paths, no control characters). */
export function displayName(name: string) {
  const base = name.split(/[\\/]/).pop() ?? 'document'
  const clean = base
    // Control characters and quotes never reach a header or the page.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200)
  return clean.length > 0 ? clean : 'document'
}

/**
 * Checks an upload: size first, then the type sniffed from the first bytes (a text file named
 * `decision.pdf` is refused). Errors are translated DomainErrors on `field`.
 */
export async function checkUpload(
  file: UploadedFile,
  field: string,
  options: { formats?: readonly string[]; maxBytes?: number } = {}
): Promise<CheckedDocument> {
  const maxBytes = Math.min(options.maxBytes ?? MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES)
  const allowed = (options.formats ?? DOCUMENT_TYPES).filter((type) =>
    (DOCUMENT_TYPES as readonly string[]).includes(type)
  )
  if (file.size > maxBytes) {
    throw new DomainError('documents.too_large', field, { max: Math.floor(maxBytes / 1024 / 1024) })
  }
  if (!file.tmpPath || file.size === 0) throw new DomainError('documents.empty', field)
  const bytes = await readFile(file.tmpPath)
  if (bytes.length > maxBytes) {
    throw new DomainError('documents.too_large', field, { max: Math.floor(maxBytes / 1024 / 1024) })
  }
  const sniffed = await fileTypeFromBuffer(bytes)
  if (!sniffed || !allowed.includes(sniffed.mime)) {
    throw new DomainError('documents.bad_type', field, {
      name: displayName(file.clientName),
      expected: allowed.map((type) => type.split('/')[1].toUpperCase()).join(', '),
    })
  }
  return {
    fileName: displayName(file.clientName),
    contentType: sniffed.mime as DocumentType,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
  }
}

/** Stores a checked document under `<tenantId>/<area>/<owner>/<random>`; returns the key. */
export async function storeDocument(
  tenantId: string,
  area: string,
  ownerId: string,
  document: CheckedDocument
) {
  const extension = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' }[
    document.contentType
  ]
  const key = `${tenantId}/${area}/${ownerId}/${randomUUID()}.${extension}`
  await drive.use().put(key, document.bytes)
  return key
}

/** Reads a stored document back (after a policy decision). */
export async function readDocument(key: string) {
  return drive.use().getBytes(key)
}

/** Removes stored documents (a failed submission cleans up what it wrote). */
export async function removeDocuments(keys: readonly string[]) {
  await Promise.all(
    keys.map((key) =>
      drive
        .use()
        .delete(key)
        .catch(() => {})
    )
  )
}
