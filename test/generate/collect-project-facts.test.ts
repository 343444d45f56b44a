// ProjectFacts from a real model: routing of activities to task queues, call counts, options.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { collectProjectFacts } from '../../src/generate/collect-project-facts.js';
import type { ProjectFacts } from '../../src/generate/project-facts.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';

let facts: ProjectFacts;
beforeAll(() => {
  const root = path.resolve(import.meta.dirname, '../fixtures/capacity-workers');
  facts = collectProjectFacts(buildTemporalModel({ root }).model, loadConfig(root).config, { runbookBase: 'https://wiki/runbooks/' });
});

describe('collectProjectFacts', () => {
  it('names the project, its task queues and the runbook base', () => {
    expect(facts.projectName).toBe('capacity-workers');
    expect(facts.taskQueues).toEqual(['bulk', 'checkout', 'payments', 'reports', 'spread', 'tuned']);
    expect(facts.runbookBase).toBe('https://wiki/runbooks');
    expect(facts.metricExport).toEqual({ countersTotalSuffix: false, unitSuffix: false, useSecondsForDurations: false });
  });

  it('routes each activity to its proxy queue or the workflow queue, with its options and call count', () => {
    const checkout = facts.workflows.find((w) => w.name === 'checkout')!;
    expect(checkout).toMatchObject({ file: 'src/workflows.ts', line: 7, taskQueues: ['checkout'], searchAttributes: [], failureTypes: [] });
    expect(checkout.activities.map((a) => [a.name, a.taskQueue, a.timeouts.startToClose, a.maximumAttempts, a.calls])).toEqual([
      ['chargeCard', 'payments', 30_000, null, 1],
      ['sendReceipt', 'checkout', 60_000, null, 1],
    ]);
    const batch = facts.workflows.find((w) => w.name === 'nightlyBatch')!;
    expect(batch.activities.map((a) => [a.name, a.calls])).toEqual([['generateReport', 'unknown']]);
  });
});
