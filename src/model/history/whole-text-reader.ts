// Fast path of the history reader for files that fit comfortably in memory (most histories do).
// The file is read into the memory of a WebAssembly scanner (assembly/history-scanner.ts, built
// by `npm run build`), which walks every token, estimates each event's protobuf size and leaves a
// tape of only the values the normalizer reads; this module builds the event objects from that
// tape. Walking tokens in WebAssembly costs a fraction of doing it in JavaScript, which is what
// the history benchmark's target against the SDK's historyFromJSON needs (docs/benchmarks.md).
//
// It builds exactly the values the streaming parser (json-event-stream.ts) builds: the same kept
// scalars, OmittedString for long strings, skipped objects, and the same size per event; tests
// compare the two on every shared history, on thousands of mutants and on large generated
// histories. In addition, the attributes of bookkeeping events (workflow task and timer events),
// which the normalizer never reads, are measured but not built.
//
// Anything unusual (a syntax error, nesting over 400 levels, a value the tape cannot hold) makes
// it give up, and the caller parses the file again with the streaming parser, which knows how to
// describe the problem. So this reader never accepts a file the streaming parser rejects. When the
// WebAssembly module is missing (a build that skipped it), every file is streamed.

import fs from 'node:fs';
import { isBookkeepingEvent } from './event-normalizer.js';
import { normalizeEventType } from './event-types.js';
import { fieldFlags } from './field-flags.js';
import { captureText, internalized } from './json-text.js';
import { OmittedString } from './omitted-string.js';
import type { JsonEventStreamOptions } from './json-event-stream.js';

const WASM_FILE = 'history-scanner.wasm';
const NO_BYTES = Buffer.alloc(0);

// The little of the WebAssembly API used here (the project's libs do not declare it).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: unknown;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  interface Global {
    readonly value: unknown;
  }
}

// Must match assembly/history-scanner.ts.
const EVENT_TYPE = 128;
const EVENTS = 256;
const HISTORY = 512;
const BOOKKEEPING = 1024;
const TIME = 2048;
const FLAG_BITS = 12;
const MAX_NAME_LENGTH = (1 << (31 - FLAG_BITS)) - 1;
const OP_STR = 1;
const OP_NAME = 2;
const OP_LONG = 3;
const OP_NUM = 4;
const OP_TRUE = 5;
const OP_FALSE = 6;
const OP_NULL = 7;
const OP_OBJECT = 8;
const OP_ARRAY = 9;
const OP_END = 10;
const OP_DIGITS = 11;
const OP_EVENT = 12;
const OP_TIME = 14;
const STEP_DONE = 0;

/** The constants above, for the test that compares them with the scanner's source. */
export const SCANNER_CONSTANTS: Readonly<Record<string, number>> = { EVENT_TYPE, EVENTS, HISTORY, BOOKKEEPING, TIME, FLAG_BITS, OP_STR, OP_NAME, OP_LONG, OP_NUM, OP_TRUE, OP_FALSE, OP_NULL, OP_OBJECT, OP_ARRAY, OP_END, OP_DIGITS, OP_EVENT, OP_TIME, STEP_DONE };

interface ScannerExports {
  memory: WebAssembly.Memory;
  MAX_NAMES: WebAssembly.Global;
  TAPE_INTS: WebAssembly.Global;
  TEXT_BYTES: WebAssembly.Global;
  prepare(bytes: number): number;
  resetNames(): void;
  nameCount(): number;
  tape(): number;
  tapeLength(): number;
  text(): number;
  textLength(): number;
  begin(length: number, maxStringLength: number): void;
  step(): number;
}

type Container = Record<string, unknown> | unknown[];

