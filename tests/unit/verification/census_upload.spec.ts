import { test } from '@japa/runner'
import { CENSUS_MAX_BYTES, readCensusFile } from '#verification/census_file'
import { censusSalt } from '#verification/census_secret'
import { hashCensusRow, matchCensus, parseCensusCsv } from '#verification/census'
import { checkIdentityDocument, DOCUMENT_MAX_BYTES } from '#verification/identity_document'
import { jpegBytes, pdfBytes, pngBytes } from '#tests/helpers/verification'

const KEY = 'a-test-application-key-of-32-chars!'
const bytes = (text: string) => new TextEncoder().encode(text)

test.group('Census salt (APP_KEY-derived)', () => {
  test('differs per tenant and per key, is stable, and never stored material', ({ assert }) => {
    const a = censusSalt('tenant-a', KEY)
    assert.match(a, /^[0-9a-f]{64}$/)
    assert.equal(censusSalt('tenant-a', KEY), a)
    assert.notEqual(censusSalt('tenant-b', KEY), a)
    assert.notEqual(censusSalt('tenant-a', `${KEY}x`), a)
    assert.notInclude(a, 'tenant-a')
  })

  test('a short application key is refused', ({ assert }) => {
    assert.throws(() => censusSalt('tenant-a', 'short'))
  })

  test('rotating the key means the stored hashes match nobody', ({ assert }) => {
    const person = { fullName: 'Hana Navrátilová', birthDate: '1985-07-15' }
    const stored = [hashCensusRow(person, censusSalt('t', KEY))]
    assert.equal(matchCensus(stored, person, censusSalt('t', KEY)).status, 'match')
    assert.equal(matchCensus(stored, person, censusSalt('t', `${KEY}-rotated`)).status, 'no_match')
  })
})

test.group('Census file: checks before parsing', () => {
  test('accepts a UTF-8 CSV with a BOM and semicolons', async ({ assert }) => {
    const result = await readCensusFile(
      bytes('\uFEFFJméno;Příjmení;Datum narození\r\nHana;Navrátilová;15.7.1985\r\n')
    )
    assert.isTrue(result.ok)
    if (result.ok)
      assert.deepEqual(result.rows, [{ fullName: 'Hana Navrátilová', birthDate: '1985-07-15' }])
  })

  test('Ukrainian column names in Cyrillic work too', async ({ assert }) => {
    const { rows, errors } = parseCensusCsv(
      'Ім’я,Прізвище,Дата народження\nІрина,Ткаченко,5.11.1990\n'
    )
    assert.deepEqual(errors, [])
    assert.deepEqual(rows, [{ fullName: 'Ірина Ткаченко', birthDate: '1990-11-05' }])
  })

  test('refuses what is not a usable CSV, each with its own code', async ({ assert }) => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(), 'empty'],
      [bytes(' \r\n\r\n'), 'empty'],
      [new Uint8Array(CENSUS_MAX_BYTES + 1), 'too_large'],
      [pdfBytes(), 'not_csv'],
      [pngBytes(2, 2), 'not_csv'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'not_csv'],
      [bytes('full_name,birth_date\u0000\n'), 'not_csv'],
      [new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xe1, 0x0a]), 'not_utf8'],
      [bytes('full_name,birth_date\n'), 'no_rows'],
      [bytes('name,email\nHana,h@example.cz\n'), 'invalid_lines'],
    ]
    for (const [input, code] of cases) {
      const result = await readCensusFile(input)
      assert.isFalse(result.ok, code)
      if (!result.ok) assert.equal(result.problem.code, code)
    }
  })

  test('too many residents', async ({ assert }) => {
    const text = ['full_name,birth_date', 'A B,1980-01-01', 'C D,1980-01-02', 'E F,1980-01-03']
    const result = await readCensusFile(bytes(text.join('\n')), { maxRows: 2 })
    assert.isFalse(result.ok)
    if (!result.ok) assert.deepEqual(result.problem, { code: 'too_many_rows', maxRows: 2 })
  })
})

test.group('Identity documents: type by content', () => {
  test('PDF, JPEG and PNG are recognised by their bytes', async ({ assert }) => {
    const pdf = await checkIdentityDocument(pdfBytes())
    assert.deepInclude(pdf, { ok: true, contentType: 'application/pdf', extension: 'pdf' })
    assert.deepInclude(await checkIdentityDocument(jpegBytes()), { contentType: 'image/jpeg' })
    assert.deepInclude(await checkIdentityDocument(pngBytes(2, 2)), { contentType: 'image/png' })
    if (pdf.ok) assert.match(pdf.sha256, /^[0-9a-f]{64}$/)
  })

  test('anything else is refused, whatever it claims to be', async ({ assert }) => {
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(), 'empty'],
      [bytes('%PDX not really'), 'type'],
      [bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'type'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0]), 'type'],
      [new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]), 'type'],
      [new Uint8Array(DOCUMENT_MAX_BYTES + 1), 'too_large'],
    ]
    for (const [input, problem] of cases) {
      assert.deepEqual(await checkIdentityDocument(input), { ok: false, problem })
    }
  })
})
