/*
 * Edge renderers are made only for requests that render a view (providers/app_provider.ts), and
 * such a view still gets what middleware shared (the language, here).
 */
import { test } from '@japa/runner'
import edge from 'edge.js'

test.group('views', () => {
  test('a JSON answer makes no Edge renderer; an HTML page is rendered with what was shared', async ({
    client,
    assert,
  }) => {
    const original = edge.createRenderer
    let made = 0
    edge.createRenderer = function (this: typeof edge) {
      made++
      return original.call(this)
    }
    try {
      const json = await client.get('/login').header('accept', 'application/json')
      json.assertStatus(200)
      assert.equal(made, 0)

      const html = await client
        .get('/login')
        .header('accept', 'text/html')
        .header('accept-language', 'en')
      html.assertStatus(200)
      assert.include(html.text(), '<html lang="en">')
      assert.equal(made, 1)
    } finally {
      edge.createRenderer = original
    }
  })
})
