// How the Python front-end finds an activity call's retry policy and timeouts when they are not
// written in the call: an instance attribute assigned once in __init__ (also in a project base
// class), a class attribute read through self or the class, a constant imported from a project
// module (by name or as module.NAME), a helper with no parameters that returns the policy, and
// `**` spreads of a module-level dict(...) or {...}. An attribute assigned in two places, one a
// subclass overrides, a field default of a pydantic model, a helper that takes arguments and one
// that changes the dict it returns stay unresolved: the retry checks say they cannot tell, never
// "no retry policy". Over test/fixtures/python-policy-forms.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import type { StaticValue } from '../../../src/model/types.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-policy-forms');
let findings: Finding[];
let model: PythonModel;

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
  ({ model } = await buildPythonModel({ root }));
}, 120_000);

const RETRY_CHECKS = ['activity-retry-disabled', 'activity-retry-policy-missing', 'activity-retry-attempts-unbounded', 'activity-permanent-error-retried'];

function plain(value: StaticValue | undefined): unknown {
  if (!value) return undefined;
  if (value.kind === 'object') return Object.fromEntries([...value.properties].map(([key, v]) => [key, plain(v)]));
  if (value.kind === 'unknown') return { unknown: value.text };
  return 'value' in value ? value.value : value.kind;
}

describe('retry policies and timeouts kept outside the call (Python)', () => {
  test('each resolved form reads the policy: retries off is reported at the call', () => {
    const shown = findings.filter((f) => RETRY_CHECKS.includes(f.checkId)).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);
    expect(shown).toEqual([
      'activity-permanent-error-retried info app/activities.py:91',
      'activity-retry-disabled info app/workflows.py:27',
      'activity-retry-disabled info app/workflows.py:28',
      'activity-retry-disabled info app/workflows.py:29',
      'activity-retry-disabled info app/workflows.py:30',
      'activity-retry-disabled info app/workflows.py:31',
      'activity-retry-disabled info app/workflows.py:32',
      'activity-retry-disabled info app/workflows.py:33',
      'activity-retry-disabled info app/workflows.py:34',
      'activity-retry-policy-missing info app/workflows.py:35',
      'activity-retry-policy-missing info app/workflows.py:36',
      'activity-retry-policy-missing info app/workflows.py:37',
      'activity-retry-attempts-unbounded info app/workflows.py:53',
      'activity-retry-disabled info app/workflows.py:65',
      'activity-retry-policy-missing info app/workflows.py:72',
      'activity-retry-policy-missing info app/workflows.py:79',
    ]);
  });

  test('a policy kept in self._send_retry counts for the plain ValueError the activity raises', () => {
    const permanent = findings.find((f) => f.checkId === 'activity-permanent-error-retried')!;
    expect(permanent.message).toContain('send_email raises a plain ValueError "recipient … not found"');
    expect(permanent.message).toContain('5 attempts over 75 seconds (maximum_attempts is 5)');
  });

  test('a policy that cannot be resolved is "cannot tell", never "no retry policy"', () => {
    const unresolved = findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
    expect(unresolved.map((f) => f.message.match(/depends on `[^`]+`/)?.[0])).toEqual([
      'depends on `self._moving`',
      'depends on `self._overridable`',
      'depends on `make_policy(1)`',
      'depends on `self.retry`',
      'depends on `**mutable_options()`',
    ]);
    for (const finding of unresolved) expect(finding.message).toMatch(/^Cannot tell the retry policy/);
    expect(findings.some((f) => /No retry policy/.test(f.message))).toBe(false);
  });

  test('timeouts kept the same ways resolve too', () => {
    const timeouts = Object.fromEntries(
      model.activityProxies.map((proxy) => {
        const name = proxy.usedActivityTypes === 'all' ? '?' : proxy.usedActivityTypes[0]!.name;
        const options = proxy.options.kind === 'object' ? proxy.options.properties : new Map();
        return [name, plain(options.get('startToCloseTimeout'))];
      }),
    );
    expect(timeouts).toMatchObject({ a_instance: 10_000, a_imported: 30_000, a_module_attr: 30_000, a_dict_spread: 20_000, a_literal_spread: 20_000 });
  });
});
