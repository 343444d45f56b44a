// Long strings the history parser does not keep (payload data, stack traces): only their length
// and, for base64, the number of bytes they decode to.

/** A string value too long to keep: its length, its size if it is base64, maybe its first chars. */
export class OmittedString {
  constructor(
    /** Characters in the JSON source, escapes counted as written. */
    readonly length: number,
    /** Bytes it decodes to when read as base64 (payload `data`). */
    readonly base64Bytes: number,
    /** The first characters, kept only when previews were asked for. */
    readonly head: string | undefined,
  ) {}
}

/**
 * Bytes a base64 string of rawLength characters decodes to, given its last characters (for
 * padding). Java's JsonFormat writes '=' as \u003d, which counts as one padding character.
 */
export function base64DecodedLength(rawLength: number, tail: string): number {
  return decodedLength(rawLength, tail, 0, tail.length);
}

/** base64DecodedLength for text[from, to) without copying it. */
export function base64DecodedLengthAt(text: string, from: number, to: number): number {
  return decodedLength(to - from, text, from, to);
}

/** Decoded bytes of `length` base64 characters whose padding is read from text[from, to). */
function decodedLength(rawLength: number, text: string, from: number, to: number): number {
  let length = rawLength;
  let end = to;
  let padding = 0;
  while (padding < 2 && end > from) {
    if (text.charCodeAt(end - 1) === 61) {
      end -= 1;
    } else if (end - 6 >= from && text.charCodeAt(end - 6) === 92 && text.startsWith('u003', end - 5) && (text.charCodeAt(end - 1) | 32) === 100) {
      end -= 6;
      length -= 5;
    } else {
      break;
    }
    padding++;
  }
  return Math.max(0, Math.floor((length * 3) / 4) - padding);
}
