// Text helpers of the history readers: the streaming parser (json-event-stream.ts) scans each
// chunk as a latin1 string (one char per byte), so offsets are byte offsets and strings are
// re-decoded as UTF-8 only when they hold non-ASCII bytes; the whole-file reader
// (whole-text-reader.ts) decodes names and kept strings with captureText the same way.

import { fieldFlags } from './field-flags.js';

/** The closing quote of a string whose content starts at `from`, or -1 when the text ends first. */
export function findQuote(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1 && isEscaped(text, q)) q = text.indexOf('"', q + 1);
  return q;
}

function isEscaped(text: string, quote: number): boolean {
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

// Object keys repeat endlessly in histories. Each distinct key is held once, in one of two
// neighbouring slots found from its length and a few of its characters, with its raw characters
// (to recognize it again without slicing or decoding) and its field flags. Hits return the same
// engine-internal copy, which holds no reference to the text it was cut from.
const KEY_BITS = 12;
const KEY_SLOTS = 1 << KEY_BITS;
const keyValues: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS);
const keyRaws: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS);
const keyFlags = new Int32Array(KEY_SLOTS);

/** The key found by the last successful readKey and its field flags (field-flags.ts). */
export let lastKey = '';
export let lastKeyFlags = 0;

/**
 * The slot for text[from, to): a hash of its length and five of its characters (a cache miss
 * costs a comparison, so a cheap hash that spreads the keys of histories well is enough).
 */
function keySlot(text: string, from: number, to: number): number {
  const length = to - from;
  const quarter = length >> 2;
  let hash = Math.imul(length ^ (text.charCodeAt(from) << 8) ^ (text.charCodeAt(to - 1) << 16), 0x9e3779b1);
  hash = Math.imul(hash ^ text.charCodeAt(from + quarter) ^ (text.charCodeAt(from + 2 * quarter) << 8) ^ (text.charCodeAt(to - 1 - quarter) << 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) & (KEY_SLOTS - 1);
}

/**
 * Reads the object key whose characters start at `from` (just after its opening quote) into
 * lastKey and lastKeyFlags and returns the position of its closing quote; -1 when the text ends
 * first, -2 for an invalid escape.
 */
export function readKey(text: string, from: number, ascii: boolean): number {
  const q = text.indexOf('"', from);
  if (q === -1) return -1;
  if (q > from && text.charCodeAt(q - 1) === 92) {
    // escaped: not cached
    const end = findQuote(text, from);
    if (end === -1) return -1;
    const key = captureText(text, from, end, ascii, false);
    if (key === undefined) return -2;
    lastKey = key;
    lastKeyFlags = fieldFlags(key);
    return end;
  }
  // two slots per key (slot and its neighbour), so that two frequent keys never evict each other
  const first = keySlot(text, from, q);
  let slot = isKeyAt(text, from, q, first) ? first : isKeyAt(text, from, q, first ^ 1) ? first ^ 1 : -1;
  if (slot === -1) {
    const value = captureText(text, from, q, ascii, false);
    if (value === undefined) return -2;
    slot = keyRaws[first] === undefined ? first : keyRaws[first ^ 1] === undefined ? first ^ 1 : first;
    // a string used as a property name is held once by the engine; keep that copy
    keyValues[slot] = internalized(value);
    keyRaws[slot] = internalized(text.slice(from, q));
    keyFlags[slot] = fieldFlags(value);
  }
  lastKey = keyValues[slot]!;
  lastKeyFlags = keyFlags[slot]!;
  return q;
}

function isKeyAt(text: string, from: number, to: number, slot: number): boolean {
  const raw = keyRaws[slot];
  if (raw === undefined || raw.length !== to - from) return false;
  for (let i = 0; i < raw.length; i++) if (text.charCodeAt(from + i) !== raw.charCodeAt(i)) return false;
  return true;
}

/**
 * The engine's own copy of a string (as property names are held): objects take it as a property
 * name and maps as a key without hashing it again, and it holds no reference to the text it was
 * cut from.
 */
export function internalized(value: string): string {
  return Object.keys({ [value]: 0 })[0]!;
}

export function describeChar(c: number): string {
  if (Number.isNaN(c)) return 'the end of the input';
  if (c < 32 || c > 126) return `byte 0x${c.toString(16).padStart(2, '0')}`;
  return `'${String.fromCharCode(c)}'`;
}
