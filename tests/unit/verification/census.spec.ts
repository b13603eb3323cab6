import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  buildCensusIndex,
  hashCensusFile,
  hashCensusRow,
  matchCensus,
  parseCensusCsv,
  parseCensusDate,
} from '#verification/census'

const SALT = 'tenant-praha-5-census-salt-0001'

const FILE = [
  'full_name,birth_date,birth_number',
  'Lucie Nováková,1988-04-12,885412/1001',
  'Olena Shevchenko,1986-08-22,',
  '"Dvořák, Tomáš",1990-07-19,',
  'Jana Marie Nováková,3.11.1979,',
].join('\r\n')

test.group('Census file: parsing', () => {
  test('reads a comma-separated file with ISO and Czech dates', ({ assert }) => {
    const { rows, errors } = parseCensusCsv(FILE)
    assert.deepEqual(errors, [])
    assert.deepEqual(rows, [
      { fullName: 'Lucie Nováková', birthDate: '1988-04-12', birthNumber: '8854121001' },
      { fullName: 'Olena Shevchenko', birthDate: '1986-08-22' },
      { fullName: 'Dvořák, Tomáš', birthDate: '1990-07-19' },
      { fullName: 'Jana Marie Nováková', birthDate: '1979-11-03' },
    ])
  })

  test('reads a Czech spreadsheet export: semicolons, BOM, Czech headers', ({ assert }) => {
    const text =
      '\uFEFFJméno;Příjmení;Datum narození;Rodné číslo\nLucie;Nováková;12. 4. 1988;885412/1001\n'
    const { rows, errors } = parseCensusCsv(text)
    assert.deepEqual(errors, [])
    assert.deepEqual(rows, [
      { fullName: 'Lucie Nováková', birthDate: '1988-04-12', birthNumber: '8854121001' },
    ])
  })

  test('reports errors per line as codes', ({ assert }) => {
    const text = [
      'full_name,birth_date,birth_number',
      'Lucie Nováková,1988-04-12,885412/1001',
      'Petr Svoboda,1975-02-30,',
      'Tomáš Dvořák',
      ',1990-07-19,',
      'Jana Nováková,1979-11-03,885412/1002',
      'Eva Malá,2001-01-01,885412/1001',
      'Lucie Nováková,1988-04-12,885412/1001',
      'Karel Nový,1.1.2999,',
      'Anna Malá,2002-02-02,,extra',
      'Ema "Emi" Malá,2003-03-03,',
      '"Unclosed,2004-04-04,',
    ].join('\n')
    const { rows, errors } = parseCensusCsv(text)
    assert.lengthOf(rows, 2)
    assert.deepEqual(errors, [
      { line: 3, code: 'bad_date', column: 'birth_date' },
      { line: 4, code: 'missing_column', column: 'birth_date' },
      { line: 5, code: 'missing_value', column: 'full_name' },
      { line: 6, code: 'bad_birth_number', column: 'birth_number', detail: 'checksum' },
      { line: 7, code: 'birth_number_date_mismatch', column: 'birth_number' },
      { line: 8, code: 'duplicate_row' },
      { line: 9, code: 'bad_date', column: 'birth_date' },
      { line: 10, code: 'too_many_columns' },
      { line: 12, code: 'unterminated_quote' },
    ])
  })

  test('a header without the required columns is one error on line 1', ({ assert }) => {
    assert.deepEqual(parseCensusCsv('name,birth_number\nLucie Nováková,885412/1001'), {
      rows: [],
      errors: [{ line: 1, code: 'missing_column', column: 'birth_date' }],
    })
    assert.deepEqual(parseCensusCsv('given_names,birth_date\nLucie,1988-04-12').errors, [
      { line: 1, code: 'missing_column', column: 'family_name' },
    ])
    assert.deepEqual(parseCensusCsv('\n\n').errors, [{ line: 1, code: 'empty_file' }])
  })

  test('dates: ISO and day.month.year, real calendar dates only, not in the future', ({
    assert,
  }) => {
    const today = new Date('2026-01-01')
    assert.equal(parseCensusDate('1988-04-12', today), '1988-04-12')
    assert.equal(parseCensusDate('12.4.1988', today), '1988-04-12')
    assert.equal(parseCensusDate('12. 04. 1988', today), '1988-04-12')
    assert.equal(parseCensusDate('29.2.2012', today), '2012-02-29')
    for (const bad of [
      '29.2.2013',
      '1988-13-01',
      '04/12/1988',
      '12.4.88',
      '2027-01-01',
      '1.1.1850',
      '',
    ]) {
      assert.isNull(parseCensusDate(bad, today), bad)
    }
  })
})

