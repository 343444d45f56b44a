// The pretty reporter's layout, line by line: errors first and in full, warnings grouped by check,
// info hidden and counted, wrapping at the given width, --compact and --verbose.
import { describe, expect, it } from 'vitest';
import type { Finding, ReviewResult } from '../../src/engine/types.js';
import { renderPretty } from '../../src/report/pretty.js';
import { fixtureResult } from './review-result-fixture.js';

const retryFix = 'Set retry: { maximumAttempts: 5 }.';

function finding(partial: Partial<Finding> & Pick<Finding, 'checkId' | 'area' | 'severity' | 'message'>): Finding {
  return { evidence: 'static', fix: 'Fix it.', ...partial };
}

/** Two retry warnings in one check, a project-wide warning, one error after them in file order, one info. */
function smallResult(): ReviewResult {
  return {
    tool: { name: 'temporal-preflight', version: '0.1.0' },
    verdict: 'NO-GO',
    failOn: 'error',
    root: '/app',
    areas: [
      { area: 'determinism', status: 'fail', evidence: ['static'], errors: 1, warnings: 1, infos: 0 },
      { area: 'retries', status: 'warn', evidence: ['static'], errors: 0, warnings: 2, infos: 0 },
      { area: 'timeouts', status: 'pass', evidence: ['static'], errors: 0, warnings: 0, infos: 0 },
      { area: 'payloads', status: 'pass', evidence: ['static'], errors: 0, warnings: 0, infos: 0, note: 'static review only; give --histories to measure real payloads' },
      { area: 'capacity', status: 'pass', evidence: ['static'], errors: 0, warnings: 0, infos: 1 },
      { area: 'observability', status: 'not-verified', evidence: [], errors: 0, warnings: 0, infos: 0 },
    ],
    findings: [
      finding({ checkId: 'no-replay-test', area: 'determinism', severity: 'warning', message: 'No test replays recorded histories. A breaking change ships unnoticed.' }),
      finding({ checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'warning', file: 'src/a.ts', line: 3, column: 20, message: 'No retry policy for charge. Attempts are unlimited.', fix: retryFix }),
      finding({ checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'warning', file: 'src/b.ts', line: 9, column: 20, message: 'No retry policy for ship. Attempts are unlimited.', fix: retryFix }),
      finding({
        checkId: 'workflow-throws-plain-error', area: 'determinism', severity: 'error', file: 'src/c.ts', line: 12, column: 5,
        message: 'Workflow placeOrder throws a plain Error, not an ApplicationFailure: the workflow task fails and is retried forever.',
        fix: 'Throw ApplicationFailure.nonRetryable(message).',
        related: [1, 2, 3, 4, 5].map((n) => ({ file: 'src/worker.ts', line: n, column: 1, message: `worker ${n}` })),
      }),
      finding({ checkId: 'worker-concurrency-implicit', area: 'capacity', severity: 'info', file: 'src/worker.ts', line: 4, column: 16, message: 'Worker.create uses default slot counts e.g. 100 activities. No tuner.' }),
    ],
    diagnostics: [],
  };
}

