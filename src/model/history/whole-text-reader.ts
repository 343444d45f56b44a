// Fast path of the history reader for files that fit comfortably in memory (most histories do).
// It reads the whole file and walks it by recursive descent, which costs a fraction of the
// streaming parser's per-token state machine: structure is read from the bytes, keys are
// recognized from a prediction of the next key (json-text.ts), and strings are found and sliced in
// a latin1 text made 64 KiB at a time. It builds exactly the values the streaming parser builds
// (the same kept scalars, OmittedString for long strings, skipped objects) and the same size
// estimate per event, so both paths give the same facts; tests compare them on every shared
// history, on thousands of mutants and on large generated histories. In addition, it skips
// building the attributes of bookkeeping events (workflow task and timer events), which the
// normalizer never reads; they are still measured.
//
// Anything unusual (a syntax error, nesting over 400 levels, a key or number longer than the rest
// of the text window, an event that is not an object) makes it give up, and the caller parses the
// file again with the streaming parser, which knows how to describe the problem. So this reader
// never accepts a file the streaming parser rejects.

import { ATTRIBUTES, DATA, KEEP, METADATA, REPEATS, SKIP } from './field-flags.js';
import { eventTypeNumber, normalizeEventType } from './event-types.js';
import { isBookkeepingEvent } from './event-normalizer.js';
import { captureText, findQuote, keyHint, lastKey, lastKeyFlags, lastKeySlot, readKey, repeatedText } from './json-text.js';
import { base64DecodedLength, base64DecodedLengthAt, OmittedString } from './omitted-string.js';
import { CONTAINER_BYTES, numberFieldSize, stringFieldSize } from './proto-size.js';
import type { JsonEventStreamOptions } from './json-event-stream.js';

/** Thrown inside the reader when it gives up on a file; never escapes read(). */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('the whole-file reader gave up');

/** Returned for a value that is measured or checked but not stored in its parent. */
const NOTHING = Symbol('nothing');

/** Key prediction context of event-level keys (key slots, the contexts of nested keys, are below it). */
const EVENT_CONTEXT = 1 << 12;

/** Bytes of the file turned into text at a time (see WholeTextReader.text). */
const WINDOW = 64 * 1024;
/**
 * A window is moved on before reading a token that starts closer than this to its end, so short
 * strings (up to maxStringLength, 256), previews, keys, numbers and literals lie wholly inside it
 * (more when maxStringLength or keepHead ask for it).
 */
const MARGIN = 1024;

/** Nesting deeper than this goes to the streaming parser (which allows 512 and reports more). */
const MAX_DEPTH = 400;

export interface WholeTextOutcome {
  events: number;
}

export class WholeTextReader {
  private pos = 0;
  private readonly n: number;
  private eventIndex = 0;
  private eventSize = 0;
  private inEvent = false;
  /** Length of the key of the value being read (0 in arrays), for metadata sizes. */
  private keyLength = 0;
  /** Key slot (json-text.ts) of the value being read: predicts the first key of an object. */
  private valueSlot = -1;
  private readonly maxStringLength: number;
  private readonly keepHead: number;
  private readonly view: DataView;
  /**
   * The file as latin1 text (one char per byte), one window at a time: indexOf and slice need a
   * string, and one string of a whole large file costs far more to make (fresh memory, page
   * faults) than windows of WINDOW bytes. text[i] is the byte at base + i.
   */
  private text = '';
  private base = 0;
  private windowEnd = 0;
  private readonly window: number;
  private readonly margin: number;

  constructor(
    /** The whole file. Structure is read from the bytes; indexing them is cheaper than charCodeAt. */
    private readonly bytes: Buffer,
    private readonly ascii: boolean,
    private readonly options: JsonEventStreamOptions,
  ) {
    this.n = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxStringLength = options.maxStringLength ?? 256;
    this.keepHead = options.keepHead ?? 0;
    this.margin = Math.max(MARGIN, this.maxStringLength + 16, this.keepHead + 16);
    this.window = Math.max(WINDOW, 4 * this.margin);
  }

  /**
   * Reads the file and hands every event to onEvent. Null when it gave up (the caller then uses
   * the streaming parser); also null when the file has no events array, so that the streaming
   * parser words that reason. Errors thrown by onEvent also make it give up.
   */
  read(): WholeTextOutcome | null {
    try {
      this.skipSpace();
      const c = this.bytes[this.pos]!;
      let sawEvents: boolean;
      if (c === 91) {
        this.events();
        sawEvents = true;
      } else if (c === 123) {
        sawEvents = this.root(1);
      } else {
        return null;
      }
      this.skipSpace();
      if (this.pos !== this.n || !sawEvents) return null;
      return { events: this.eventIndex };
    } catch {
      // GiveUp, a NotAHistoryError from onEvent, a RangeError: the streaming parser decides
      return null;
    }
  }

