import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  CHECKSUM_EXCEPTION_LAST_YEAR,
  composeBirthNumber,
  isValidBirthNumber,
  parseBirthNumber,
} from '#verification/birth_number'

const today = new Date('2054-01-01T00:00:00Z')

/** ISO dates between two years, inclusive. */
function isoDate(fromYear: number, toYear: number) {
  return fc
    .date({
      min: new Date(`${fromYear}-01-01T00:00:00Z`),
      max: new Date(`${toYear}-12-31T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10))
}

const sex = fc.constantFrom<'female' | 'male'>('female', 'male')

/** Valid 10-digit numbers (1954 to 2025) with the date, sex and extension they encode. */
const tenDigit = fc
  .record({
    birthDate: isoDate(1954, 2025),
    sex,
    serial: fc.integer({ min: 0, max: 999 }),
    extend: fc.boolean(),
  })
  .map((input) => ({
    ...input,
    extended: input.extend && Number(input.birthDate.slice(0, 4)) >= 2004,
  }))
  .map((input) => ({ ...input, number: composeBirthNumber(input) }))
  .filter((input): input is typeof input & { number: string } => input.number !== null)

/** Adds `shift` (mod 10) to the digit at `position` of a birth number, dropping the slash. */
function changeDigit(number: string, position: number, shift: number): string {
  const digits = number.replace('/', '')
  const changed = String((Number(digits[position]) + shift) % 10)
  return digits.slice(0, position) + changed + digits.slice(position + 1)
}

test.group('Czech birth number (rodné číslo)', () => {
  test('{0}')
    .with([
      ['885412/1001', '1988-04-12', 'female'],
      ['8854121001', '1988-04-12', 'female'],
      [' 885412 / 1001 ', '1988-04-12', 'female'],
      ['500610/477', '1950-06-10', 'male'],
      ['525330/613', '1952-03-30', 'female'],
      ['058010/5141', '2005-10-10', 'female'],
      ['042303/1873', '2004-03-03', 'male'],
      ['120229/3356', '2012-02-29', 'male'],
      ['800101/5760', '1980-01-01', 'male'],
    ] as const)
    .run(({ assert }, [input, birthDate, expectedSex]) => {
      const result = parseBirthNumber(input, { today })
      assert.isTrue(result.valid)
      if (result.valid) {
        assert.equal(result.birthDate, birthDate)
        assert.equal(result.sex, expectedSex)
      }
    })

  test('refuses {0} ({1})')
    .with([
      ['885412/1002', 'checksum'],
      ['885412/100', 'nine_digits_after_1953'],
      ['881312/1001', 'month'],
      ['886312/1001', 'month'],
      ['882412/1001', 'month'], // +20 only from 2004
      ['880230/1001', 'day'],
      ['130229/1234', 'day'], // 2013 is no leap year
      ['300101/0001', 'in_future'],
      ['abc', 'format'],
      ['12345', 'format'],
      ['885412-1001', 'format'],
      ['885412/10011', 'format'],
    ] as const)
    .run(({ assert }, [input, error]) => {
      assert.deepEqual(parseBirthNumber(input, { today: new Date('2026-01-01') }), {
        valid: false,
        error,
      })
    })

  test('remainder 10 with check digit 0 is valid only up to 1985', ({ assert }) => {
    // 800101576 % 11 === 10
    assert.isTrue(isValidBirthNumber('800101/5760', { today }))
    // The same situation in 1990: 900101... needs a serial with remainder 10.
    let serial = 0
    while (Number(`900101${String(serial).padStart(3, '0')}`) % 11 !== 10) serial++
    const number = `900101/${String(serial).padStart(3, '0')}0`
    assert.deepEqual(parseBirthNumber(number, { today }), { valid: false, error: 'checksum' })
    assert.isNull(composeBirthNumber({ birthDate: '1990-01-01', sex: 'male', serial }))
  })

  test('generated 10-digit numbers validate and give back their date and sex', ({ assert }) => {
    fc.assert(
      fc.property(tenDigit, (input) => {
        const result = parseBirthNumber(input.number, { today })
        assert.isTrue(result.valid, input.number)
        if (!result.valid) return
        assert.equal(result.birthDate, input.birthDate)
        assert.equal(result.sex, input.sex)
        assert.equal(result.extended, input.extended)
        assert.lengthOf(result.digits, 10)
      }),
      { numRuns: 2000 }
    )
  })

  test('generated 9-digit numbers (before 1954) validate', ({ assert }) => {
    const nineDigit = fc.record({
      birthDate: isoDate(1900, 1953),
      sex,
      serial: fc.integer({ min: 0, max: 999 }),
    })
    fc.assert(
      fc.property(nineDigit, (input) => {
        const number = composeBirthNumber(input)!
        const result = parseBirthNumber(number, { today })
        assert.isTrue(result.valid, number)
        if (result.valid) {
          assert.equal(result.birthDate, input.birthDate)
          assert.lengthOf(result.digits, 9)
        }
      }),
      { numRuns: 1000 }
    )
  })

  test('changing one digit of a 10-digit number breaks the checksum', ({ assert }) => {
    const mutation = fc.record({
      input: tenDigit,
      position: fc.integer({ min: 0, max: 9 }),
      shift: fc.integer({ min: 1, max: 9 }),
    })
    fc.assert(
      fc.property(mutation, ({ input, position, shift }) => {
        const digits = input.number.replace('/', '')
        const changed = changeDigit(input.number, position, shift)
        // A one-digit change moves the number by ±d·10^k, never a multiple of 11.
        assert.isFalse(Number(digits) % 11 === 0 && Number(changed) % 11 === 0)
        const result = parseBirthNumber(changed, { today })
        if (result.valid) {
          // The only way through is the pre-1986 exception (remainder 10, check digit 0), used by
          // the original number or by the changed one.
          const exception = (value: string) =>
            Number(value.slice(0, 9)) % 11 === 10 && value[9] === '0'
          assert.isTrue(exception(digits) || exception(changed))
          const years = [input.birthDate, result.birthDate].map((date) => Number(date.slice(0, 4)))
          assert.isAtMost(Math.min(...years), CHECKSUM_EXCEPTION_LAST_YEAR)
        }
      }),
      { numRuns: 5000 }
    )
  })

  test('after 1985, changing any digit but the year makes the number invalid', ({ assert }) => {
    const recent = tenDigit.filter(
      (input) => Number(input.birthDate.slice(0, 4)) > CHECKSUM_EXCEPTION_LAST_YEAR
    )
    const mutation = fc.record({
      input: recent,
      position: fc.integer({ min: 2, max: 9 }),
      shift: fc.integer({ min: 1, max: 9 }),
    })
    fc.assert(
      fc.property(mutation, ({ input, position, shift }) => {
        const changed = changeDigit(input.number, position, shift)
        const result = parseBirthNumber(changed, { today })
        assert.isFalse(result.valid, changed)
        if (!result.valid) assert.oneOf(result.error, ['checksum', 'month', 'day'])
      }),
      { numRuns: 3000 }
    )
  })
})
