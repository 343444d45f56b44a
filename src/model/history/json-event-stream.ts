// Streaming JSON reader for history files. It takes the file in chunks and hands out the
// elements of the events array one at a time, so a 50 MB history never sits in memory as a whole
// and events are never retained. Long strings (payload data, stack traces) are replaced by an
// OmittedString that keeps only their length, so payload contents are not kept either. Of the
// scalar fields only those the normalizer reads are kept (field-flags.ts); every field counts
// towards the event's estimated protobuf size (proto-size.ts).
//
// The parser scans the bytes as a latin1 string (one char per byte): offsets are byte offsets,
// and captured strings are re-decoded as UTF-8 only when they hold non-ASCII bytes.

import { DATA, KEEP, METADATA, SKIP } from './field-flags.js';
import { isAscii } from 'node:buffer';
import { captureText, describeChar as describe, findQuote, lastKey, lastKeyFlags, readKey } from './json-text.js';
import { base64DecodedLength, base64DecodedLengthAt, OmittedString } from './omitted-string.js';
import { CONTAINER_BYTES, numberFieldSize, omittedFieldSize, stringFieldSize } from './proto-size.js';

/** A syntax problem at a byte offset of the file. */
export class JsonStreamError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

export interface JsonEventStreamOptions {
  /** Called for every element of the events array, in order, with its estimated stored size. */
  onEvent(event: unknown, index: number, sizeBytes: number): void;
  /** Strings longer than this become OmittedString (default 256). */
  maxStringLength?: number;
  /** Characters of omitted strings to keep as `head` (default 0: none). */
  keepHead?: number;
  /** Deeper nesting is an error (default 512). */
  maxDepth?: number;
}

export type RootShape = 'events-object' | 'history-object' | 'array' | 'other-object' | 'scalar';

// frame kinds: bit 0 array, bit 1 skipped (measured, not built), bit 2 the events array
const OBJECT = 0;
const ARRAY = 1;
const SKIPPED = 2;
const EVENTS = 5;

// what the parser expects next
const VALUE = 0;
const VALUE_OR_END = 1;
const KEY_OR_END = 2;
const KEY = 3;
const COMMA_OR_END = 5;
const DONE = 6;

export class JsonEventStream {
  private text = '';
  private pos = 0;
  /** Byte offset of text[0] in the file. */
  private base = 0;
  private ascii = true;
  private expect = VALUE;
  private depth = 0;
  private readonly kinds: number[] = [];
  private readonly values: unknown[] = [];
  private readonly keys: (string | null)[] = [];
  private readonly keyFlags: number[] = [];
  private eventIndex = 0;
  /** Depth of the events array frame + 1 (the depth of an event object's own frame), 0 if none. */
  private eventDepth = 0;
  private eventSize = 0;
  private sawEvents = false;
  private rootShape: RootShape | null = null;
  /** A long string cut by a chunk boundary. */
  private longString: { length: number; head: string | undefined; tail: string } | null = null;
  private readonly maxStringLength: number;
  private readonly keepHead: number;
  private readonly maxDepth: number;

  constructor(private readonly options: JsonEventStreamOptions) {
    this.maxStringLength = options.maxStringLength ?? 256;
    this.keepHead = options.keepHead ?? 0;
    this.maxDepth = options.maxDepth ?? 512;
  }

