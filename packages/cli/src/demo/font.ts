/**
 * A 5x7 bitmap font for chart labels: each glyph is seven rows of five bits (0x10 = leftmost
 * pixel), written as fourteen hex digits. Lower case draws as upper case; unknown characters as a box.
 */
const GLYPHS: Record<string, string> = {
  ' ': '00000000000000',
  '0': '0e11131519110e',
  '1': '040c040404040e',
  '2': '0e11010204081f',
  '3': '1f02040201110e',
  '4': '02060a121f0202',
  '5': '1f101e0101110e',
  '6': '0608101e11110e',
  '7': '1f010204080808',
  '8': '0e11110e11110e',
  '9': '0e11110f01020c',
  A: '0e11111f111111',
  B: '1e11111e11111e',
  C: '0e11101010110e',
  D: '1c12111111121c',
  E: '1f10101e10101f',
  F: '1f10101e101010',
  G: '0e11101711110f',
  H: '1111111f111111',
  I: '0e04040404040e',
  J: '0702020202120c',
  K: '11121418141211',
  L: '1010101010101f',
  M: '111b1515111111',
  N: '11111915131111',
  O: '0e11111111110e',
  P: '1e11111e101010',
  Q: '0e11111115120d',
  R: '1e11111e141211',
  S: '0f10100e01011e',
  T: '1f040404040404',
  U: '1111111111110e',
  V: '11111111110a04',
  W: '1111111515150a',
  X: '11110a040a1111',
  Y: '1111110a040404',
  Z: '1f01020408101f',
  '.': '00000000000c0c',
  ',': '000000000c0408',
  '-': '0000001f000000',
  _: '0000000000001f',
  '/': '00010204081000',
  ':': '000c0c000c0c00',
  '(': '02040808080402',
  ')': '08040202020408',
  '%': '18190204081303',
  '=': '00001f001f0000',
  '+': '0004041f040400',
  '@': '0e11011d15150e',
}

const BOX = '1f11111111111f'

/** Rows of a character's glyph, each a 5-bit mask. */
export function glyphRows(ch: string): number[] {
  const hex = GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? BOX
  const rows: number[] = []
  for (let i = 0; i < 14; i += 2) rows.push(parseInt(hex.slice(i, i + 2), 16))
  return rows
}

/** Width in pixels of `text` at `scale` (5 pixels per glyph plus 1 of spacing). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * 6 - 1) * scale
}

/** Height in pixels of one line of text at `scale`. */
export const textHeight = (scale = 1): number => 7 * scale
