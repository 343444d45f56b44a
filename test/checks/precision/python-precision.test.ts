// Python findings that independent readers judged wrong on production code bases, each as a
// minimal case: exceptions caught and raised again as something else, library failures wrapped
// under the project's name, loops over collections small by construction, loops that go round
// only when a message arrives, and continue_as_new ending a path like a raise.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { createPythonModules } from '../../../src/model/python/python-modules.js';
import { parsePythonFile, type ParsedPythonFile } from '../../../src/model/python/parse-python.js';
import { returnsOnlyNone } from '../../../src/model/python/python-path-ends.js';
import { classMembers, moduleStatements } from '../../../src/model/python/python-syntax.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-precision');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.severity} ${f.file}:${f.line}`);

describe('activity-non-retryable-errors-uncovered on Python', () => {
  test('a raise caught by a clause that raises something else does not leave the activity; a clause that re-raises lets it through', () => {
    // charge (line 19) and run_step (line 21) turn the exceptions into ApplicationError; sync_index (line 24) asks for retries.
    expect(of('activity-non-retryable-errors-uncovered')).toEqual(['info app/workflows.py:20', 'info app/workflows.py:22', 'info app/workflows.py:23']);
    const logged = findings.find((f) => f.checkId === 'activity-non-retryable-errors-uncovered' && f.line === 20)!;
    expect(logged.message).toContain('charge_logged raises CardExpired and PaymentDeclined');
  });

  test('a type raised only where a caught library exception is wrapped is info, naming what it wraps', () => {
    const wrapped = findings.find((f) => f.checkId === 'activity-non-retryable-errors-uncovered' && f.line === 23)!;
    expect(wrapped.message).toContain('StorageError wraps ClientError, a library failure caught and raised again');
    expect(wrapped.related).toContainEqual(expect.objectContaining({ file: 'app/errors.py', line: 33, message: 'download raises StorageError here (wrapping a caught ClientError)' }));
  });
});

describe('activity-long-loop-without-heartbeat on Python', () => {
  test('a loop over a literal, or over what a local function returns as a literal, is not long-running; a parameter or an uncapped inner loop still is', () => {
    // purge_listed (line 31) walks a parameter with one quick awaited call per item under a short
    // start_to_close_timeout: info by the quick-loop rule (python-precision2 has the cases).
    expect(of('activity-long-loop-without-heartbeat')).toEqual(['info app/loops.py:31', 'info app/loops.py:37']);
  });
});

describe('workflow-unbounded-history on Python', () => {
  test('a loop that goes round only after a message releases wait_condition is info; an entity loop and a wait with a timeout stay warnings', () => {
    expect(of('workflow-unbounded-history')).toEqual(['info app/workflows.py:54', 'warning app/workflows.py:69', 'warning app/workflows.py:76']);
    const paced = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 54)!;
    expect(paced.message).toContain("Workflow Review's loop (`while True:`) goes round only after workflow.wait_condition (line 59) is released by a message (state set by the handler decide())");
    expect(paced.message).toContain('about 10 history events');
    expect(paced.message).toContain('about 1,024 rounds reach the 10,240-event warning');
  });
});

describe('continue_as_new ends a path', () => {
  test('a value tested `is not None` before workflow.continue_as_new is None at the return after it', async () => {
    const file = path.join(root, 'app', 'workflows.py');
    const outcome = await parsePythonFile(file);
    if (outcome.kind !== 'parsed') throw new Error('fixture did not parse');
    const parsed: ParsedPythonFile = outcome.parsed;
    try {
      const modules = createPythonModules(root, [parsed]);
      const deploy = moduleStatements(parsed.tree.rootNode).find((s) => s.type === 'class_definition' && s.childForFieldName('name')?.text === 'Deploy')!;
      const method = (name: string) => classMembers(deploy).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name)!;
      expect(returnsOnlyNone(method('queue_next'), file, modules)).toBe(true);
      expect(returnsOnlyNone(method('run'), file, modules)).toBe(false);
    } finally {
      parsed.tree.delete();
    }
  });
});

describe('Python test code', () => {
  test('a script that runs its workflows on temporalio.testing.WorkflowEnvironment is test code, wherever it lives', () => {
    expect(findings.some((f) => f.file?.startsWith('scripts/'))).toBe(false);
    const runbook = findings.find((f) => f.checkId === 'workflow-runbook-missing')!;
    expect(runbook.message).toContain('any of the 4 workflow types (Billing, Cleanup, Deploy and Review)');
  });
});
