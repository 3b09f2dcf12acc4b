/**
 * Text in the PDF's standard fonts (Helvetica), which draw only the Windows
 * code page 1252 (WinAnsi): any other character would come out as another
 * glyph. Letters WinAnsi lacks lose their accents ("Łódź" → "Lódz": it has
 * ó but not ł or ź); anything else becomes "?". The original text goes in
 * the structure tree's ActualText, for screen readers.
 */

/** The characters above Latin-1 that WinAnsi holds (its 0x80-0x9F range). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters no decomposition reaches. */
const PLAIN: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  '≤': '<=',
  '≥': '>=',
  '→': '->',
  '←': '<-',
  '≠': '!=',
};

const drawable = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return (
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    c === '\n' ||
    WIN_ANSI_EXTRA.has(c)
  );
};

/** `text` as the standard fonts can draw it. */
export function winAnsi(text: string): string {
  let out = '';
  for (const c of text.normalize('NFC')) {
    if (drawable(c)) out += c;
    else if (PLAIN[c] !== undefined) out += PLAIN[c];
    else {
      const bare = c.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...bare].every(drawable) && bare !== '' ? bare : '?';
    }
  }
  return out;
}
