// The payload and capacity checks on a Python project: annotations resolved across modules,
// workflow loops and their bounds, Worker(...) slot options, sync activities and shutdown grace.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-payloads-capacity');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (...ids: string[]) => findings.filter((f) => ids.includes(f.checkId)).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('Python payloads', () => {
  test('lists, bytes and maps in dataclasses, Pydantic models and TypedDicts of another module', () => {
    expect(of('payload-carries-collection')).toEqual([
      'payload-carries-collection warning app/activities.py:12',
      'payload-carries-collection info app/activities.py:17',
      'payload-carries-collection info app/activities.py:27',
      'payload-carries-collection info app/workflows.py:16',
      'payload-carries-collection info app/workflows.py:45',
    ]);
    // load_batch takes a Batch too, but no workflow schedules it: it never crosses Temporal.
    expect(findings.some((f) => f.file === 'app/activities.py' && f.line === 7)).toBe(false);
    const bytes = findings.find((f) => f.checkId === 'payload-carries-collection' && f.line === 12)!;
    expect(bytes.message).toContain('Activity store_upload takes `upload`, which holds binary data at upload.data (bytes)');
  });

  test('credentials: a str field is one, a bool flag is not, a class is judged by its fields, a Pydantic SecretStr is masked', () => {
    expect(of('payload-carries-secret')).toEqual(['payload-carries-secret warning app/activities.py:22']);
    expect(findings.find((f) => f.checkId === 'payload-carries-secret')!.message).toContain('takes `settings.api_key` (Optional[str])');
  });

  test('loops that grow the history: unbounded, through a helper, bounded by the input or a deadline; continue-as-new directly or in a helper', () => {
    expect(of('workflow-unbounded-history')).toEqual([
      'workflow-unbounded-history warning app/workflows.py:17',
      'workflow-unbounded-history warning app/workflows.py:46',
      'workflow-unbounded-history info app/workflows.py:50',
      'workflow-unbounded-history info app/workflows.py:53',
      'workflow-unbounded-history info app/workflows.py:58',
      'workflow-unbounded-history info app/workflows.py:65',
      'workflow-unbounded-history info app/workflows.py:72',
    ]);
    const deadline = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 53)!;
    expect(deadline.message).toContain('as many times as max_wait (a deadline on workflow time)');
    // `if remaining <= 0: return` with remaining computed from workflow.now(): the deadline, not "0".
    expect(findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 65)!.message).toContain('as many times as it takes remaining to reach 0 (a deadline on workflow time)');
    // A walk along a chain that stops at the first value already seen is bounded by the chain.
    expect(findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 72)!.message).toContain('as many times as the distinct values of parent (it stops at one already in seen)');
    const queue = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 58)!;
    expect(queue.message).toContain('self._queue (fed by a signal or update handler)');
  });
});

describe('Python capacity', () => {
  test('a sync activity without activity_executor is an error at the Worker; with one it is fine', () => {
    expect(of('worker-sync-activity-without-executor')).toEqual(['worker-sync-activity-without-executor error app/worker.py:23']);
  });

  test('slot counts: sized, implicit on a per-run worker (info), and a fixed tuner with 5000 activity slots', () => {
    expect(of('worker-concurrency-implicit', 'worker-concurrency-unbounded')).toEqual([
      'worker-concurrency-unbounded warning app/worker.py:34',
      'worker-concurrency-implicit info app/worker.py:43',
    ]);
    expect(findings.find((f) => f.checkId === 'worker-concurrency-implicit')!.message).toContain(
      'It is a per-run worker: it runs only for the workflow its own function starts on its task queue and awaits, then shuts down (app/worker.py:44)',
    );
    expect(findings.find((f) => f.checkId === 'worker-concurrency-unbounded')!.message).toContain('gives its tuner activity_slots 5000 fixed slots');
  });

  test('graceful_shutdown_timeout: set is fine; unset on a worker whose activity never awaits is info', () => {
    expect(of('worker-shutdown-grace-missing')).toEqual(['worker-shutdown-grace-missing info app/worker.py:30']);
  });
});

describe('Python payload codecs', () => {
  test("a codec in the client's data_converter, built by a project function, makes a credential payload info", async () => {
    const { findings: codec } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-payload-codec'), config: undefined });
    const secret = codec.filter((f) => f.checkId === 'payload-carries-secret');
    expect(secret.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['info app.py:11']);
    expect(secret[0]!.message).toContain('It is encrypted by codec EncryptionCodec (on the client at app.py:23)');
  });
});