describe('pretty reporter layout', () => {
  it('prints errors first in full, then warnings grouped by check, and counts the hidden info', () => {
    expect(renderPretty(smallResult(), { color: false, width: 100 }).split('\n')).toEqual([
      'temporal-preflight 0.1.0',
      '',
      '   NO-GO   1 of 6 areas fail',
      '',
      '  determinism    FAIL          1 error, 1 warning           static',
      '  retries        WARN          2 warnings                   static',
      '  timeouts       PASS                                       static',
      '  payloads       PASS                                       static',
      '                                                            (static review only; give --histories to',
      '                                                            measure real payloads)',
      '  capacity       PASS          1 info                       static',
      '  observability  NOT VERIFIED                               no evidence',
      '',
      'errors (1)',
      '  determinism',
      '    src/c.ts:12:5  error  workflow-throws-plain-error',
      '      Workflow placeOrder throws a plain Error, not an ApplicationFailure: the workflow task fails',
      '      and is retried forever.',
      '      fix: Throw ApplicationFailure.nonRetryable(message).',
      '      src/worker.ts:1:1 worker 1',
      '      src/worker.ts:2:1 worker 2',
      '      src/worker.ts:3:1 worker 3',
      '      +2 more related locations',
      '',
      'warnings (3 in 2 groups; --verbose shows each with its fix)',
      '  determinism',
      '    no-replay-test  No test replays recorded histories.',
      '      (project)',
      '  retries',
      '    activity-retry-policy-missing ×2  An activity proxy without a retry policy: unlimited attempts',
      '      at the default backoff.',
      '      src/a.ts:3, src/b.ts:9',
      '',
      'NO-GO: 1 error, 3 warnings, 1 info in 4 files (1 info hidden; --verbose shows them)',
      '',
    ]);
  });

  it('wraps messages, fixes and the scorecard note at the given width', () => {
    const lines = renderPretty(smallResult(), { color: false, width: 60 }).split('\n');
    expect(lines.slice(7, 10)).toEqual(['  payloads       PASS                                       static', '    (static review only; give --histories to measure real', '    payloads)']);
    expect(lines.slice(16, 21)).toEqual([
      '      Workflow placeOrder throws a plain Error, not an',
      '      ApplicationFailure: the workflow task fails and is',
      '      retried forever.',
      '      fix: Throw ApplicationFailure.nonRetryable(message).',
      '      src/worker.ts:1:1 worker 1',
    ]);
    // Only the scorecard's fixed columns run past 60; file:line stays whole.
    expect(lines.filter((line) => line.length > 60)).toEqual([
      '  determinism    FAIL          1 error, 1 warning           static',
      '  retries        WARN          2 warnings                   static',
      '  timeouts       PASS                                       static',
      '  payloads       PASS                                       static',
      '  capacity       PASS          1 info                       static',
      '  observability  NOT VERIFIED                               no evidence',
    ]);
    expect(lines.slice(-3)).toEqual(['NO-GO: 1 error, 3 warnings, 1 info in 4 files (1 info', '  hidden; --verbose shows them)', '']);
  });

  it('--compact prints one line per finding, errors first, info hidden, then the summary', () => {
    expect(renderPretty(smallResult(), { color: false, compact: true }).split('\n')).toEqual([
      'src/c.ts:12:5  error  workflow-throws-plain-error  Workflow placeOrder throws a plain Error, not an ApplicationFailure: the workflow task fails and is retried forever.',
      '(project)  warning  no-replay-test  No test replays recorded histories.',
      'src/a.ts:3:20  warning  activity-retry-policy-missing  No retry policy for charge.',
      'src/b.ts:9:20  warning  activity-retry-policy-missing  No retry policy for ship.',
      'NO-GO: 1 error, 3 warnings, 1 info in 4 files (1 info hidden; --verbose shows them)',
      '',
    ]);
  });

  it('--compact --verbose adds the info lines; "e.g." does not end the first sentence', () => {
    const lines = renderPretty(smallResult(), { color: false, compact: true, verbose: true }).split('\n');
    expect(lines.slice(4)).toEqual([
      'src/worker.ts:4:16  info  worker-concurrency-implicit  Worker.create uses default slot counts e.g. 100 activities.',
      'NO-GO: 1 error, 3 warnings, 1 info in 4 files',
      '',
    ]);
  });

  it('--verbose lists every warning and info in full with its fix, after the errors', () => {
    const text = renderPretty(smallResult(), { color: false, verbose: true });
    const lines = text.split('\n');
    expect(lines.slice(lines.indexOf('warnings (3)'))).toEqual([
      'warnings (3)',
      '  determinism',
      '    (project)  warning  no-replay-test',
      '      No test replays recorded histories. A breaking change ships unnoticed.',
      '      fix: Fix it.',
      '  retries',
      '    src/a.ts:3:20  warning  activity-retry-policy-missing',
      '      No retry policy for charge. Attempts are unlimited.',
      '      fix: Set retry: { maximumAttempts: 5 }.',
      '    src/b.ts:9:20  warning  activity-retry-policy-missing',
      '      No retry policy for ship. Attempts are unlimited.',
      '      fix: Set retry: { maximumAttempts: 5 }.',
      '',
      'info (1)',
      '  capacity',
      '    src/worker.ts:4:16  info  worker-concurrency-implicit',
      '      Worker.create uses default slot counts e.g. 100 activities. No tuner.',
      '      fix: Fix it.',
      '',
      'NO-GO: 1 error, 3 warnings, 1 info in 4 files',
      '',
    ]);
    expect(lines.indexOf('errors (1)')).toBeLessThan(lines.indexOf('warnings (3)'));
  });

  it('lists the first files of a large group with their lines, then how many more', () => {
    const result = smallResult();
    result.findings = ['src/a.ts', 'src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts', 'src/e.ts'].flatMap((file, i) =>
      [10, 20, 30, 40, 50].slice(0, file === 'src/a.ts' ? 5 : 1).map((line) =>
        finding({ checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'warning', file, line: line + i, column: 1, message: `No retry policy ${file}:${line + i}. More.` }),
      ),
    );
    const lines = renderPretty(result, { color: false, width: 100 }).split('\n');
    const at = lines.indexOf('  retries');
    expect(lines.slice(at, at + 4)).toEqual([
      '  retries',
      '    activity-retry-policy-missing ×14  An activity proxy without a retry policy: unlimited attempts',
      '      at the default backoff.',
      '      src/a.ts:10,20,30,40 (+6), src/b.ts:12, src/c.ts:13, +2 more in 2 files',
    ]);
  });
});

