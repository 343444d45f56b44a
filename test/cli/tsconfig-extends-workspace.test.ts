// A monorepo reviewed before `npm install`: its tsconfig extends a base config that lives in one of
// its own packages (`"extends": "@acme/tsconfig/base.json"`), which the package manager would link
// into node_modules. The review finds it in the workspace, so the project keeps the options it
// inherits and no missing-file diagnostic is reported.

import { describe, expect, it } from 'vitest';
import { jsonOutput, runCliProcess } from '../helpers/cli-process.js';

describe('check with a tsconfig that extends a config of a workspace package', () => {
  it('reads the base from the package in the tree when node_modules is absent', async () => {
    const run = await runCliProcess(['check', 'test/fixtures/tsconfig-extends-workspace', '--format', 'json'], { timeoutMs: 120_000 });
    expect(run.timedOut).toBe(false);
    const report = jsonOutput(run);
    expect(report.diagnostics.filter((d: { kind: string }) => d.kind === 'parse-error')).toEqual([]);
    expect(report.inventory.workflows).toBe(1);
  }, 130_000);
});
