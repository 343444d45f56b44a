import { describe, expect, it } from 'vitest';
import { disallowedModuleOf, isIgnoredModule, isSdkWorkflowPackage } from '../../../src/model/typescript/sandbox/disallowed-modules.js';

describe('disallowedModuleOf (the SDK bundler rules, TEMPORAL-FACTS.md §1)', () => {
  it.each([
    ['fs', 'fs'],
    ['node:fs', 'fs'],
    ['fs/promises', 'fs/promises'],
    ['node:child_process', 'child_process'],
    ['util/types', 'util/types'],
    ['assert/strict', 'assert/strict'],
    ['node:test', 'test'],
    ['process/browser', 'process/browser'],
    ['@temporalio/activity', '@temporalio/activity'],
    ['@temporalio/client', '@temporalio/client'],
    ['@temporalio/worker/lib/workflow/bundler', '@temporalio/worker/lib/workflow/bundler'],
    ['@temporalio/testing', '@temporalio/testing'],
    ['@temporalio/core-bridge', '@temporalio/core-bridge'],
    ['@temporalio/common/lib/internal-non-workflow', '@temporalio/common/lib/internal-non-workflow'],
  ])('rejects %s', (request, module) => {
    expect(disallowedModuleOf(request)).toBe(module);
  });

  it.each(['assert', 'node:assert', 'url', 'node:url', 'util', 'node:util', '@temporalio/workflow', '@temporalio/common', 'lodash', 'fs-extra', './fs', 'events-lite'])(
    'accepts %s',
    (request) => {
      expect(disallowedModuleOf(request)).toBeNull();
    },
  );
});

describe('isIgnoredModule (bundlerOptions.ignoreModules)', () => {
  it('matches with or without node: and covers subpaths', () => {
    expect(isIgnoredModule('node:fs', ['fs'])).toBe(true);
    expect(isIgnoredModule('fs', ['node:fs'])).toBe(true);
    expect(isIgnoredModule('fs/promises', ['fs'])).toBe(true);
    expect(isIgnoredModule('fs-extra', ['fs'])).toBe(false);
    expect(isIgnoredModule('fs', [])).toBe(false);
  });
});

describe('isSdkWorkflowPackage', () => {
  it('names the Temporal packages that belong in a workflow bundle', () => {
    expect(isSdkWorkflowPackage('@temporalio/workflow')).toBe(true);
    expect(isSdkWorkflowPackage('@temporalio/common/lib/time')).toBe(true);
    expect(isSdkWorkflowPackage('@temporalio/activity')).toBe(false);
    expect(isSdkWorkflowPackage('temporal-helpers')).toBe(false);
  });
});