  /**
   * Feeds the next bytes of the file. The chunk may be reused by the caller afterwards. A token
   * cut by the chunk end is carried over as bytes, so the text the parser scans is always one
   * flat string (a concatenated string would make every character access slow).
   */
  write(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.pos < this.text.length) {
      const carried = Buffer.from(this.text.slice(this.pos), 'latin1');
      bytes = Buffer.concat([carried, chunk]);
      this.base += this.pos;
    } else {
      this.base += this.text.length;
      this.ascii = true;
    }
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = buffer.toString('latin1');
    this.ascii = this.ascii && isAscii(buffer);
    this.pos = 0;
    if (this.longString) this.continueLongString();
    this.run(false);
  }

  /** Ends the input; throws JsonStreamError when the JSON is incomplete. */
  end(): { shape: RootShape; events: number; sawEventsArray: boolean } {
    this.run(true);
    const total = this.base + this.text.length;
    if (this.expect !== DONE) {
      const onlyWhitespace = this.depth === 0 && this.rootShape === null && !this.longString && this.pos >= this.text.length;
      if (onlyWhitespace) throw new JsonStreamError('empty file', 0);
      throw new JsonStreamError(`truncated JSON at byte ${total}`, total);
    }
    return { shape: this.rootShape ?? 'scalar', events: this.eventIndex, sawEventsArray: this.sawEvents };
  }

  private fail(message: string, pos: number): never {
    throw new JsonStreamError(`${message} at byte ${this.base + pos}`, this.base + pos);
  }

  private run(final: boolean): void {
    if (this.longString) return;
    const text = this.text;
    const n = text.length;
    let pos = this.pos;
    for (;;) {
      let c = text.charCodeAt(pos);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++pos);
      if (pos >= n) break;
      const expect = this.expect;
      if (expect === COMMA_OR_END) {
        const isObject = (this.kinds[this.depth - 1]! & ARRAY) === 0;
        if (c === 44) {
          this.expect = isObject ? KEY : VALUE;
          pos++;
        } else if (c === (isObject ? 125 : 93)) {
          pos++;
          this.close();
        } else {
          this.fail(`expected ',' or '${isObject ? '}' : ']'}' but found ${describe(c)}`, pos);
        }
        continue;
      }
      if (expect === KEY || expect === KEY_OR_END) {
        if (c === 34) {
          // the key, then the colon (both must be in this chunk, or we wait for the next one)
          const q = this.key(pos + 1);
          if (q === -1) break;
          let after = q + 1;
          let d = text.charCodeAt(after);
          while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++after);
          if (after >= n) {
            if (final) this.fail('truncated JSON', n);
            break;
          }
          if (d !== 58) this.fail(`expected ':' but found ${describe(d)}`, after);
          this.expect = VALUE;
          pos = after + 1;
        } else if (c === 125 && expect === KEY_OR_END) {
          pos++;
          this.close();
        } else {
          this.fail(`expected a property name but found ${describe(c)}`, pos);
        }
        continue;
      }
      if (expect === DONE) this.fail(`unexpected ${describe(c)} after the end of the JSON value`, pos);
      // VALUE or VALUE_OR_END
      if (c === 34) {
        const end = this.readString(pos, final);
        if (end === -1) break;
        if (end === -2) {
          pos = n;
          break;
        }
        pos = end;
      } else if (c === 123) {
        this.open(OBJECT, pos);
        pos++;
      } else if (c === 91) {
        this.open(ARRAY, pos);
        pos++;
      } else if (c === 93 && expect === VALUE_OR_END) {
        pos++;
        this.close();
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        let end = pos + 1;
        let d = text.charCodeAt(end);
        while ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) d = text.charCodeAt(++end);
        if (end >= n && !final) break;
        if (this.inEvent()) this.eventSize += numberFieldSize(end - pos);
        if (this.keepScalar()) {
          const value = Number(text.slice(pos, end));
          if (Number.isNaN(value)) this.fail(`invalid number "${clip(text.slice(pos, end))}"`, pos);
          this.store(value);
        }
        this.afterValue();
        pos = end;
      } else if (c === 116 || c === 102 || c === 110) {
        const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
        if (pos + word.length > n && !final && word.startsWith(text.slice(pos))) break;
        if (!text.startsWith(word, pos)) this.fail(`unexpected ${describe(c)}`, pos);
        if (c !== 110 && this.inEvent()) this.eventSize += 2;
        if (this.keepScalar()) this.store(c === 116 ? true : c === 102 ? false : null);
        this.afterValue();
        pos += word.length;
      } else {
        this.fail(`unexpected ${describe(c)}`, pos);
      }
    }
    this.pos = pos;
  }

  /**
   * Reads the key whose characters start at `from` into the current frame (with its flags) and
   * returns the position of its closing quote, or -1 when it is cut by the chunk end.
   */
  private key(from: number): number {
    const q = readKey(this.text, from, this.ascii);
    if (q === -2) this.fail('invalid escape or control character in a string', from);
    if (q === -1) return -1;
    this.keys[this.depth - 1] = lastKey;
    this.keyFlags[this.depth - 1] = lastKeyFlags;
    return q;
  }

  /** Inside an event: its fields count towards its size. */
  private inEvent(): boolean {
    return this.eventDepth !== 0 && this.depth >= this.eventDepth;
  }

  /** Whether a scalar at the current position is kept (see field-flags.ts). */
  private keepScalar(): boolean {
    const frame = this.depth - 1;
    if (frame < 0) return false;
    const kind = this.kinds[frame];
    if (kind === EVENTS) return true;
    if (kind !== OBJECT) return false;
    return (this.keyFlags[frame]! & KEEP) !== 0 || (frame > 0 && (this.keyFlags[frame - 1]! & METADATA) !== 0);
  }

  private currentFlags(): number {
    const frame = this.depth - 1;
    return frame >= 0 && (this.kinds[frame]! & ARRAY) === 0 ? this.keyFlags[frame]! : 0;
  }

  private parentFlags(): number {
    const frame = this.depth - 2;
    return frame >= 0 && (this.kinds[frame]! & ARRAY) === 0 ? this.keyFlags[frame]! : 0;
  }

  /**
   * Reads the string value starting at the quote at `start`. Returns the position after the
   * closing quote; -1 when a short string is cut by the chunk end and must wait for more input;
   * -2 when a long string continues in the next chunk (state kept in longString).
   */
  private readString(start: number, final: boolean): number {
    const text = this.text;
    const q = findQuote(text, start + 1);
    if (q === -1) {
      if (final) return -1;
      const length = text.length - start - 1;
      if (length <= this.maxStringLength) return -1;
      this.longString = {
        length,
        head: this.keepHead ? text.slice(start + 1, start + 1 + this.keepHead) : undefined,
        tail: text.slice(Math.max(start + 1, text.length - 16)),
      };
      return -2;
    }
    const length = q - start - 1;
    const long = length > this.maxStringLength;
    if (this.inEvent()) {
      this.eventSize += long
        ? 3 + (this.currentFlags() & DATA || this.parentFlags() & METADATA ? base64DecodedLengthAt(text, start + 1, q) : length)
        : stringFieldSize(text, start + 1, q, this.currentFlags(), this.parentFlags(), this.keys[this.depth - 1]?.length ?? 0);
    }
    if (this.keepScalar()) {
      if (long) {
        const head = this.keepHead ? this.capture(start + 1, Math.min(q, start + 1 + this.keepHead), true) : undefined;
        this.store(new OmittedString(length, base64DecodedLengthAt(text, start + 1, q), head));
      } else {
        this.store(this.capture(start + 1, q));
      }
    }
    this.afterValue();
    return q + 1;
  }

  private continueLongString(): void {
    const text = this.text;
    const long = this.longString!;
    let q = text.indexOf('"', 0);
    while (q !== -1 && isEscapedAcross(long.tail, text, q)) q = text.indexOf('"', q + 1);
    if (q === -1) {
      long.length += text.length;
      long.tail = (long.tail + text.slice(Math.max(0, text.length - 16))).slice(-16);
      this.pos = text.length;
      return;
    }
    const length = long.length + q;
    const tail = (long.tail + text.slice(Math.max(0, q - 16), q)).slice(-16);
    this.longString = null;
    this.pos = q + 1;
    const value = new OmittedString(length, base64DecodedLength(length, tail), long.head);
    if (this.inEvent()) this.eventSize += omittedFieldSize(value, this.currentFlags(), this.parentFlags());
    if (this.keepScalar()) this.store(value);
    this.afterValue();
  }

  private capture(from: number, to: number, lenientEscapes = false): string {
    const s = captureText(this.text, from, to, this.ascii, lenientEscapes);
    if (s === undefined) this.fail('invalid escape or control character in a string', from);
    return s;
  }

  private open(kind: number, pos: number): void {
    const depth = this.depth;
    if (depth >= this.maxDepth) this.fail(`JSON nested deeper than ${this.maxDepth} levels`, pos);
    let value: unknown = null;
    if (depth > 0 && ((this.kinds[depth - 1]! & SKIPPED) !== 0 || (this.currentFlags() & SKIP) !== 0)) {
      kind |= SKIPPED;
    } else if (kind === ARRAY && this.eventDepth === 0 && this.isEventsArray()) {
      kind = EVENTS;
      this.sawEvents = true;
      this.eventDepth = depth + 2;
    } else {
      value = kind === OBJECT ? {} : [];
    }
    if (depth + 1 === this.eventDepth) this.eventSize = 0;
    else if (this.eventDepth !== 0 && depth >= this.eventDepth) this.eventSize += CONTAINER_BYTES;
    if (depth === 0 && this.rootShape === null) this.rootShape = kind === OBJECT ? 'other-object' : 'array';
    this.kinds[depth] = kind;
    this.values[depth] = value;
    this.keys[depth] = null;
    this.keyFlags[depth] = 0;
    this.depth = depth + 1;
    this.expect = (kind & ARRAY) === 0 ? KEY_OR_END : VALUE_OR_END;
  }

  /** `[...]`, `{"events": [...]}` and `{"history": {"events": [...]}}` (TEMPORAL-FACTS.md section 8). */
  private isEventsArray(): boolean {
    const depth = this.depth;
    if (depth === 0) return true;
    if (this.keys[depth - 1] !== 'events' || this.kinds[depth - 1] !== OBJECT) return false;
    if (depth === 1) {
      this.rootShape = 'events-object';
      return true;
    }
    if (depth === 2 && this.keys[0] === 'history' && this.kinds[0] === OBJECT) {
      this.rootShape = 'history-object';
      return true;
    }
    return false;
  }

  private close(): void {
    const depth = --this.depth;
    const kind = this.kinds[depth]!;
    const value = this.values[depth];
    this.values[depth] = undefined;
    if (kind === EVENTS) this.eventDepth = 0;
    else if ((kind & SKIPPED) === 0) this.store(value);
    this.afterValue();
  }

  private afterValue(): void {
    if (this.depth === 0) {
      this.rootShape ??= 'scalar';
      this.expect = DONE;
    } else {
      this.expect = COMMA_OR_END;
    }
  }

  /** Puts a finished value into its parent: object property, array element, or an event out. */
  private store(value: unknown): void {
    const depth = this.depth;
    if (depth === 0) return;
    const kind = this.kinds[depth - 1];
    if (kind === OBJECT) {
      const key = this.keys[depth - 1]!;
      if (key !== '__proto__') (this.values[depth - 1] as Record<string, unknown>)[key] = value;
    } else if (kind === ARRAY) {
      (this.values[depth - 1] as unknown[]).push(value);
    } else if (kind === EVENTS) {
      this.options.onEvent(value, this.eventIndex++, this.eventSize);
      this.eventSize = 0;
    }
  }
}

function isEscapedAcross(previousTail: string, text: string, quote: number): boolean {
  let backslashes = 0;
  while (quote - 1 - backslashes >= 0 && text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
  if (backslashes === quote) {
    for (let i = previousTail.length - 1; i >= 0 && previousTail.charCodeAt(i) === 92; i--) backslashes++;
  }
  return (backslashes & 1) === 1;
}

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}...` : text;
}
