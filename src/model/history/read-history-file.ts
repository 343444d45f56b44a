// Reads one history file and folds it into an ExecutionSummary. Files up to WHOLE_FILE_BYTES are
// read whole by the fast WebAssembly scanner (whole-text-reader.ts); larger ones, and any file it
// gives up on, are streamed in fixed-size chunks by JsonEventStream. Any problem (unreadable, not
// JSON, truncated, not a history) becomes a one-line reason; the caller reports it with the file
// and moves on.

import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import { fileProblem } from '../../engine/bounded-file.js';
import { EventNormalizer, NotAHistoryError } from './event-normalizer.js';
import { ExecutionSummarizer } from './execution-summarizer.js';
import { JsonEventStream, JsonStreamError, type JsonEventStreamOptions } from './json-event-stream.js';
import type { ExecutionSummary, HistoryEventFacts } from './types.js';
import { historyScanner } from './whole-text-reader.js';

/** Bytes read at a time by the streaming parser: small enough for the chunk text to stay in V8's young generation. */
export const CHUNK_BYTES = 64 * 1024;
/** Files up to this size are read whole by the faster whole-file reader; larger ones are streamed. */
export const WHOLE_FILE_BYTES = 16 * 1024 * 1024;
/** Base64 characters kept of long payloads when previews are asked for. */
const PREVIEW_HEAD = 128;

export interface ReadHistoryOptions {
  /** Keep a truncated preview of payload contents (--show-payloads). */
  showPayloads?: boolean;
  /** Receives every normalized event (not retained by the reader). */
  onEvent?: (event: HistoryEventFacts) => void;
  /** Reused between files to avoid allocating a chunk buffer per file. */
  buffer?: Buffer;
  /** Files up to this size are read whole (default WHOLE_FILE_BYTES); 0 always streams. */
  wholeFileBytes?: number;
}

/** `reader`: which parser read the file ('whole': the fast whole-file reader; 'stream': chunk by chunk). */
export type ReadHistoryResult = { ok: true; summary: ExecutionSummary; reader: 'whole' | 'stream' } | { ok: false; reason: string };

/** `file` is the absolute path to read; `label` is the path used in the summary and messages. */
export function readHistoryFile(file: string, label: string, options: ReadHistoryOptions = {}): ReadHistoryResult {
  // a named pipe would block the open forever, a device never ends: only regular files are read
  const problem = fileProblem(file);
  if (problem) return { ok: false, reason: problem.includes(' ') ? problem : `cannot read the file (${problem})` };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    return { ok: false, reason: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const result = readOpenFile(fd, label, options);
    // a file in another encoding or format fails at its first bytes: name what it is
    return result.ok ? result : { ok: false, reason: otherFormat(fd) ?? result.reason };
  } finally {
    fs.closeSync(fd);
  }
}

function readOpenFile(fd: number, label: string, options: ReadHistoryOptions): ReadHistoryResult {
  try {
    const wholeFileBytes = options.wholeFileBytes ?? WHOLE_FILE_BYTES;
    if (wholeFileBytes > 0) {
      const whole = readWhole(fd, wholeFileBytes, label, options);
      if (whole) return whole;
      // too large for the whole-file reader, or it gave up: the streaming parser reads the file
      // again (and says why)
    }
    const run = newRun(label, fs.fstatSync(fd).size, options, 'stream');
    const stream = new JsonEventStream(run.parserOptions);
    const buffer = options.buffer ?? Buffer.allocUnsafe(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      stream.write(read === buffer.length ? buffer : buffer.subarray(0, read));
    }
    const outcome = stream.end();
    if (!outcome.sawEventsArray) {
      return { ok: false, reason: outcome.shape === 'scalar' ? 'not a history: the file holds a single JSON value, not an object with an events array' : 'not a history: no events array' };
    }
    return run.finish(outcome.events);
  } catch (error) {
    if (error instanceof JsonStreamError || error instanceof NotAHistoryError) return { ok: false, reason: error.message };
    if (error instanceof RangeError) return { ok: false, reason: `too large or too deeply nested to analyze (${error.message})` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return { ok: false, reason: `cannot read the file (${code})` };
    throw error;
  }
}

/** What a file that is not UTF-8 JSON is, from its first bytes; undefined when it looks like JSON. */
function otherFormat(fd: number): string | undefined {
  const head = Buffer.alloc(64 * 1024);
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, head.length, 0);
  } catch {
    return undefined;
  }
  const bytes = head.subarray(0, read);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'UTF-8 with a byte order mark; a history file is JSON without one (remove the first 3 bytes)';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'UTF-16 text; a history file is UTF-8 JSON (convert it, e.g. iconv -f UTF-16 -t UTF-8)';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip-compressed; decompress it first (gunzip)';
  // one JSON object per line: a first line that closes an object, the next opening one
  if (/^\s*\{[^\n]*\}[ \t\r]*\n\s*\{/.test(bytes.toString('utf8'))) return 'one JSON value per line (NDJSON); a history file is one JSON object with an events array';
  return undefined;
}

