import { test } from '@japa/runner'
import { detectSeparator, parseCsv } from '#verification/csv'

test.group('CSV reader', () => {
  test('quotes, doubled quotes, separators and line breaks inside quotes', ({ assert }) => {
    const { records, errors } = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n\n,\n')
    assert.deepEqual(errors, [])
    assert.deepEqual(records, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 6, fields: ['', ''] },
    ])
  })

  test('separator detection and syntax errors', ({ assert }) => {
    assert.equal(detectSeparator('jméno;příjmení;"a,b"'), ';')
    assert.equal(detectSeparator('name,birth_date'), ',')
    assert.deepEqual(parseCsv('a,b\n"x"y,z\nc,d\n').errors, [{ line: 2, code: 'text_after_quote' }])
    assert.deepEqual(
      parseCsv('a,b\n"x"y,z\nc,d\n').records.map((r) => r.line),
      [1, 3]
    )
    assert.deepEqual(parseCsv('a\n"open\n').errors, [{ line: 2, code: 'unterminated_quote' }])
  })
})
