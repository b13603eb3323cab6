import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { parseBirthNumber } from '#verification/birth_number'
import { DEMO_TENANTS_BY_MUNICIPALITY } from '#verification/municipalities'
import {
  defaultCsvPath,
  lookupResident,
  parseLookupRequest,
  parseResidents,
  startRegisterService,
  type Resident,
} from '#verification/reference_register'

const HEADER =
  'birth_number,given_names,family_name,birth_date,street,city,postcode,municipality_code,residence'

test.group('Reference register: demo data', () => {
  test('the demo residents file is valid and covers the demo tenants', async ({ assert }) => {
    const residents = parseResidents(await readFile(defaultCsvPath(), 'utf8'))
    assert.isAtLeast(residents.length, 35)
    const tenants = new Set(residents.map((r) => DEMO_TENANTS_BY_MUNICIPALITY[r.municipalityCode]))
    assert.sameMembers([...tenants], ['praha-5', 'praha-6', 'praha-17', 'olomouc'])
    const lucie = residents.find(
      (r) => r.givenNames === 'Lucie' && r.familyName === 'Nováková' && r.birthDate === '1988-04-12'
    )
    assert.equal(lucie?.municipalityCode, '500143')
    assert.isAtLeast(residents.filter((r) => r.residence === 'temporary_protection').length, 3)
    for (const resident of residents.filter((r) => r.birthNumber)) {
      const parsed = parseBirthNumber(resident.birthNumber)
      assert.isTrue(parsed.valid, resident.birthNumber)
    }
    assert.isTrue(
      residents.some((r) => r.familyName !== r.familyName.normalize('NFD')),
      'names with diacritics'
    )
  })

  test('a bad residents file is refused, naming every bad line', ({ assert }) => {
    const csv = [
      HEADER,
      '885412/1002,Lucie,Nováková,1988-04-12,Ulice 1,Praha 5,15000,500143,permanent',
      ',Petr,,1975-02-30,Ulice 2,Praha 5,15000,5001,visitor',
    ].join('\n')
    assert.throws(
      () => parseResidents(csv),
      /line 2: birth_number checksum[\s\S]*line 3: name missing, bad birth_date, bad municipality_code, bad residence/
    )
    assert.throws(
      () => parseResidents('given_names,family_name\nA,B'),
      /missing columns birth_number, birth_date/
    )
  })
})

test.group('Reference register: matching rules', () => {
  const twin = (given: string, code: string): Resident => ({
    birthNumber: '',
    givenNames: given,
    familyName: 'Dvořáková',
    birthDate: '2010-05-05',
    street: 'Ulice 1',
    city: 'Praha 5',
    postcode: '15000',
    municipalityCode: code,
    residence: 'permanent',
  })

  test('two people of the same name and birth date: the municipality decides, else ambiguous', ({
    assert,
  }) => {
    const residents = [twin('Eva', '500143'), twin('Eva', '500178')]
    const request = { fullName: 'Eva Dvořáková', birthDate: '2010-05-05' }
    assert.deepEqual(lookupResident(residents, request).details.reasons, ['ambiguous'])
    const asked = lookupResident(residents, { ...request, municipalityCode: '500178' })
    assert.equal(asked.status, 'match')
    assert.equal(asked.residentOf?.municipalityCode, '500178')
  })

  test('street and postcode differences are notes; the city decides residency', ({ assert }) => {
    const residents = [twin('Eva', '500143')]
    const result = lookupResident(residents, {
      fullName: 'Eva Dvořáková',
      birthDate: '2010-05-05',
      address: { street: 'Jiná 5', city: 'praha 5', postcode: '150 01' },
    })
    assert.equal(result.status, 'match')
    assert.deepEqual(result.details.reasons, ['street_differs', 'postcode_differs'])
  })

  test('a birth number that exists with another birth date is no match', ({ assert }) => {
    const residents = [{ ...twin('Eva', '500143'), birthNumber: '1055050007' }]
    const result = lookupResident(residents, {
      fullName: 'Eva Dvořáková',
      birthDate: '2010-05-06',
      birthNumber: '1055050007',
    })
    assert.deepEqual(result, {
      status: 'no_match',
      details: {
        nameCompared: { given: 'Eva Dvořáková', register: null },
        reasons: ['birth_date_differs'],
      },
    })
  })

  test('request validation names the bad field', ({ assert }) => {
    assert.deepEqual(parseLookupRequest([]), { ok: false, field: 'body' })
    assert.deepEqual(parseLookupRequest({ fullName: 'A B', birthDate: '1988-02-30' }), {
      ok: false,
      field: 'birthDate',
    })
    assert.deepEqual(
      parseLookupRequest({ fullName: 'A B', birthDate: '1988-02-03', birthNumber: 12 }),
      { ok: false, field: 'birthNumber' }
    )
    assert.deepEqual(
      parseLookupRequest({ fullName: 'A B', birthDate: '1988-02-03', municipalityCode: 'praha-5' }),
      { ok: false, field: 'municipalityCode' }
    )
    assert.deepEqual(
      parseLookupRequest({ fullName: 'A B', birthDate: '1988-02-03', address: { street: 'X' } }),
      { ok: false, field: 'address' }
    )
    assert.isTrue(
      parseLookupRequest({ fullName: 'A B', birthDate: '1988-02-03', address: { city: 'Praha' } })
        .ok
    )
  })
})

test.group('Reference register: HTTP', () => {
  test('health, unknown paths, methods, media types and body size', async ({ assert }) => {
    const service = await startRegisterService({ port: 0, apiKey: 'k-0123456789', residents: [] })
    try {
      const headers = { 'x-api-key': 'k-0123456789', 'content-type': 'application/json' }
      assert.equal((await fetch(`${service.url}health`)).status, 200)
      assert.equal((await fetch(`${service.url}v2/lookup`)).status, 404)
      assert.equal((await fetch(`${service.url}v1/lookup`)).status, 405)
      const lookup = (init: RequestInit) =>
        fetch(`${service.url}v1/lookup`, { method: 'POST', ...init })
      assert.equal((await lookup({ body: '{}' })).status, 401)
      assert.equal(
        (await lookup({ headers: { 'x-api-key': 'k-0123456789' }, body: 'x' })).status,
        415
      )
      assert.equal((await lookup({ headers, body: 'not json' })).status, 400)
      assert.equal(
        (await lookup({ headers, body: JSON.stringify({ fullName: 'x'.repeat(20_000) }) })).status,
        413
      )
      const ok = await lookup({
        headers,
        body: JSON.stringify({ fullName: 'A B', birthDate: '2000-01-01' }),
      })
      assert.equal(ok.status, 200)
      assert.equal((await ok.json()).status, 'no_match')
    } finally {
      await service.close()
    }
  })
})