test.group('Census file: hashing and matching', () => {
  const { hashes } = hashCensusFile(FILE, SALT)

  test('only hashes are kept: no name, date or birth number in them', ({ assert }) => {
    assert.lengthOf(hashes, 4)
    const stored = JSON.stringify(hashes)
    for (const plain of [
      'Nováková',
      'Novakova',
      'novakova',
      '1988',
      '885412',
      'Shevchenko',
      'shevchenko',
    ]) {
      assert.notInclude(stored, plain)
    }
    for (const hash of hashes) assert.match(hash.personHash, /^[0-9a-f]{64}$/)
    assert.match(hashes[0].birthNumberHash!, /^[0-9a-f]{64}$/)
    assert.isNull(hashes[1].birthNumberHash)
  })

  test('hashes depend on the salt; a short salt is refused', ({ assert }) => {
    const row = { fullName: 'Lucie Nováková', birthDate: '1988-04-12' }
    assert.deepEqual(hashCensusRow(row, SALT), hashCensusRow(row, SALT))
    assert.notEqual(hashCensusRow(row, SALT).personHash, hashCensusRow(row, `${SALT}x`).personHash)
    assert.throws(() => hashCensusRow(row, 'short'), /at least 16/)
  })

  test('{0}')
    .with([
      [
        'exact name and date',
        { fullName: 'Olena Shevchenko', birthDate: '1986-08-22' },
        'match',
        'name_and_birth_date',
        [],
      ],
      [
        'other order, no diacritics',
        { fullName: 'NOVAKOVA Lucie', birthDate: '1988-04-12' },
        'match',
        'name_and_birth_date',
        [],
      ],
      [
        'Cyrillic for a Latin census row',
        { fullName: 'Олена Шевченко', birthDate: '1986-08-22' },
        'match',
        'name_and_birth_date',
        [],
      ],
      [
        'Czech transliteration',
        { fullName: 'Olena Ševčenko', birthDate: '1986-08-22' },
        'match',
        'name_and_birth_date',
        [],
      ],
      [
        'birth number and name',
        { fullName: 'Lucie Nováková', birthDate: '1988-04-12', birthNumber: '885412/1001' },
        'match',
        'birth_number',
        [],
      ],
      [
        'birth number, other name',
        { fullName: 'Lucie Novotná', birthDate: '1988-04-12', birthNumber: '8854121001' },
        'name_mismatch',
        'birth_number',
        ['name_differs'],
      ],
      [
        'another birth date',
        { fullName: 'Lucie Nováková', birthDate: '1988-04-13' },
        'no_match',
        null,
        ['not_found'],
      ],
      [
        'invalid birth number',
        { fullName: 'Lucie Nováková', birthDate: '1988-04-12', birthNumber: '885412/1002' },
        'no_match',
        null,
        ['birth_number_invalid'],
      ],
      [
        'birth number of another date',
        { fullName: 'Lucie Nováková', birthDate: '1988-04-13', birthNumber: '885412/1001' },
        'no_match',
        null,
        ['birth_date_differs'],
      ],
      [
        'a different birth number on file',
        { fullName: 'Lucie Nováková', birthDate: '1988-04-12', birthNumber: '885412/0011' },
        'no_match',
        null,
        ['birth_number_differs'],
      ],
      [
        'birth number given, none on file',
        { fullName: 'Olena Shevchenko', birthDate: '1986-08-22', birthNumber: '865822/4036' },
        'match',
        'name_and_birth_date',
        [],
      ],
      [
        'middle name left out (hashes cannot tell)',
        { fullName: 'Jana Nováková', birthDate: '1979-11-03' },
        'no_match',
        null,
        ['not_found'],
      ],
    ] as const)
    .run(({ assert }, [, person, status, matchedBy, reasons]) => {
      assert.deepEqual(matchCensus(hashes, person, SALT), {
        status,
        matchedBy,
        reasons: [...reasons],
      })
    })

  test('another tenant salt matches nothing', ({ assert }) => {
    const person = { fullName: 'Lucie Nováková', birthDate: '1988-04-12' }
    assert.equal(matchCensus(hashes, person, 'another-tenant-salt-0002').status, 'no_match')
  })

  test('every row hashed matches itself, with a prebuilt index too', ({ assert }) => {
    const name = fc.stringMatching(
      /^[A-ZČŘŠŽ][a-záéíóúůýčďěňřšťž]{1,10} [A-ZČŘŠŽ][a-záéíóúůýčďěňřšťž]{1,12}$/
    )
    const date = fc
      .date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
    fc.assert(
      fc.property(
        fc.array(fc.record({ fullName: name, birthDate: date }), { minLength: 1, maxLength: 20 }),
        (rows) => {
          const index = buildCensusIndex(rows.map((row) => hashCensusRow(row, SALT)))
          for (const row of rows) assert.equal(matchCensus(index, row, SALT).status, 'match')
        }
      ),
      { numRuns: 200 }
    )
  })
})