/** The WebAssembly scanner: one per process, reused for every file (its name table with it). */
export class HistoryScanner {
  private readonly wasm: ScannerExports;
  private readonly maxNames: number;
  /** Name ids (object keys and repeated values) to their JavaScript strings; id 0 is no name. */
  private readonly names: string[] = [''];
  private memory: ArrayBuffer | null = null;
  private tape = new Int32Array(0);
  private textArea: Buffer = NO_BYTES;
  /** The file being read, for newName. */
  private current: Buffer = NO_BYTES;
  private currentAscii = true;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      env: { newName: (id: number, from: number, to: number, isKey: number) => this.newName(id, from, to, isKey !== 0) },
    });
    this.wasm = instance.exports as unknown as ScannerExports;
    this.maxNames = this.wasm.MAX_NAMES.value as number;
  }

  /** Bytes input() gives without growing the memory (at least 1 MiB; the largest size asked for so far). */
  capacity = 1 << 20;

  /**
   * Where to read a file of up to `size` bytes: a buffer in the scanner's memory; null when the
   * memory cannot grow. Growing keeps what an earlier buffer of this file holds.
   */
  input(size: number): Buffer | null {
    let at: number;
    try {
      at = this.wasm.prepare(size);
    } catch {
      return null;
    }
    if (at === 0) return null;
    if (size > this.capacity) this.capacity = size;
    const memory = this.wasm.memory.buffer;
    if (memory !== this.memory) {
      this.memory = memory;
      this.tape = new Int32Array(memory, this.wasm.tape(), this.wasm.TAPE_INTS.value as number);
      this.textArea = Buffer.from(memory, this.wasm.text(), this.wasm.TEXT_BYTES.value as number);
    }
    return Buffer.from(memory, at, size);
  }

  /**
   * Reads the file in `bytes` (from input()) and hands every event to options.onEvent. Null when
   * it gave up (the caller then uses the streaming parser); also null when the file has no events
   * array, so that the streaming parser words that reason. Errors thrown by onEvent also make it
   * give up.
   */
  read(bytes: Buffer, ascii: boolean, options: JsonEventStreamOptions): { events: number } | null {
    // a table filled by some earlier file's odd keys starts over, so that later files fit
    if (this.wasm.nameCount() > (this.maxNames * 3) / 4) {
      this.wasm.resetNames();
      this.names.length = 1;
    }
    this.current = bytes;
    this.currentAscii = ascii;
    const builder = new TapeBuilder(bytes, ascii, options.keepHead ?? 0, this.names);
    const wasm = this.wasm;
    wasm.begin(bytes.length, options.maxStringLength ?? 256);
    let events = 0;
    try {
      for (;;) {
        const step = wasm.step();
        if (step < 0) return null;
        const tape = this.tape;
        const length = wasm.tapeLength();
        const textLength = wasm.textLength();
        builder.text = textLength === 0 ? '' : this.textArea.toString('latin1', 0, textLength);
        let i = 0;
        while (i < length) {
          const head = tape[i++]!;
          if (head === OP_EVENT) {
            const size = tape[i++]!;
            const event = builder.build(tape, i);
            if (event === null) return null;
            i = builder.next;
            options.onEvent(event, events++, size);
          } else {
            // OP_MEMBER: built and dropped, as the streaming parser does, so that it is checked the same way
            if (builder.build(tape, i) === null) return null;
            i = builder.next;
          }
        }
        if (step === STEP_DONE) return { events };
      }
    } catch {
      // a NotAHistoryError from onEvent, a RangeError: the streaming parser decides
      return null;
    } finally {
      this.current = NO_BYTES;
    }
  }

  /**
   * Called by the scanner for a name it has not seen (the bytes [from, to) of the file; a key, or
   * a repeated value such as an event type): keeps its JavaScript string and returns its flags and
   * length, or -1 to give up (an invalid escape).
   */
  private newName(id: number, from: number, to: number, isKey: boolean): number {
    const name = captureText(this.current.toString('latin1', from, to), 0, to - from, this.currentAscii, false);
    if (name === undefined || name.length > MAX_NAME_LENGTH) return -1;
    const value = internalized(name);
    this.names[id] = value;
    let flags = fieldFlags(value);
    if (value === 'eventType') flags |= EVENT_TYPE;
    if (value === 'events') flags |= EVENTS;
    if (value === 'history') flags |= HISTORY;
    if (value === 'eventTime') flags |= TIME;
    if (!isKey) {
      const type = normalizeEventType(value);
      if (type !== null && isBookkeepingEvent(type)) flags |= BOOKKEEPING;
    }
    return flags | (value.length << FLAG_BITS);
  }
}

/** Builds the values on the scanner's tape; kept strings and numbers come from its text area. */
class TapeBuilder {
  /** The text area of the current step, as latin1 text (one char per byte). */
  text = '';
  /** Where the last build() stopped on the tape. */
  next = 0;
  private readonly stack: Container[] = [];

