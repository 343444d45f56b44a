// workflow-sandbox-disabled over test/fixtures/python-sandbox-passthrough-all: a
// SandboxedWorkflowRunner whose restrictions pass every module through re-imports nothing, the
// workflow's own module included, so datetime.now(), random and uuid4() in workflow code run
// unrestricted (temporalio 1.35.0: checked by running a workflow activation under
// SandboxRestrictions.default.with_passthrough_all_modules(); open() stays restricted). Passing
// named third-party modules through is the SDK's advice and is left alone.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sandbox-passthrough-all');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-sandbox-disabled: restrictions that pass every module through', () => {
  test('notes with_passthrough_all_modules() and passthrough_all_modules=True (through a name), at the line that sets it', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-sandbox-disabled');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-sandbox-disabled info app/worker.py:18',
      'workflow-sandbox-disabled info app/worker.py:28',
    ]);
    expect(found[0]!.message).toMatch(/^Workflow Quote runs in a sandbox that passes every module through \(SandboxRestrictions\.with_passthrough_all_modules\(\)\)/);
    expect(found[0]!.message).toContain('nothing rejects datetime.now()');
    expect(found[1]!.message).toMatch(/^Workflow Invoice runs in a sandbox/);
    expect(found[0]!.fix).toContain('with_passthrough_modules("pydantic", ...)');
  });

  test('left alone: named modules passed through (the Claim worker)', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-sandbox-disabled');
    expect(found.some((f) => f.line === 26 || f.message.includes('Claim'))).toBe(false);
  });
});
