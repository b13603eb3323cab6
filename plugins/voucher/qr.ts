import QRCode from 'qrcode'

/**
 * The QR code of a voucher as an SVG data URL (sharp at any print size). It encodes the code
 * alone, which readers at the contracted shops look up; error correction level M survives a
 * creased print or a scratched phone screen.
 */
export async function voucherQrDataUrl(code: string): Promise<string> {
  const svg = await QRCode.toString(code, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
