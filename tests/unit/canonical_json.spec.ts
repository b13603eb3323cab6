import { test } from '@japa/runner'
import fc from 'fast-check'
import { canonicalJson } from '#services/canonical_json'

test.group('canonicalJson', () => {
  test('key order and null members do not change it; values do', ({ assert }) => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, 2], c: null } }),
      canonicalJson({ a: { d: [1, 2] }, b: 1 })
    )
    assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }))
    assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }))
  })

  test('is the same for any reordering of an object’s keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse())
        return canonicalJson(object) === canonicalJson(reversed)
      })
    )
  })
})
