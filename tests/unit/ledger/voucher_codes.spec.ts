import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  VOUCHER_ALPHABET,
  VOUCHER_CODE_LENGTH,
  checkCharacter,
  formatVoucherCode,
  generateVoucherCode,
  isValidVoucherCode,
} from '#ledger/voucher_codes'

test.group('Ledger / voucher codes', () => {
  test('generated codes are 16 characters of the unambiguous alphabet and pass their check', ({
    assert,
  }) => {
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const code = generateVoucherCode()
      assert.lengthOf(code, VOUCHER_CODE_LENGTH)
      assert.match(code, /^[2-9ABCDEFGHJKMNPQRSTVWXYZ]+$/)
      assert.isTrue(isValidVoucherCode(code))
      seen.add(code)
    }
    assert.equal(seen.size, 2000, 'two random codes collided')
    assert.notMatch(VOUCHER_ALPHABET, /[01ILOU]/)
  })

  test('every single mistyped character is caught by the check character', () => {
    const body = fc
      .array(fc.constantFrom(...VOUCHER_ALPHABET), { minLength: 15, maxLength: 15 })
      .map((c) => c.join(''))
    fc.assert(
      fc.property(
        body,
        fc.nat(15),
        fc.constantFrom(...VOUCHER_ALPHABET),
        (random, position, replacement) => {
          const code = random + checkCharacter(random)
          const typo = code.slice(0, position) + replacement + code.slice(position + 1)
          return typo === code || !isValidVoucherCode(typo)
        }
      ),
      { numRuns: 2000 }
    )
  })

  test('codes are read back from what people type or scan', ({ assert }) => {
    const code = generateVoucherCode()
    const shown = formatVoucherCode(code)
    assert.match(shown, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    assert.isTrue(isValidVoucherCode(` ${shown.toLowerCase()} `))
    assert.isFalse(isValidVoucherCode(code.slice(1)))
    assert.isFalse(isValidVoucherCode(code.slice(0, 15) + 'O'))
  })
})