describe('pretty reporter: errors that say the same thing', () => {
  it('lists each place on its own line and says the message and fix once (--verbose repeats them)', () => {
    const result = smallResult();
    const same = { checkId: 'worker-metrics-not-exported', area: 'observability' as const, severity: 'error' as const, message: 'This worker exports no metrics.', fix: 'Call Runtime.install.' };
    result.findings = [finding({ ...same, file: 'src/a.ts', line: 2, column: 3 }), finding({ ...same, file: 'src/b.ts', line: 5, column: 7 })];
    const lines = renderPretty(result, { color: false }).split('\n');
    const at = lines.indexOf('errors (2)');
    expect(lines.slice(at, at + 7)).toEqual([
      'errors (2)',
      '  observability',
      '    src/a.ts:2:3  error  worker-metrics-not-exported',
      '    src/b.ts:5:7  error  worker-metrics-not-exported',
      '      This worker exports no metrics.',
      '      fix: Call Runtime.install.',
      '',
    ]);
    const verbose = renderPretty(result, { color: false, verbose: true });
    expect(verbose.match(/This worker exports no metrics\./g)).toHaveLength(2);
  });
});

describe('pretty reporter: what was reviewed', () => {
  it('states project, folder, commit, date and the inventory just above the summary line', () => {
    const lines = renderPretty(fixtureResult(), { color: false, width: 100 }).split('\n');
    expect(lines.slice(-7)).toEqual([
      'reviewed  @acme/shop · services/shop · commit 1a2b3c4d5e6f (uncommitted changes) ·',
      '          2026-12-03 13:40 UTC',
      '          12 files, 2 workflows, 5 activities, 3 activity proxies, 1 worker, 2 task queues,',
      '          2 workflow starts, 198 histories',
      '',
      'NO-GO: 3 errors, 3 warnings, 1 info in 3 files (1 info hidden; --verbose shows them)',
      '',
    ]);
  });

  it('says when the folder is not in a git work tree', () => {
    const result = fixtureResult();
    result.project = { name: 'shop', path: 'shop', date: '2026-01-02T03:04:05.000Z' };
    expect(renderPretty(result, { color: false, width: 100 })).toContain('\nreviewed  shop · not a git work tree · 2026-01-02 03:04 UTC\n');
  });
});

describe('pretty reporter: notes', () => {
  it('gives notes with the same text one line listing their places, without repeating a place the message starts with', () => {
    const result = smallResult();
    const missingBase = (n: number) => ({
      kind: 'parse-error' as const,
      file: `svc${n}/tsconfig.json`,
      line: 1,
      message: `svc${n}/tsconfig.json:1: File '@acme/tsconfig' not found; the project is reviewed without the options it would inherit`,
    });
    result.diagnostics = [1, 2, 3, 4, 5].map(missingBase).concat([{ kind: 'note', file: 'src/worker.ts', line: 4, message: 'the workflow module of this worker could not be located statically.' }]);
    const lines = renderPretty(result, { color: false, width: 100 }).split('\n');
    const notes = lines.slice(lines.indexOf('notes'), lines.indexOf('notes') + 5);
    expect(notes).toEqual([
      'notes',
      "  File '@acme/tsconfig' not found; the project is reviewed without the options it would inherit (5",
      '    places: svc1/tsconfig.json:1, svc2/tsconfig.json:1, svc3/tsconfig.json:1, +2 more)',
      '  src/worker.ts:4  the workflow module of this worker could not be located statically.',
      '',
    ]);
    expect(renderPretty(result, { color: false, width: 100, verbose: true })).toContain('svc5/tsconfig.json:1)');
  });
});
