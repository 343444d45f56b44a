import { describe, expect, it } from 'vitest';
import { callsReplayer } from '../../../src/model/typescript/sandbox/replay-test-usage.js';

describe('callsReplayer', () => {
  it('finds Worker.runReplayHistory and runReplayHistories', () => {
    expect(callsReplayer("import { Worker } from '@temporalio/worker';\nawait Worker.runReplayHistory(opts, history);")).toBe(true);
    expect(callsReplayer('await Worker.runReplayHistories(opts, histories);')).toBe(true);
    expect(callsReplayer("const { Worker } = require('@temporalio/worker');\nawait Worker\n  .runReplayHistories (opts, h);")).toBe(true);
  });

  it('ignores mentions that are not replayer calls', () => {
    expect(callsReplayer('// TODO: add runReplayHistory test')).toBe(false);
    expect(callsReplayer("import { TestWorkflowEnvironment } from '@temporalio/testing';")).toBe(false);
    expect(callsReplayer('export function runReplayHistory(x) { return x; } runReplayHistory(1);')).toBe(false);
  });
});