  constructor(
    private readonly bytes: Buffer,
    private readonly ascii: boolean,
    private readonly keepHead: number,
    private readonly names: string[],
  ) {}

  /**
   * The members recorded from tape[start] to their OP_END, as an object (next: the position after
   * that OP_END); null to give up (an invalid escape or number).
   */
  build(tape: Int32Array, start: number): Record<string, unknown> | null {
    const names = this.names;
    const text = this.text;
    const root: Record<string, unknown> = {};
    const stack = this.stack;
    let depth = 0;
    let container: Container = root;
    let i = start;
    for (;;) {
      const head = tape[i++]!;
      const op = head & 15;
      let value: unknown;
      switch (op) {
        case OP_NAME:
          value = names[tape[i++]!];
          break;
        case OP_TIME:
          // epoch milliseconds, as the normalizer would have parsed the text (it takes either)
          timeBits[0] = tape[i++]!;
          timeBits[1] = tape[i++]!;
          value = timeValue[0];
          break;
        case OP_DIGITS:
          value = digitText(tape[i++]!);
          break;
        case OP_STR: {
          const at = tape[i++]!;
          value = captureText(text, at, at + tape[i++]!, this.ascii, false);
          if (value === undefined) return null;
          break;
        }
        case OP_NUM: {
          const at = tape[i++]!;
          value = Number(text.slice(at, at + tape[i++]!));
          if (Number.isNaN(value)) return null;
          break;
        }
        case OP_LONG: {
          const from = tape[i++]!;
          const to = tape[i++]!;
          const base64Bytes = tape[i++]!;
          let preview: string | undefined;
          if (this.keepHead > 0) {
            const head = this.bytes.toString('latin1', from, Math.min(from + this.keepHead, to));
            preview = captureText(head, 0, head.length, this.ascii, true);
          }
          value = new OmittedString(to - from, base64Bytes, preview);
          break;
        }
        case OP_OBJECT:
          value = {};
          break;
        case OP_ARRAY:
          value = [];
          break;
        case OP_END:
          if (depth === 0) {
            this.next = i;
            return root;
          }
          depth--;
          container = stack.pop()!;
          continue;
        case OP_TRUE:
          value = true;
          break;
        case OP_FALSE:
          value = false;
          break;
        case OP_NULL:
          value = null;
          break;
        default:
          return null;
      }
      const id = head >>> 4;
      if (id === 0) {
        (container as unknown[]).push(value);
      } else {
        const key = names[id]!;
        if (key !== '__proto__') (container as Record<string, unknown>)[key] = value;
      }
      if (op === OP_OBJECT || op === OP_ARRAY) {
        stack.push(container);
        depth++;
        container = value as Container;
      }
    }
  }
}

/** An f64 from the two halves of its bits. */
const timeValue = new Float64Array(1);
const timeBits = new Int32Array(timeValue.buffer);

/** Decimal texts of small numbers (event ids), made once each. */
const digitTexts: string[] = [];
const DIGIT_TEXTS = 1 << 20;

function digitText(n: number): string {
  if (n >= DIGIT_TEXTS) return String(n);
  return (digitTexts[n] ??= String(n));
}

let scanner: HistoryScanner | null | undefined;

/** The process's scanner, loaded on first use; null when its WebAssembly module is missing. */
export function historyScanner(): HistoryScanner | null {
  // next to this module in dist/; from the sources (tests), in the built dist/
  if (scanner === undefined) scanner = loadHistoryScanner([new URL(`./${WASM_FILE}`, import.meta.url), new URL(`../../../dist/model/history/${WASM_FILE}`, import.meta.url)]);
  return scanner;
}

/** A scanner from the first of these module files that exists; null when none does or it is damaged. */
export function loadHistoryScanner(candidates: readonly URL[]): HistoryScanner | null {
  for (const candidate of candidates) {
    let wasm: Buffer;
    try {
      wasm = fs.readFileSync(candidate);
    } catch {
      continue;
    }
    try {
      return new HistoryScanner(new WebAssembly.Module(wasm));
    } catch {
      return null;
    }
  }
  return null;
}
