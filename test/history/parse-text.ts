// Runs the history reader over JSON text written to a temporary file.

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { EventNormalizer } from '../../src/model/history/event-normalizer.js';
import { readHistoryFile, type ReadHistoryResult } from '../../src/model/history/read-history-file.js';
import type { HistoryEventFacts } from '../../src/model/history/types.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

// removed when the importing test file ends
const dir = scratchFolderForSuite('history');
let counter = 0;
/** Every text parsed so far, for comparing the streaming parser with a full JSON.parse. */
export const parsedTexts: string[] = [];

/**
 * Reads the text with the whole-file reader (or, with chunkBytes, the streaming parser in chunks
 * of that size) and checks that the other parser gives exactly the same result and facts.
 */
export function parseText(text: string | Buffer, options: { showPayloads?: boolean; chunkBytes?: number } = {}): { result: ReadHistoryResult; facts: HistoryEventFacts[] } {
  const file = path.join(dir, `h${counter++}.json`);
  parsedTexts.push(String(text));
  fs.writeFileSync(file, text);
  const read = (stream: boolean) => {
    const facts: HistoryEventFacts[] = [];
    const result = readHistoryFile(file, 'history.json', {
      onEvent: (event) => facts.push(event),
      showPayloads: options.showPayloads ?? false,
      ...(stream ? { wholeFileBytes: 0 } : {}),
      ...(stream && options.chunkBytes ? { buffer: Buffer.alloc(options.chunkBytes) } : {}),
    });
    return { result, facts };
  };
  const streamed = read(true);
  const whole = read(false);
  expect(withoutReader(whole.result)).toEqual(withoutReader(streamed.result));
  expect(whole.facts).toEqual(streamed.facts);
  return options.chunkBytes ? streamed : whole;
}

/** The result without the name of the parser that produced it. */
export function withoutReader(result: ReadHistoryResult): unknown {
  if (!result.ok) return result;
  const { reader: _reader, ...rest } = result;
  return rest;
}

export function reasonOf(text: string | Buffer): string {
  const { result } = parseText(text);
  return result.ok ? 'ok' : result.reason;
}

/** Facts from a full JSON.parse of the text and the same normalizer (the reference). */
export function referenceFacts(text: string): HistoryEventFacts[] {
  const parsed = JSON.parse(text) as unknown;
  const root = parsed as { events?: unknown[]; history?: { events?: unknown[] } };
  const events = Array.isArray(parsed) ? parsed : (root.events ?? root.history?.events ?? []);
  const normalizer = new EventNormalizer();
  const facts: HistoryEventFacts[] = [];
  events.forEach((raw, index) => {
    const normalized = normalizer.normalize(raw, index);
    if ('facts' in normalized) facts.push(normalized.facts);
  });
  return facts;
}
