import { test } from '@japa/runner'
import { execa } from '#tests/helpers/exec'

test.group('tenants:sync', () => {
  test('is idempotent and --dry-run changes nothing', async ({ assert }) => {
    const dry = await execa(['tenants:sync', '--dry-run'])
    assert.equal(dry.code, 0, dry.output)
    assert.include(dry.output, 'praha-5: unchanged')
    const run = await execa(['tenants:sync'])
    assert.equal(run.code, 0, run.output)
    assert.notInclude(run.output, ': create')
  }).timeout(60_000)
})
