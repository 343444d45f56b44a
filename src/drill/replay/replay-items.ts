// Replay inputs: history files (workflow id from the `fetch` file name when present) or
// histories streamed from a live namespace.

import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { ReplayItem } from './protocol.js';

export function itemsFromFiles(files: string[]): ReplayItem[] {
  return files.map((file, index) => ({ index, file, workflowId: workflowIdFromFileName(file) ?? `replay-${index}` }));
}

/** `fetch` writes `<workflowId>__<runId>.json` with each part URI-encoded. */
function workflowIdFromFileName(file: string): string | undefined {
  const match = /^(.+)__[^_]+\.json$/.exec(path.basename(file));
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

export async function itemsFromNamespace(client: Client, query: string | undefined, limit: number | undefined): Promise<ReplayItem[]> {
  const items: ReplayItem[] = [];
  const listing = client.workflow.list(query ? { query } : {});
  for await (const { workflowId, history } of listing.intoHistories()) {
    if (limit !== undefined && items.length >= limit) break;
    items.push({ index: items.length, workflowId, json: historyToJSON(history as Parameters<typeof historyToJSON>[0]) });
  }
  return items;
}
