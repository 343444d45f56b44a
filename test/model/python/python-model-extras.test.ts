import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-model-extras');
let model: PythonModel;

beforeAll(async () => {
  ({ model } = await buildPythonModel({ root }));
});

describe('Python model: heartbeats, local variables, built-in exceptions', () => {
  test('a project decorator whose wrapper starts a heartbeat task heartbeats for the activity', () => {
    const job = model.activities.find((a) => a.name === 'long_job')!;
    expect(job.heartbeat?.location.line).toBe(24);
    expect(job.heartbeat?.via.map((v) => v.line)).toEqual([28, 12]);
  });

  test('a function defined in the activity and run as a task heartbeats for it; one never used does not', () => {
    const build = model.activities.find((a) => a.name === 'build_image')!;
    expect(build.heartbeat?.location).toMatchObject({ file: path.join(root, 'heartbeat_task.py'), line: 12 });
    expect(model.activities.find((a) => a.name === 'unused_nested_heartbeat')!.heartbeat).toBeNull();
  });

  test('raise_complete_async() counts as heartbeat evidence: the completer heartbeats', () => {
    expect(model.activities.find((a) => a.name === 'completed_elsewhere')!.heartbeat?.location.line).toBe(35);
  });

  test('reads a retry policy from a local variable assigned once, and not from one assigned twice', () => {
    const [first, , third] = model.activityProxies;
    const retryOf = (options: typeof first extends undefined ? never : NonNullable<typeof first>['options']) =>
      options.kind === 'object' ? options.properties.get('retry') : undefined;
    expect(retryOf(first!.options)).toMatchObject({ kind: 'object' });
    expect(retryOf(third!.options)).toMatchObject({ kind: 'unknown', text: 'policy' });
  });

  test('raising a Python built-in exception is not a business error the retry policy must list', async () => {
    const result = await review({ dir: root, config: undefined });
    // The policy of the first validate call is known (maximum_attempts=3), so only the type decides.
    expect(result.findings.filter((f) => f.checkId === 'activity-non-retryable-errors-uncovered')).toEqual([]);
    expect(result.findings.filter((f) => f.checkId === 'activity-heartbeat-timeout-without-heartbeat')).toEqual([]);
  });
});
