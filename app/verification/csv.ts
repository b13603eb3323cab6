/*
 * A small RFC 4180 CSV reader shared by the census import and the reference register: quoted
 * fields, doubled quotes, CRLF or LF, a UTF-8 byte-order mark, and ',' or ';' as the separator
 * (Czech spreadsheet exports use ';'). Errors are codes with line numbers, never texts.
 */

/** One record of a CSV file with the 1-based line number where it starts. */
export interface CsvRecord {
  line: number
  fields: string[]
}

/** A syntax problem of a CSV file, as a code and the 1-based line where it was found. */
export interface CsvSyntaxError {
  line: number
  code: 'unterminated_quote' | 'text_after_quote'
}

/** Picks ',' or ';' as the separator, whichever occurs more often outside quotes in the first line. */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0
  let semicolons = 0
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && char === ',') commas++
    else if (!quoted && char === ';') semicolons++
  }
  return semicolons > commas ? ';' : ','
}

/** Splits CSV text into records; blank lines are skipped and syntax errors are reported per line. */
export function parseCsv(
  input: string,
  separator: ',' | ';' = detectSeparator(input.replace(/^\uFEFF/, ''))
): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const text = input.replace(/^\uFEFF/, '')
  const records: CsvRecord[] = []
  const errors: CsvSyntaxError[] = []
  let line = 1
  let position = 0

  while (position < text.length) {
    const startLine = line
    const fields: string[] = []
    let field = ''
    let broken = false

    // Read one record.
    for (;;) {
      if (text[position] === '"') {
        position++
        let closed = false
        while (position < text.length) {
          const char = text[position]
          if (char === '"') {
            if (text[position + 1] === '"') {
              field += '"'
              position += 2
              continue
            }
            position++
            closed = true
            break
          }
          if (char === '\n') line++
          field += char
          position++
        }
        if (!closed) {
          errors.push({ line: startLine, code: 'unterminated_quote' })
          broken = true
          break
        }
        // After a closing quote only a separator or the end of the record may follow.
        const next = text[position]
        if (next !== undefined && next !== separator && next !== '\n' && next !== '\r') {
          errors.push({ line, code: 'text_after_quote' })
          broken = true
        }
      }
      // Read unquoted text up to the separator or the end of the line.
      while (
        position < text.length &&
        text[position] !== separator &&
        text[position] !== '\n' &&
        text[position] !== '\r'
      ) {
        field += text[position]
        position++
      }
      fields.push(field)
      field = ''
      if (text[position] === separator) {
        position++
        continue
      }
      break
    }

    // End of record: consume CRLF, LF or CR.
    if (text[position] === '\r') position++
    if (text[position] === '\n') position++
    line++
    if (broken) continue
    const blank = fields.length === 1 && fields[0].trim() === ''
    if (!blank) records.push({ line: startLine, fields })
  }
  return { records, errors }
}
