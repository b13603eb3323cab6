/*
 * Checking a file a citizen uploads as proof of identity or residence: its type is read from
 * its bytes (file-type), never from its name or the browser's Content-Type, and only PDF, JPEG
 * and PNG are accepted. Problems are codes for the page to translate.
 */
import { createHash } from 'node:crypto'
import { fileTypeFromBuffer } from 'file-type'
import type { DocumentContentType } from '#models/verification_document'

/** Largest document accepted, in bytes. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

const ACCEPTED: Record<string, { contentType: DocumentContentType; extension: string }> = {
  'application/pdf': { contentType: 'application/pdf', extension: 'pdf' },
  'image/jpeg': { contentType: 'image/jpeg', extension: 'jpg' },
  'image/png': { contentType: 'image/png', extension: 'png' },
}

export type DocumentCheck =
  | { ok: true; contentType: DocumentContentType; extension: string; sha256: string }
  | { ok: false; problem: 'empty' | 'too_large' | 'type' }

/** Sniffs and checks the bytes of an uploaded document. */
export async function checkIdentityDocument(
  bytes: Uint8Array,
  maxBytes = DOCUMENT_MAX_BYTES
): Promise<DocumentCheck> {
  if (bytes.byteLength === 0) return { ok: false, problem: 'empty' }
  if (bytes.byteLength > maxBytes) return { ok: false, problem: 'too_large' }
  const detected = await fileTypeFromBuffer(bytes)
  const accepted = detected ? ACCEPTED[detected.mime] : undefined
  if (!accepted) return { ok: false, problem: 'type' }
  return {
    ok: true,
    ...accepted,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }
}
