/*
 * Reading an uploaded census file before anything is stored: size, "is it text at all"
 * (sniffed by content: a spreadsheet, PDF or image is refused whatever its name), UTF-8,
 * then the CSV itself (app/verification/census.ts). Every problem is a code, for the admin
 * page to translate; one problem refuses the whole file.
 */
import { fileTypeFromBuffer } from 'file-type'
import { parseCensusCsv, type CensusLineError, type CensusRow } from '#verification/census'

/** Largest census file accepted, in bytes (about 200 000 residents). */
export const CENSUS_MAX_BYTES = 10 * 1024 * 1024
/** Most residents one census file may list. */
export const CENSUS_MAX_ROWS = 200_000

export type CensusFileProblem =
  | { code: 'empty' }
  | { code: 'too_large'; maxBytes: number }
  | { code: 'not_csv'; detected?: string }
  | { code: 'not_utf8' }
  | { code: 'no_rows' }
  | { code: 'too_many_rows'; maxRows: number }
  | { code: 'invalid_lines'; errors: CensusLineError[] }

export type CensusFileResult =
  { ok: true; rows: CensusRow[] } | { ok: false; problem: CensusFileProblem }

/** Checks and parses the bytes of an uploaded census file. */
export async function readCensusFile(
  bytes: Uint8Array,
  limits: { maxBytes?: number; maxRows?: number } = {}
): Promise<CensusFileResult> {
  const maxBytes = limits.maxBytes ?? CENSUS_MAX_BYTES
  const maxRows = limits.maxRows ?? CENSUS_MAX_ROWS
  const fail = (problem: CensusFileProblem): CensusFileResult => ({ ok: false, problem })

  if (bytes.byteLength === 0) return fail({ code: 'empty' })
  if (bytes.byteLength > maxBytes) return fail({ code: 'too_large', maxBytes })

  // A known binary format (xlsx is a zip, PDF, images, …) is not a CSV, whatever its name.
  const detected = await fileTypeFromBuffer(bytes)
  if (detected) return fail({ code: 'not_csv', detected: detected.mime })
  // Text has no NUL bytes; UTF-16 exports and unknown binaries do.
  if (bytes.includes(0)) return fail({ code: 'not_csv' })

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail({ code: 'not_utf8' })
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') return fail({ code: 'empty' })

  const { rows, errors } = parseCensusCsv(text)
  if (errors.length > 0) return fail({ code: 'invalid_lines', errors })
  if (rows.length === 0) return fail({ code: 'no_rows' })
  if (rows.length > maxRows) return fail({ code: 'too_many_rows', maxRows })
  return { ok: true, rows }
}
