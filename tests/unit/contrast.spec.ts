import { test } from '@japa/runner'
import fc from 'fast-check'
import { contrastRatio } from '#services/contrast'

test.group('WCAG contrast ratio', () => {
  test('known values', ({ assert }) => {
    assert.approximately(contrastRatio('#000000', '#ffffff'), 21, 0.01)
    assert.approximately(contrastRatio('#ffffff', '#ffffff'), 1, 0.001)
    assert.approximately(contrastRatio('#767676', '#ffffff'), 4.54, 0.02)
  })

  test('is symmetric and between 1 and 21 for any pair of colours', ({ assert }) => {
    const colour = fc
      .integer({ min: 0, max: 0xffffff })
      .map((n) => `#${n.toString(16).padStart(6, '0')}`)
    fc.assert(
      fc.property(colour, colour, (a, b) => {
        const r = contrastRatio(a, b)
        assert.approximately(r, contrastRatio(b, a), 1e-9)
        return r >= 1 && r <= 21
      })
    )
  })
})
