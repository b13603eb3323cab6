/*
 * Voucher codes: 15 cryptographically random characters plus one Luhn mod N check character,
 * from an alphabet without look-alikes (no 0, O, 1, I, L, and no U, which reads like V in
 * some hands). 30^15 ≈ 1.4 × 10^22 codes (about 73 bits), so guessing a valid code is hopeless; the
 * check character lets a till refuse a mistyped code without asking the server.
 */
import { randomInt } from 'node:crypto'

/** The 30 characters a voucher code is made of. */
export const VOUCHER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Random characters in a code (the check character comes on top). */
export const VOUCHER_RANDOM_LENGTH = 15

/** Total length of a stored code. */
export const VOUCHER_CODE_LENGTH = VOUCHER_RANDOM_LENGTH + 1

const N = VOUCHER_ALPHABET.length

function luhnSum(text: string, startFactor: 1 | 2) {
  let factor = startFactor
  let total = 0
  for (let index = text.length - 1; index >= 0; index--) {
    const point = VOUCHER_ALPHABET.indexOf(text[index])
    if (point < 0) return null
    let addend = factor * point
    factor = factor === 2 ? 1 : 2
    addend = Math.floor(addend / N) + (addend % N)
    total += addend
  }
  return total
}

/** The Luhn mod 30 check character of a string of alphabet characters. */
export function checkCharacter(body: string): string {
  const total = luhnSum(body, 2)
  if (total === null) throw new Error('checkCharacter: character outside the voucher alphabet')
  return VOUCHER_ALPHABET[(N - (total % N)) % N]
}

/** A new random voucher code (16 characters, stored without separators). */
export function generateVoucherCode(): string {
  let body = ''
  for (let index = 0; index < VOUCHER_RANDOM_LENGTH; index++) body += VOUCHER_ALPHABET[randomInt(N)]
  return body + checkCharacter(body)
}

/** A code as typed or scanned, upper-cased and without spaces or dashes. */
export function normalizeVoucherCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '')
}

/** True when a (normalised) code has the right length, alphabet and check character. */
export function isValidVoucherCode(input: string): boolean {
  const code = normalizeVoucherCode(input)
  if (code.length !== VOUCHER_CODE_LENGTH) return false
  const total = luhnSum(code, 1)
  return total !== null && total % N === 0
}

/** A code for people: four groups of four ("7KQ2-MX9P-…"). */
export function formatVoucherCode(code: string): string {
  return (
    normalizeVoucherCode(code)
      .match(/.{1,4}/g)
      ?.join('-') ?? ''
  )
}
