import { describe, expect, it } from 'vitest';
import { runsReplay } from '../../../src/model/typescript/sandbox/replay-test-usage.js';

describe('runsReplay', () => {
  it('finds Worker.runReplayHistory and runReplayHistories', () => {
    expect(runsReplay("import { Worker } from '@temporalio/worker';\nawait Worker.runReplayHistory(opts, history);")).toBe(true);
    expect(runsReplay('await Worker.runReplayHistories(opts, histories);')).toBe(true);
    expect(runsReplay("const { Worker } = require('@temporalio/worker');\nawait Worker\n  .runReplayHistories (opts, h);")).toBe(true);
  });

  it('finds the temporal-preflight replay command in package scripts and CI jobs', () => {
    expect(runsReplay('{ "scripts": { "test:replay": "temporal-preflight replay --workflows src/workflows.ts test/histories" } }')).toBe(true);
    expect(runsReplay('      - run: npx temporal-preflight  replay --workflows lib/workflows.js test/histories')).toBe(true);
    expect(runsReplay('{ "scripts": { "check": "temporal-preflight check ." } }')).toBe(false);
  });

  it('ignores mentions that are not replayer calls', () => {
    expect(runsReplay('// TODO: add runReplayHistory test')).toBe(false);
    expect(runsReplay("import { TestWorkflowEnvironment } from '@temporalio/testing';")).toBe(false);
    expect(runsReplay('export function runReplayHistory(x) { return x; } runReplayHistory(1);')).toBe(false);
  });
});
