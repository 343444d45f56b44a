// workflow-imports-node-builtin against the worker's bundlerOptions: ignoreModules of a worker whose
// workflows module is or is not located, and a webpackConfigHook that replaces `externals`.
//
// Why a replaced `externals` turns the check off: in @temporalio/worker's lib/workflow/bundler.js
// (1.x), disallowed modules are found only by the webpack `externals` option, a function
// (captureProblematicModules) that webpack calls with every request as written and that records each
// Node built-in or non-workflow Temporal package not listed in ignoreModules; Worker.create rejects
// the bundle when it recorded any. webpack runs the configuration the hook returns, so a hook that
// assigns `config.externals = {...}` (or returns `{ ...config, externals }`) drops that function and
// nothing is recorded. The SDK's own configuration aliases every disallowed module and every ignored
// one to `false` (an empty module), so the bundle builds either way; an alias added by the hook does
// not turn the check off, since `externals` sees the request before resolution.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsOf, fixtureModel, where } from './review-fixture.js';

const ID = ['workflow-imports-node-builtin'];

describe('a webpackConfigHook that replaces externals', () => {
  it('is read from an inline hook (at the branch taken for the SDK\'s function, not the array or object branches) and from a named hook returning externals', () => {
    const workers = fixtureModel('bundler-hook-externals').workers.map((worker) => {
      const at = worker.externalsReplacedAt;
      return `${path.basename(worker.workflowsPath ?? '-')} ${at ? `${path.basename(at.file)}:${at.line}` : '-'}`;
    });
    expect(workers.sort()).toEqual(['workflows.ts other-worker.ts:4', 'workflows.ts worker.ts:19']);
  });

  it('turns the finding into one info naming every module reached through the import, without the ignored one', () => {
    const findings = findingsOf('bundler-hook-externals', ID);
    expect(where(findings)).toEqual(['workflow-imports-node-builtin info src/workflows.ts:2']);
    const [finding] = findings;
    expect(finding!.data?.['modules']).toEqual(['os', 'path']);
    expect(finding!.message).toContain(
      "Workflow code imports 'node:os' and 'path' through one import: 'node:os' (src/workflows.ts → src/lib/tools.ts → node:os), 'path' (in src/lib/tools.ts).",
    );
    expect(finding!.message).toContain("webpackConfigHook replaces webpack's externals (src/other-worker.ts:4, src/worker.ts:19)");
    expect(finding!.message).toContain("the bundle's guard against Node built-ins is disabled, so Worker.create does not fail");
    expect(finding!.fix).toContain('keep its externals in webpackConfigHook: config.externals = [config.externals, { ... }]');
    expect(finding!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      "src/workflows.ts:2 imports './lib/tools.js'",
      "src/lib/tools.ts:2 imports 'node:os'",
      "src/lib/tools.ts:3 imports 'path'",
      "src/other-worker.ts:4 webpackConfigHook replaces externals: the SDK's check for disallowed modules does not run",
      "src/worker.ts:19 webpackConfigHook replaces externals: the SDK's check for disallowed modules does not run",
    ]);
  });
});

describe('a webpackConfigHook that keeps externals', () => {
  it('leaves the check on: an added alias and externals wrapped with the original change nothing', () => {
    const [worker] = fixtureModel('bundler-hook-kept').workers;
    expect(worker!.externalsReplacedAt).toBeNull();
    expect(worker!.workflowsUnresolved).toBe(true);
  });

  it('applies ignoreModules of a worker whose workflows module is not located to the workflow files, and groups the rest', () => {
    const findings = findingsOf('bundler-hook-kept', ID);
    expect(where(findings)).toEqual(['workflow-imports-node-builtin error src/workflows.ts:2']);
    expect(findings[0]!.data?.['modules']).toEqual(['os', 'path']);
    expect(findings[0]!.message).toMatch(/^Workflow code imports 'node:os' and 'path' through one import: .*\. The SDK's workflow bundler rejects Node built-ins other than assert, url and util, so Worker.create fails/);
    expect(findings[0]!.fix).toBe(
      "Move the code that needs 'node:os' and 'path' into an activity, import only types from them (import type), or, if they are never called at run time, add 'os' and 'path' to bundlerOptions.ignoreModules.",
    );
  });
});
