// Runs the history reader over JSON text written to a temporary file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventNormalizer } from '../../src/model/history/event-normalizer.js';
import { readHistoryFile, type ReadHistoryResult } from '../../src/model/history/read-history-file.js';
import type { HistoryEventFacts } from '../../src/model/history/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-history-'));
let counter = 0;
/** Every text parsed so far, for comparing the streaming parser with a full JSON.parse. */
export const parsedTexts: string[] = [];

export function parseText(text: string | Buffer, options: { showPayloads?: boolean; chunkBytes?: number } = {}): { result: ReadHistoryResult; facts: HistoryEventFacts[] } {
  const file = path.join(dir, `h${counter++}.json`);
  parsedTexts.push(String(text));
  fs.writeFileSync(file, text);
  const facts: HistoryEventFacts[] = [];
  const result = readHistoryFile(file, 'history.json', {
    onEvent: (event) => facts.push(event),
    showPayloads: options.showPayloads ?? false,
    ...(options.chunkBytes ? { buffer: Buffer.alloc(options.chunkBytes) } : {}),
  });
  return { result, facts };
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