  /** `{"events": [...]}` (level 1) or `{"history": {"events": [...]}}` (level 2); true when it held events. */
  private root(level: number): boolean {
    const bytes = this.bytes;
    let sawEvents = false;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos]! === 125) {
      this.pos++;
      return false;
    }
    for (;;) {
      const flags = this.key(-1);
      const isEvents = lastKey === 'events';
      const isHistory = level === 1 && lastKey === 'history';
      const keyLength = lastKey.length;
      const c = bytes[this.pos]!;
      if (isEvents && c === 91) {
        this.events();
        sawEvents = true;
      } else if (isHistory && c === 123) {
        if (this.root(2)) sawEvents = true;
      } else {
        // built and dropped, as the streaming parser does, so that it is checked the same way
        this.keyLength = keyLength;
        this.valueSlot = -1;
        this.value(flags, 0, true, (flags & KEEP) !== 0, 1);
      }
      if (this.endOf(125)) return sawEvents;
    }
  }

  private events(): void {
    const bytes = this.bytes;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos]! === 93) {
      this.pos++;
      return;
    }
    for (;;) {
      if (bytes[this.pos]! !== 123) throw GIVE_UP;
      this.event();
      if (this.endOf(93)) return;
      this.skipSpace();
    }
  }

  private event(): void {
    const bytes = this.bytes;
    const event: Record<string, unknown> = {};
    this.inEvent = true;
    this.eventSize = 0;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos]! === 125) {
      this.pos++;
    } else {
      let bookkeeping = false;
      let previous = -1;
      // event-level keys are predicted per event type (their attributes key differs)
      let context = EVENT_CONTEXT;
      for (;;) {
        const flags = this.key(keyHint(previous, context));
        const key = lastKey;
        previous = lastKeySlot;
        this.valueSlot = previous;
        this.keyLength = key.length;
        if (bookkeeping && (flags & ATTRIBUTES) !== 0) {
          this.value(flags, 0, false, false, 2);
        } else {
          const value = this.value(flags, 0, true, (flags & KEEP) !== 0, 2);
          if (value !== NOTHING && key !== '__proto__') event[key] = value;
          if (key === 'eventType' && typeof value === 'string') {
            const type = normalizeEventType(value);
            bookkeeping = type !== null && isBookkeepingEvent(type);
            context = EVENT_CONTEXT + (type === null ? 0 : 1 + eventTypeNumber(type));
          }
        }
        if (this.endOf(125)) break;
      }
    }
    this.inEvent = false;
    this.options.onEvent(event, this.eventIndex++, this.eventSize);
  }

  /**
   * Reads one value. `flags`: its key's field flags (0 in arrays); `parentFlags`: the flags of
   * the key its container sits under; `build`: containers are built (not inside a skipped one);
   * `keep`: a scalar is kept. Returns NOTHING when the value is not stored.
   */
  private value(flags: number, parentFlags: number, build: boolean, keep: boolean, depth: number): unknown {
    const bytes = this.bytes;
    const pos = this.pos;
    if (pos + this.margin > this.windowEnd) this.slide(pos);
    const text = this.text;
    const base = this.base;
    const c = bytes[pos]!;
    if (c === 34) {
      // positions in the window: a short string always ends in it (see MARGIN), a long one may not
      const from = pos + 1 - base;
      let q = findQuote(text, from);
      q = q === -1 ? this.quoteAfterWindow() : q + base;
      const length = q - pos - 1;
      const long = length > this.maxStringLength;
      if (this.inEvent) {
        this.eventSize += long
          ? 3 + ((flags & DATA) !== 0 || (parentFlags & METADATA) !== 0 ? this.base64Bytes(pos + 1, q) : length)
          : stringFieldSize(text, from, q - base, flags, parentFlags, this.keyLength);
      }
      this.pos = q + 1;
      if (!keep) return NOTHING;
      if (long) {
        const head = this.keepHead ? captureText(text, from, Math.min(from + this.keepHead, q - base), this.ascii, true) : undefined;
        return new OmittedString(length, this.base64Bytes(pos + 1, q), head);
      }
      // event types, names and metadata values (encodings) repeat from event to event
      const captured = ((flags & REPEATS) !== 0 || (parentFlags & METADATA) !== 0) && bytes[q - 1] !== 92 ? repeatedText(text, from, q - base, this.ascii, this.view, base) : captureText(text, from, q - base, this.ascii, false);
      if (captured === undefined) throw GIVE_UP;
      return captured;
    }
    if (c === 123) return this.object(flags, build && (flags & SKIP) === 0, depth);
    if (c === 91) return this.array(flags, build && (flags & SKIP) === 0, depth);
    if (c === 45 || (c >= 48 && c <= 57)) {
      let end = pos + 1;
      let d = bytes[end]!;
      while ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) d = bytes[++end]!;
      if (this.inEvent) this.eventSize += numberFieldSize(end - pos);
      // a number longer than the margin would be cut by the window: rare enough to give up on
      if (end > this.windowEnd) throw GIVE_UP;
      this.pos = end;
      if (!keep) return NOTHING;
      const number = Number(text.slice(pos - base, end - base));
      if (Number.isNaN(number)) throw GIVE_UP;
      return number;
    }
    if (c === 116 || c === 102 || c === 110) {
      const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
      if (!text.startsWith(word, pos - base)) throw GIVE_UP;
      if (c !== 110 && this.inEvent) this.eventSize += 2;
      this.pos = pos + word.length;
      return keep ? (c === 116 ? true : c === 102 ? false : null) : NOTHING;
    }
    throw GIVE_UP;
  }

  /** An object under a key with `flags` (its members' parent flags). */
  private object(flags: number, build: boolean, depth: number): unknown {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const bytes = this.bytes;
    if (this.inEvent) this.eventSize += CONTAINER_BYTES;
    const object: Record<string, unknown> | null = build ? {} : null;
    const context = this.valueSlot;
    let previous = -1;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos]! === 125) {
      this.pos++;
    } else {
      for (;;) {
        const memberFlags = this.key(keyHint(previous, context));
        const key = lastKey;
        previous = lastKeySlot;
        this.valueSlot = previous;
        this.keyLength = key.length;
        const value = this.value(memberFlags, flags, build, build && ((memberFlags & KEEP) !== 0 || (flags & METADATA) !== 0), depth + 1);
        if (object !== null && value !== NOTHING && key !== '__proto__') object[key] = value;
        if (this.endOf(125)) break;
      }
    }
    return object ?? NOTHING;
  }

  /** An array under a key with `flags` (its elements' parent flags). */
  private array(flags: number, build: boolean, depth: number): unknown {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const bytes = this.bytes;
    if (this.inEvent) this.eventSize += CONTAINER_BYTES;
    const array: unknown[] | null = build ? [] : null;
    const slot = this.valueSlot;
    this.pos++;
    this.skipSpace();
    if (bytes[this.pos]! === 93) {
      this.pos++;
    } else {
      for (;;) {
        this.keyLength = 0;
        this.valueSlot = slot;
        const value = this.value(0, flags, build, false, depth + 1);
        if (array !== null && value !== NOTHING) array.push(value);
        if (this.endOf(93)) break;
        this.skipSpace();
      }
    }
    return array ?? NOTHING;
  }

  /**
   * Reads `"key"` and its colon and the space after; returns the key's flags (key in lastKey, its
   * slot in lastKeySlot). `hint`: where its prediction is kept (see readKey).
   */
  private key(hint: number): number {
    const bytes = this.bytes;
    if (this.pos + this.margin > this.windowEnd) this.slide(this.pos);
    if (bytes[this.pos]! !== 34) throw GIVE_UP;
    // a key longer than the rest of the window is not found in it (-1): given up on
    const q = readKey(this.text, this.pos + 1 - this.base, this.ascii, this.view, hint, this.base);
    if (q < 0) throw GIVE_UP;
    const flags = lastKeyFlags;
    let pos = q + this.base + 1;
    let c = bytes[pos]!;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++pos]!;
    if (c !== 58) throw GIVE_UP;
    c = bytes[++pos]!;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++pos]!;
    this.pos = pos;
    return flags;
  }

  /**
   * After a member or element: true at the closing bracket (consumed), false after a comma
   * (consumed, space skipped). The whitespace loops here and in key() are written out: a shared
   * helper measured 25% slower overall (the engine stops inlining in these hot methods).
   */
  private endOf(close: number): boolean {
    const bytes = this.bytes;
    let pos = this.pos;
    let c = bytes[pos]!;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++pos]!;
    if (c === close) {
      this.pos = pos + 1;
      return true;
    }
    if (c !== 44) throw GIVE_UP;
    c = bytes[++pos]!;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++pos]!;
    this.pos = pos;
    return false;
  }

  /** Starts the window at `pos`. */
  private slide(pos: number): void {
    this.base = pos;
    this.windowEnd = Math.min(this.n, pos + this.window);
    this.text = this.bytes.toString('latin1', pos, this.windowEnd);
  }

  /** The closing quote of the string at this.pos when it ends past the window (absolute position). */
  private quoteAfterWindow(): number {
    if (this.windowEnd === this.n) throw GIVE_UP;
    const bytes = this.bytes;
    let q = bytes.indexOf(34, this.windowEnd);
    for (;;) {
      if (q === -1) throw GIVE_UP;
      let backslashes = 0;
      while (bytes[q - 1 - backslashes] === 92) backslashes++;
      if ((backslashes & 1) === 0) return q;
      q = bytes.indexOf(34, q + 1);
    }
  }

  /** Bytes the base64 text between absolute positions from and to decodes to (its tail may lie past the window). */
  private base64Bytes(from: number, to: number): number {
    if (to <= this.windowEnd) return base64DecodedLengthAt(this.text, from - this.base, to - this.base);
    return base64DecodedLength(to - from, this.bytes.toString('latin1', Math.max(from, to - 16), to));
  }

  private skipSpace(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    let c = bytes[pos]!;
    while (c === 32 || c === 10 || c === 13 || c === 9) c = bytes[++pos]!;
    this.pos = pos;
  }
}