/** One attempt at reading a file: its normalizer and summarizer, fresh for each attempt. */
function newRun(label: string, size: number, options: ReadHistoryOptions, reader: 'whole' | 'stream', deliver = options.onEvent) {
  const normalizer = new EventNormalizer({ withPreview: options.showPayloads ?? false });
  const summarizer = new ExecutionSummarizer(label, size);
  let known = 0;
  const parserOptions: JsonEventStreamOptions = {
    keepHead: options.showPayloads ? PREVIEW_HEAD : 0,
    onEvent(raw, index, sizeBytes) {
      const normalized = normalizer.normalize(raw, index, sizeBytes);
      if ('skipped' in normalized) {
        summarizer.skip(normalized.skipped);
        return;
      }
      known++;
      summarizer.add(normalized.facts);
      deliver?.(normalized.facts);
    },
  };
  return {
    parserOptions,
    finish(events: number): ReadHistoryResult {
      if (events === 0) return { ok: false, reason: 'not a history: the events array is empty' };
      if (known === 0) return { ok: false, reason: `not a history: none of the ${events} events has a Temporal event type` };
      return { ok: true, summary: summarizer.finish(), reader };
    },
  };
}

/**
 * The fast path, for files up to `limit` bytes: null when the file is larger or the whole-file
 * reader gave up (the caller streams the file instead). The file is read until its end into the
 * scanner's memory, which grows as needed; only a file that fills it is asked for its size (one
 * system call less for most files).
 */
function readWhole(fd: number, limit: number, label: string, options: ReadHistoryOptions): ReadHistoryResult | null {
  const scanner = historyScanner();
  if (!scanner) return null;
  let capacity = Math.min(scanner.capacity, limit + 1);
  let input = scanner.input(capacity);
  let filled = 0;
  while (input) {
    const read = fs.readSync(fd, input, filled, capacity - filled, filled);
    if (read === 0) break;
    filled += read;
    if (filled === capacity) {
      // a large file: its size tells whether it fits, and how much room to make
      const size = fs.fstatSync(fd).size;
      if (filled > limit || size > limit) return null;
      // the memory grows in place: what was read stays where it is
      capacity = Math.min(Math.max(size + 1, 2 * capacity), limit + 1);
      input = scanner.input(capacity);
    }
  }
  if (!input) return null;
  const bytes = input.subarray(0, filled);
  // events are delivered only once the file is known to be read in full by this path
  const delivered: HistoryEventFacts[] | undefined = options.onEvent ? [] : undefined;
  const run = newRun(label, filled, options, 'whole', delivered ? (facts) => delivered.push(facts) : undefined);
  const outcome = scanner.read(bytes, isAscii(bytes), run.parserOptions);
  if (outcome === null) return null;
  const result = run.finish(outcome.events);
  if (delivered && options.onEvent) for (const facts of delivered) options.onEvent(facts);
  return result;
}
