/*
 * A real, valid PDF of an exact size for the surge benchmark: one A4 page with a line of text,
 * padded to the wanted size by an unreferenced binary stream (as a scanned page would carry),
 * with a correct cross-reference table. The server sniffs the type from the content
 * (file-type), so the bytes must really be a PDF.
 */

/** A small seeded PRNG (xorshift32), so the document is the same in every run. */
function bytesFrom(seed: number, length: number) {
  const out = Buffer.alloc(length)
  let state = seed >>> 0 || 0x9e3779b9
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    out[i] = state & 0xff
  }
  return out
}

function assemble(paddingBytes: number) {
  const text = 'BT /F1 18 Tf 72 770 Td (Oznameni o priznani davky - Urad prace CR) Tj ET\n'
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ' +
        '/Resources << /Font << /F1 5 0 R >> >> >>'
    ),
    Buffer.concat([
      Buffer.from(`<< /Length ${Buffer.byteLength(text)} >>\nstream\n`),
      Buffer.from(text),
      Buffer.from('endstream'),
    ]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    Buffer.concat([
      Buffer.from(`<< /Length ${paddingBytes} >>\nstream\n`),
      bytesFrom(20260901, paddingBytes),
      Buffer.from('\nendstream'),
    ]),
  ]
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')]
  let offset = parts[0].length
  const offsets: number[] = []
  objects.forEach((body, index) => {
    offsets.push(offset)
    const object = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`),
      body,
      Buffer.from('\nendobj\n'),
    ])
    parts.push(object)
    offset += object.length
  })
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`
  parts.push(Buffer.from(xref))
  return Buffer.concat(parts)
}

/** A valid one-page PDF of exactly `size` bytes (at least about 1 KB). */
export function paddedPdf(size: number) {
  // The padding's decimal length appears in the stream's dictionary: adjust until exact.
  let padding = Math.max(0, size - assemble(0).length)
  for (let attempt = 0; attempt < 5; attempt++) {
    const pdf = assemble(padding)
    if (pdf.length === size) return pdf
    padding += size - pdf.length
  }
  throw new Error(`Could not build a PDF of exactly ${size} bytes`)
}
