// Text helpers shared by the two history parsers (the streaming JsonEventStream and the
// whole-file WholeTextReader). Both scan the file as a latin1 string (one char per byte), so
// offsets are byte offsets and strings are re-decoded as UTF-8 only when they hold non-ASCII bytes.

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

// Object keys repeat endlessly in histories (and so do event types, names and encodings, which
// the whole-file reader also reads through here). Each distinct string is held once, in one of two
// neighbouring slots found from its length and a few of its characters, with its raw bytes (to
// recognize it again without slicing or decoding) and its field flags. Hits return the same
// engine-internal copy, which holds no reference to the text it was cut from.
const KEY_BITS = 12;
const KEY_SLOTS = 1 << KEY_BITS;
const keyValues: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS);
const keyRaws: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEY_SLOTS);
/** The raw bytes as little-endian 32-bit words (the last length % 4 bytes are compared one by one). */
const keyWords: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(KEY_SLOTS);
const keyFlags = new Int32Array(KEY_SLOTS);
/**
 * Predictions: the slot of the key that came last time after a given key in a given context (see
 * keyHint), -1 when unknown. Keys come in the same order event after event, so the next key is
 * usually known before it is read, and checking it costs one comparison of its bytes.
 */
const nextKey = new Int32Array(1 << 16).fill(-1);

/**
 * Where readKey looks for, and stores, the prediction of the key after the key in slot
 * `previous` (-1: the first key of an object) in `context` (for instance the slot of the
 * object's own key, so that the attributes of each event type have their own sequence).
 */
export function keyHint(previous: number, context: number): number {
  return Math.imul((previous + 2) ^ (context << 13), 0x9e3779b1) >>> 16;
}

/** The key found by the last successful readKey, its field flags (field-flags.ts) and slot (-1: none). */
export let lastKey = '';
export let lastKeyFlags = 0;
export let lastKeySlot = -1;

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
 * Whether text[from...] holds exactly the raw bytes of the key in `slot`; `view`, when given, holds
 * the same bytes, text[i] being the byte at view offset i + offset.
 */
function keyAt(text: string, view: DataView | undefined, from: number, slot: number, offset: number): boolean {
  const raw = keyRaws[slot]!;
  if (view) {
    // four bytes at a time: several times faster than one by one
    const words = keyWords[slot]!;
    const at = from + offset;
    for (let i = 0; i < words.length; i++) if (view.getInt32(at + 4 * i, true) !== words[i]) return false;
    for (let i = 4 * words.length; i < raw.length; i++) if (view.getUint8(at + i) !== raw[i]) return false;
  } else {
    for (let i = 0; i < raw.length; i++) if (text.charCodeAt(from + i) !== raw[i]) return false;
  }
  return true;
}

/**
 * Reads the object key whose characters start at `from` (just after its opening quote) into
 * lastKey, lastKeyFlags and lastKeySlot and returns the position of its closing quote; -1 when the
 * text ends first, -2 for an invalid escape. `view`, when given, holds the same text as bytes
 * (faster to compare), text[i] being the byte at view offset i + offset. `hint` (from keyHint, or
 * -1) is where its prediction is kept.
 */
export function readKey(text: string, from: number, ascii: boolean, view?: DataView, hint = -1, offset = 0): number {
  if (hint >= 0) {
    const predicted = nextKey[hint]!;
    if (predicted >= 0) {
      const length = keyRaws[predicted]!.length;
      // cached keys do not end in a backslash, so the quote after them closes the key
      if (text.charCodeAt(from + length) === 34 && keyAt(text, view, from, predicted, offset)) {
        lastKey = keyValues[predicted]!;
        lastKeyFlags = keyFlags[predicted]!;
        lastKeySlot = predicted;
        return from + length;
      }
    }
  }
  const q = text.indexOf('"', from);
  if (q === -1) return -1;
  const escaped = q > from && text.charCodeAt(q - 1) === 92;
  lastKeySlot = -1;
  if (escaped) {
    const end = findQuote(text, from);
    if (end === -1) return -1;
    const key = captureText(text, from, end, ascii, false);
    if (key === undefined) return -2;
    lastKey = key;
    lastKeyFlags = fieldFlags(key);
    return end;
  }
  const slot = lookUp(text, from, q, ascii, view, offset);
  if (slot === -1) return -2;
  lastKey = keyValues[slot]!;
  lastKeyFlags = keyFlags[slot]!;
  lastKeySlot = slot;
  if (hint >= 0) nextKey[hint] = slot;
  return q;
}

/**
 * A short string value that repeats from event to event (the event type), through the key cache:
 * cheaper than a slice, and the copy it returns is hashed once for all the lookups that follow.
 * Undefined for an invalid escape.
 */
export function repeatedText(text: string, from: number, to: number, ascii: boolean, view?: DataView, offset = 0): string | undefined {
  const slot = lookUp(text, from, to, ascii, view, offset);
  return slot === -1 ? undefined : keyValues[slot];
}

/** The slot holding the key text[from, to), filled if it held another; -1 for an invalid escape. */
function lookUp(text: string, from: number, to: number, ascii: boolean, view: DataView | undefined, offset: number): number {
  // two slots per key (slot and its neighbour), so that two frequent keys never evict each other
  const first = keySlot(text, from, to);
  if (isKeyAt(text, view, from, to, first, offset)) return first;
  const second = first ^ 1;
  if (isKeyAt(text, view, from, to, second, offset)) return second;
  const value = captureText(text, from, to, ascii, false);
  if (value === undefined) return -1;
  const slot = keyRaws[first] === undefined ? first : keyRaws[second] === undefined ? second : first;
  // a string used as a property name is held once by the engine; keep that copy
  keyValues[slot] = internalized(value);
  const bytes = Buffer.from(text.slice(from, to), 'latin1');
  keyRaws[slot] = bytes;
  keyWords[slot] = Int32Array.from({ length: bytes.length >> 2 }, (_, i) => bytes.readInt32LE(4 * i));
  keyFlags[slot] = fieldFlags(value);
  return slot;
}

function isKeyAt(text: string, view: DataView | undefined, from: number, to: number, slot: number, offset: number): boolean {
  const raw = keyRaws[slot];
  return raw !== undefined && raw.length === to - from && keyAt(text, view, from, slot, offset);
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
