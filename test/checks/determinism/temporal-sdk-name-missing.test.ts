// temporal-sdk-name-missing over test/fixtures/python-sdk-name-missing.
//
// The SDK facts: temporalio.workflow has no RetryPolicy (it is temporalio.common.RetryPolicy) and
// temporalio.activity has no heartbeat_details (it is activity.info().heartbeat_details) in any
// release from 1.0.0 to 1.35.0 (scripts/python-sdk-names.py read every published wheel). The
// second block checks the generated name list against the SDK installed for the tests, when there
// is one: every name the installed modules have is in the list, and the two names above are not.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { TEMPORALIO_NAMES } from '../../../src/model/python/temporalio-names.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-name-missing');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('temporal-sdk-name-missing', () => {
  test('one error per name and kind, at the worst place first; names the SDK has and local variables are not reported', () => {
    const found = findings.filter((f) => f.checkId === 'temporal-sdk-name-missing' && f.file !== 'app/compat.py');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'temporal-sdk-name-missing error app/activities.py:6',
      'temporal-sdk-name-missing error app/schedules.py:3',
      'temporal-sdk-name-missing error app/workflows.py:17',
    ]);
    const [activity, imported, workflow] = found;
    expect(workflow!.message).toBe(
      'temporalio.workflow has no RetryPolicy in any SDK release (1.0.0 to 1.35.0); RetryPolicy is in temporalio.common. ' +
        '`workflow.RetryPolicy` raises AttributeError when the workflow reaches it. That is not an ApplicationError: the SDK fails the workflow task and the server retries it until the code is fixed and deployed, so every run stays Running, stuck at this line. ' +
        'The same name is read at 1 more place (related locations).',
    );
    expect(workflow!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['app/workflows.py:27 workflow.RetryPolicy (workflow code)']);
    expect(workflow!.fix).toBe('Import it from temporalio.common (from temporalio.common import RetryPolicy) and use it by that name.');
    expect(activity!.message).toContain('temporalio.activity has no heartbeat_details in any SDK release');
    expect(activity!.message).toContain('raises AttributeError in every attempt of the activity');
    // `RetryPolicy as WorkflowRetryPolicy` is reported; ParentClosePolicy, which the module has, is not
    expect(imported!.message).toContain('`from temporalio.workflow import RetryPolicy` raises ImportError when the module is loaded');
    expect(imported!.related).toBeUndefined();
  });

  test('a from-import in a try whose except takes the ImportError and raises nothing is not reported; ModuleNotFoundError or a raising handler does not guard it', () => {
    const compat = findings.filter((f) => f.checkId === 'temporal-sdk-name-missing' && f.file === 'app/compat.py');
    expect(compat.map((f) => `${f.severity} ${f.file}:${f.line} ${String(f.data?.['name'])}`)).toEqual([
      'error app/compat.py:7 ApplicationError',
      'error app/compat.py:12 RetryPolicy',
    ]);
    expect(compat[0]!.message).toContain('`from temporalio.client import ApplicationError` raises ImportError when the module is loaded');
  });
});

const python = process.env['PREFLIGHT_PYTHON'];
const installed = Boolean(python) && spawnSync(python!, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!installed) console.warn('skipping the name list check against the installed SDK: set PREFLIGHT_PYTHON to an interpreter with temporalio installed');

describe.skipIf(!installed)('the generated name list and the installed SDK', () => {
  test('every name of the installed modules is listed; the two missing names are missing there too', () => {
    const script = [
      'import importlib, json, sys',
      'modules = json.loads(sys.argv[1])',
      'print(json.dumps({m: sorted(n for n in dir(importlib.import_module(m)) if not n.startswith("__")) for m in modules}))',
    ].join('\n');
    const run = spawnSync(python!, ['-c', script, JSON.stringify(Object.keys(TEMPORALIO_NAMES))], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const actual = JSON.parse(run.stdout) as Record<string, string[]>;
    for (const [module, names] of Object.entries(actual)) {
      const listed = new Set(TEMPORALIO_NAMES[module]);
      expect(names.filter((name) => !listed.has(name)), module).toEqual([]);
    }
    expect(actual['temporalio.workflow']).not.toContain('RetryPolicy');
    expect(actual['temporalio.common']).toContain('RetryPolicy');
    expect(actual['temporalio.activity']).not.toContain('heartbeat_details');
  });
});
