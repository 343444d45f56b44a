// Why workflow-log-not-replay-aware says nothing about console.log / console.error in TypeScript
// workflow code: in the TypeScript SDK the sandbox's console is the SDK's own, replay-aware one.
//
// The SDK fact (@temporalio/worker 1.24.0, src/workflow/vm-shared.ts, injectGlobals, which both the
// plain and the reusable V8 context install): console.log, warn, error, info and debug inside the
// workflow sandbox return without writing while the workflow replays history
// (info.unsafe.isReplayingHistoryEvents), and prefix each line with the workflow type and id. So
// console output is neither repeated on replay nor without workflow context: no finding is right.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf } from '../determinism/review-fixture.js';

const require = createRequire(import.meta.url);

describe('console in TypeScript workflow code is replay-aware (no workflow-log-not-replay-aware)', () => {
  it('the installed SDK replaces console in the workflow sandbox with a wrapper that is silent during replay', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe('1.24.0');
    const source = readFileSync(require.resolve('@temporalio/worker/src/workflow/vm-shared.ts'), 'utf8');
    const inject = source.slice(source.indexOf('export function injectGlobals'));
    expect(inject).toContain("const consoleMethods = ['log', 'warn', 'error', 'info', 'debug'] as const;");
    expect(inject).toMatch(/if \(info\.unsafe\.isReplayingHistoryEvents\) return;\s*console\[level\]\(`\[\$\{info\.workflowType\}\(\$\{info\.workflowId\}\)\]`, \.\.\.args\);/);
    expect(inject).toMatch(/Object\.defineProperty\(sandboxGlobalThis, 'console', \{\s*value: consoleObject,/);
    for (const vm of ['vm.ts', 'reusable-vm.ts']) expect(readFileSync(require.resolve(`@temporalio/worker/src/workflow/${vm}`), 'utf8')).toContain('injectGlobals(context);');
  });

  it('reports nothing for console.log and console.error in a workflow', { timeout: 120_000 }, () => {
    expect(findingsOf('ts-workflow-console', ['workflow-log-not-replay-aware'])).toEqual([]);
  });
});
