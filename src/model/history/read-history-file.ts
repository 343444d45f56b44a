// Reads one history file in fixed-size chunks and folds it into an ExecutionSummary. Any problem
// (unreadable, not JSON, truncated, not a history) becomes a one-line reason; the caller reports
// it with the file and moves on to the next file.

import fs from 'node:fs';
import { EventNormalizer, NotAHistoryError } from './event-normalizer.js';
import { ExecutionSummarizer } from './execution-summarizer.js';
import { JsonEventStream, JsonStreamError } from './json-event-stream.js';
import type { ExecutionSummary, HistoryEventFacts } from './types.js';

/** Bytes read at a time: small enough for the chunk text to stay in V8's young generation. */
export const CHUNK_BYTES = 64 * 1024;
/** Base64 characters kept of long payloads when previews are asked for. */
const PREVIEW_HEAD = 128;

export interface ReadHistoryOptions {
  /** Keep a truncated preview of payload contents (--show-payloads). */
  showPayloads?: boolean;
  /** Receives every normalized event (not retained by the reader). */
  onEvent?: (event: HistoryEventFacts) => void;
  /** Reused between files to avoid allocating a chunk buffer per file. */
  buffer?: Buffer;
}

export type ReadHistoryResult = { ok: true; summary: ExecutionSummary } | { ok: false; reason: string };

/** `file` is the absolute path to read; `label` is the path used in the summary and messages. */
export function readHistoryFile(file: string, label: string, options: ReadHistoryOptions = {}): ReadHistoryResult {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    return { ok: false, reason: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const normalizer = new EventNormalizer({ withPreview: options.showPayloads ?? false });
    const summarizer = new ExecutionSummarizer(label, size);
    let known = 0;
    const stream = new JsonEventStream({
      keepHead: options.showPayloads ? PREVIEW_HEAD : 0,
      onEvent(raw, index, sizeBytes) {
        const normalized = normalizer.normalize(raw, index, sizeBytes);
        if ('skipped' in normalized) {
          summarizer.skip(normalized.skipped);
          return;
        }
        known++;
        summarizer.add(normalized.facts);
        options.onEvent?.(normalized.facts);
      },
    });
    const buffer = options.buffer ?? Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      stream.write(read === buffer.length ? buffer : buffer.subarray(0, read));
    }
    const outcome = stream.end();
    if (!outcome.sawEventsArray) {
      return { ok: false, reason: outcome.shape === 'scalar' ? 'not a history: the file holds a single JSON value, not an object with an events array' : 'not a history: no events array' };
    }
    if (outcome.events === 0) return { ok: false, reason: 'not a history: the events array is empty' };
    if (known === 0) return { ok: false, reason: `not a history: none of the ${outcome.events} events has a Temporal event type` };
    return { ok: true, summary: summarizer.finish() };
  } catch (error) {
    if (error instanceof JsonStreamError || error instanceof NotAHistoryError) return { ok: false, reason: error.message };
    if (error instanceof RangeError) return { ok: false, reason: `too large or too deeply nested to analyze (${error.message})` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return { ok: false, reason: `cannot read the file (${code})` };
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}
