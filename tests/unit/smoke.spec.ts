import { test } from '@japa/runner'

test.group('smoke', () => {
  test('runs', ({ assert }) => {
    assert.equal(1 + 1, 2)
  })
})
