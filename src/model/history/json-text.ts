// Text helpers shared by the two history parsers (the streaming JsonEventStream and the
// whole-file WholeTextReader). Both scan the file as a latin1 string (one char per byte), so
// offsets are byte offsets and strings are re-decoded as UTF-8 only when they hold non-ASCII bytes.

import { fieldFlags } from './field-flags.js';
import { flatCopy } from './flat-string.js';

/** The closing quote of a string whose content starts at `from`, or -1 when the text ends first. */
export function findQuote(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1 && isEscaped(text, q)) q = text.indexOf('"', q + 1);
  return q;
}

export function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
  return (backslashes & 1) === 1;
}

/**
 * The string text[from, to) as JavaScript sees it: UTF-8 decoded when `ascii` is false and it
 * holds high bytes, escapes resolved. Undefined for an invalid escape or control character,
 * unless `lenient` (then the escapes are left as written).
 */
export function captureText(text: string, from: number, to: number, ascii: boolean, lenient: boolean): string | undefined {
  let s = text.slice(from, to);
  if (!ascii && /[\u0080-\u00ff]/.test(s)) s = Buffer.from(s, 'latin1').toString('utf8');
  if (s.indexOf('\\') !== -1) {
    try {
      s = JSON.parse(`"${s}"`) as string;
    } catch {
      if (!lenient) return undefined;
    }
  }
  return s;
}

/** text.startsWith(expected, from), as a plain loop: much cheaper for short keys in hot code. */
export function sameText(text: string, from: number, expected: string): boolean {
  for (let i = 0; i < expected.length; i++) if (text.charCodeAt(from + i) !== expected.charCodeAt(i)) return false;
  return true;
}

const KEY_CACHE_SIZE = 4096;
/** Recently seen keys (shared by all parsers), so repeated keys are not sliced and internalized again. */
const keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE);
const keyCacheFlags = new Int32Array(KEY_CACHE_SIZE);

/** The key found by the last successful readKey, and its field flags (field-flags.ts). */
export let lastKey = '';
export let lastKeyFlags = 0;

/**
 * Reads the object key whose characters start at `from` (just after its opening quote) into
 * lastKey and lastKeyFlags and returns the position of its closing quote; -1 when the text ends
 * first, -2 for an invalid escape. Keys repeat endlessly in histories, so a key written without
 * escapes is looked up by a hash of its characters and checked, which avoids slicing it again.
 */
export function readKey(text: string, from: number, ascii: boolean): number {
  const q = text.indexOf('"', from);
  if (q === -1) return -1;
  const length = q - from;
  const escaped = text.charCodeAt(q - 1) === 92 && length > 0;
  const slot = (length * 7 + text.charCodeAt(from) * 31 + text.charCodeAt(q - 1) * 131 + text.charCodeAt(from + (length >> 1)) * 17 + text.charCodeAt(q - 2)) & (KEY_CACHE_SIZE - 1);
  if (!escaped) {
    const guess = keyCache[slot];
    if (guess !== undefined && guess.length === length && text.startsWith(guess, from)) {
      lastKey = guess;
      lastKeyFlags = keyCacheFlags[slot]!;
      return q;
    }
  }
  const end = escaped ? findQuote(text, q + 1) : q;
  if (end === -1) return -1;
  const key = captureText(text, from, end, ascii, false);
  if (key === undefined) return -2;
  const flags = fieldFlags(key);
  // only keys written without escapes can be recognized by their characters
  if (!escaped && key.length === length) {
    keyCache[slot] = flatCopy(key); // the cache outlives this text
    keyCacheFlags[slot] = flags;
  }
  lastKey = key;
  lastKeyFlags = flags;
  return end;
}

export function describeChar(c: number): string {
  if (Number.isNaN(c)) return 'the end of the input';
  if (c < 32 || c > 126) return `byte 0x${c.toString(16).padStart(2, '0')}`;
  return `'${String.fromCharCode(c)}'`;
}
