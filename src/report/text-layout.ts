// Terminal text layout shared by the pretty reporters: word wrapping to a width that ignores
// colour codes, and the first sentence of a message for one-line views.

/** The width used when the caller does not know the terminal's (not a TTY, or no columns). */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, wrapping breaks file paths and messages into unreadable shreds. */
const MIN_WIDTH = 40;

export function clampWidth(width: number | undefined): number {
  return Math.max(MIN_WIDTH, Math.floor(width ?? DEFAULT_WIDTH));
}

/**
 * Word-wraps text to width columns, every line indented by indent (continuation lines by
 * hangingIndent when given). A word longer than the line (a long file path) stays whole.
 */
export function wrap(text: string, indent: number, width: number, hangingIndent = indent): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lead = indent;
    for (const word of paragraph.split(' ')) {
      if (line && lead + visibleLength(line) + 1 + visibleLength(word) > width) {
        out.push(' '.repeat(lead) + line);
        lead = hangingIndent;
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(' '.repeat(lead) + line);
    lead = hangingIndent;
  }
  return out;
}

/**
 * Lays out items separated by ", " over as many lines as they need, wrapping between items only
 * (a file:line never breaks in the middle).
 */
export function wrapList(items: string[], indent: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line && indent + visibleLength(line) + 1 + visibleLength(piece) > width) {
      out.push(' '.repeat(indent) + line);
      line = piece;
    } else {
      line = line ? `${line} ${piece}` : piece;
    }
  });
  if (line) out.push(' '.repeat(indent) + line);
  return out;
}

export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * The first sentence of a message: up to the first '.', '!' or '?' followed by a space and a
 * capital letter (or the end). Abbreviations such as "e.g." and decimals such as "1.5" do not end
 * a sentence. Line breaks become spaces.
 */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  const end = /(?<!\b(?:e\.g|i\.e|etc|vs|approx))[.!?](?=\s+[A-Z`'"(\[]|$)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}
