/**
 * WCAG 2.1 contrast ratio between two sRGB colours given as #rrggbb (1 to 21).
 */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const value = hex.replace('#', '')
    const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value
    const [red, green, blue] = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16) / 255)
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin(red) + 0.7152 * lin(green) + 0.0722 * lin(blue)
  }
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (l1 + 0.05) / (l2 + 0.05)
}
