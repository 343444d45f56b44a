// Replays recorded processOrder histories against the current workflow code, so a change that
// would break running orders (a reordered or removed activity call without `patched`) fails CI
// instead of production. Record a new history after each workflow change that ships:
//   temporal workflow show --workflow-id order-<id> --output json > test/histories/<name>.json

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';

const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../src/workflows.ts', import.meta.url));

it('replays every recorded processOrder history without a determinism error', async () => {
  const files = fs.readdirSync(historiesDir).filter((name) => name.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((name) => ({
    workflowId: name,
    history: JSON.parse(fs.readFileSync(path.join(historiesDir, name), 'utf8')) as unknown,
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
