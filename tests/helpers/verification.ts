/*
 * Fixtures for the verification tests (census file, documents): test people created through
 * the owner connection, sample files whose bytes are what they claim (or not), clean-up.
 */
import { crc32, deflateSync } from 'node:zlib'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#models/user'
import { tenantId } from '#tests/helpers/auth'

export const TEST_PASSWORD = 'Test-password-1234'

/** A citizen created for a test (kept between runs of one database: found again by e-mail). */
export async function testCitizen(input: {
  email: string
  fullName: string
  tenant: string
  locale?: 'cs' | 'en' | 'uk' | 'pl'
}) {
  const owner = db.connection('owner')
  const existing = await User.query({ client: owner }).where('emailNormalized', input.email).first()
  const homeTenantId = await tenantId(input.tenant)
  if (existing) {
    await owner
      .from('users')
      .where('id', existing.id)
      .update({
        full_name: input.fullName,
        home_tenant_id: homeTenantId,
        locale: input.locale ?? 'en',
      })
    return User.query({ client: owner }).where('id', existing.id).firstOrFail()
  }
  return User.create(
    {
      email: input.email,
      fullName: input.fullName,
      password: TEST_PASSWORD,
      locale: input.locale ?? 'en',
      homeTenantId,
      citizenship: 'CZ',
      emailVerifiedAt: DateTime.now(),
    },
    { client: owner }
  )
}

/** Removes a person's verifications (their documents' rows go with them). */
export async function clearVerificationsOf(userIds: string[]) {
  await db.connection('owner').from('verifications').whereIn('user_id', userIds).delete()
}

/** Removes a tenant's census (its entries go with it). */
export async function clearCensus(slug: string) {
  await db
    .connection('owner')
    .from('census_uploads')
    .where('tenant_id', await tenantId(slug))
    .delete()
}

/** A small real PDF (the magic bytes file-type looks for, and a valid-looking body). */
export function pdfBytes(text = 'Proof of residence') {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1'
  )
}

/** A real PNG image of one colour (width × height), for previews and screenshots. */
export function pngBytes(width = 240, height = 150, rgb: [number, number, number] = [30, 90, 160]) {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3)])
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3)
  // A white band across the middle, so the preview is visibly a picture.
  const band = Buffer.from(row)
  for (let x = 10; x < width - 10; x++) band.set([255, 255, 255], 1 + x * 3)
  const rows = Array.from({ length: height }, (_, y) =>
    y > height / 3 && y < (2 * height) / 3 ? band : row
  )
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** The start of a JPEG file (enough for content sniffing). */
export function jpegBytes() {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.alloc(64, 0x11),
    Buffer.from([0xff, 0xd9]),
  ])
}
