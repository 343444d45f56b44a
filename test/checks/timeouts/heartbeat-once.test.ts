// activity-heartbeat-timeout-missing on activities that heartbeat once, before a long step (read
// DEBATABLE on a real code base: a heartbeatTimeout alone would fail healthy long attempts), and on
// attempts capped at two minutes or less, where a crash is noticed within the attempt anyway.
// Python and TypeScript give the same answers. Also: a Python raise of `activity.ApplicationError`
// (temporalio.activity has no such name) raises AttributeError, whatever its non_retryable says.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, where } from '../helpers/review-fixture.js';

let python: Finding[];

beforeAll(async () => {
  ({ findings: python } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-heartbeat-once'), config: undefined }));
});

const site = (f: Finding) => `${f.severity} ${f.checkId} ${f.file}:${f.line}`;

describe('activity-heartbeat-timeout-missing, Python', () => {
  it('says a single heartbeat before the work needs periodic heartbeats, and is info on attempts of two minutes or less', () => {
    const found = python.filter((f) => f.checkId === 'activity-heartbeat-timeout-missing');
    expect(found.map(site)).toEqual([
      'warning activity-heartbeat-timeout-missing app/workflows.py:13',
      'info activity-heartbeat-timeout-missing app/workflows.py:14',
      'warning activity-heartbeat-timeout-missing app/workflows.py:15',
      'warning activity-heartbeat-timeout-missing app/workflows.py:16',
      'warning activity-heartbeat-timeout-missing app/workflows.py:17',
      'info activity-heartbeat-timeout-missing app/workflows.py:18',
    ]);
    const [once, short, loop, two, task, shortLoop] = found;
    // render_page: one heartbeat through a helper, then the render.
    expect(once!.message).toContain('render_page heartbeats only once per attempt, before the work that follows');
    expect(once!.message).toContain('A heartbeat_timeout alone would not help: nothing heartbeats after that one call');
    expect(once!.fix).toContain('Heartbeat as the work progresses');
    expect(once!.related).toEqual([{ file: 'app/activities.py', line: 15, column: 5, message: 'render_page heartbeats only once per attempt, before the work that follows, and nothing watches it' }]);
    // save_page: the same shape under a 2-minute start_to_close_timeout.
    expect(short!.message).toContain('An attempt is capped at 2m (start_to_close_timeout), so a crash is noticed within that anyway');
    expect(short!.message).not.toContain('would not help');
    expect(short!.fix).toMatch(/^Nothing required/);
    // In a loop, twice, from a background task: the heartbeats can be watched as they are.
    for (const finding of [loop, two, task]) {
      expect(finding!.message).toContain('heartbeats but nothing watches it');
      expect(finding!.message).not.toContain('only once');
    }
    expect(shortLoop!.message).toContain('An attempt is capped at 1m 30s (start_to_close_timeout)');
  });
});

describe('a raise of activity.ApplicationError', () => {
  it('is an AttributeError, retried, whose non_retryable=True has no effect', () => {
    const retry = python.find((f) => f.checkId === 'activity-retry-policy-missing' && f.line === 19)!;
    expect(site(retry)).toBe('warning activity-retry-policy-missing app/workflows.py:19');
    expect(retry.message).toContain('AttributeError (app/activities.py:60: activity.ApplicationError does not exist (non_retryable=True has no effect))');
    expect(retry.message).not.toContain('ApplicationError (app/activities.py:60)');
    expect(retry.related).toEqual([
      { file: 'app/activities.py', line: 60, column: 9, message: 'score_batch raises AttributeError here: activity.ApplicationError does not exist (non_retryable=True has no effect)' },
    ]);
    // Not a plain error with a permanent message: the missing name is temporal-sdk-name-missing's.
    expect(python.filter((f) => f.checkId === 'activity-permanent-error-retried')).toEqual([]);
  });

  it('in workflow code says the line raises AttributeError and how to fix it', () => {
    const plain = python.filter((f) => f.checkId === 'workflow-throws-plain-error');
    expect(plain.map(site)).toEqual(['info workflow-throws-plain-error app/workflows.py:21']);
    expect(plain[0]!.message).toContain('raises a plain AttributeError (raise workflow.ApplicationError("url is required"): workflow.ApplicationError does not exist, so the line raises AttributeError)');
    expect(plain[0]!.fix).toContain('Import ApplicationError from temporalio.exceptions');
  });
});

describe('activity-heartbeat-timeout-missing, TypeScript', () => {
  it('gives the same answers', () => {
    const found = buildFixture('heartbeat-once').findings(['activity-heartbeat-timeout-missing']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows.ts', line: 6 },
    ]);
    const [long, short] = found;
    // renderPage heartbeats once (through a helper); renderAll in a loop, renderTwice twice.
    expect(long!.message).toContain('renderAll heartbeats but nothing watches it; renderPage heartbeats only once per attempt, before the work that follows, and nothing watches it; renderTwice heartbeats but nothing watches it');
    expect(long!.related).toContainEqual({ file: 'src/activities.ts', line: 10, column: 3, message: 'renderPage heartbeats only once per attempt, before the work that follows, and nothing watches it' });
    expect(short!.message).toContain('savePage heartbeats only once per attempt');
    expect(short!.message).toContain('An attempt is capped at 2m (startToCloseTimeout), so a crash is noticed within that anyway');
  });
});
