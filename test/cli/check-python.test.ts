// `check` on Python code, as a user runs it (built CLI, child process): the retries and timeouts
// checks on the Python model, the areas the Python front-end does not review yet not-verified.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function checkJson(dir: string) {
  const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', dir, '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
  expect(run.error).toBeUndefined();
  return { run, report: run.stdout ? JSON.parse(run.stdout) : undefined };
}

const where = (report: { findings: { checkId: string; area: string; severity: string; file: string; line: number }[] }, areas?: string[]) =>
  report.findings.filter((f) => !areas || areas.includes(f.area)).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('check on a Python app (built CLI, child process)', () => {
  it('finds the retry and timeout defects of examples/python-prototype-app at their lines', { timeout: 180_000 }, () => {
    const { run, report } = checkJson('examples/python-prototype-app');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(report.verdict).toBe('NO-GO');
    // The other areas' findings are asserted by their own tests (check-python-observability.test.ts,
    // check-python-payloads-capacity.test.ts, check-python-determinism.test.ts).
    expect(where(report, ['retries', 'timeouts'])).toEqual([
      'activity-long-loop-without-heartbeat warning activities.py:35',
      'activity-non-retryable-errors-uncovered error workflows.py:18',
      'activity-retry-policy-missing warning workflows.py:18',
      'activity-schedule-to-start-missing warning workflows.py:18',
      'activity-heartbeat-timeout-missing info workflows.py:23',
      // reserve_stock and send_receipt only log: nothing in them can fail into the retry policy.
      'activity-retry-policy-missing info workflows.py:23',
      'activity-start-to-close-missing warning workflows.py:23',
      'activity-retry-max-interval-unset info workflows.py:24',
      'activity-retry-policy-invalid error workflows.py:24',
      'activity-retry-policy-missing info workflows.py:30',
      'activity-timeout-invalid error workflows.py:30',
    ]);
    expect(Object.fromEntries(report.areas.map((a: { area: string; status: string }) => [a.area, a.status]))).toEqual({
      determinism: 'fail',
      retries: 'fail',
      timeouts: 'fail',
      payloads: 'warn',
      capacity: 'fail',
      // worker-metrics-not-exported is a warning
      observability: 'warn',
    });
    const notVerified = report.diagnostics.filter((d: { kind: string }) => d.kind === 'not-verified').map((d: { message: string }) => d.message.split(':')[0]);
    expect(notVerified).toEqual([]);
  });

  it('speaks the Python SDK: keyword arguments, the ValueError it raises, the ApplicationError to raise', { timeout: 180_000 }, () => {
    const { report } = checkJson('examples/python-prototype-app');
    const byId = (id: string, line: number) => report.findings.find((f: { checkId: string; line: number }) => f.checkId === id && f.line === line);
    expect(byId('activity-timeout-invalid', 30).message).toContain(
      "neither start_to_close_timeout nor schedule_to_close_timeout is set: the SDK raises ValueError 'Activity must have start_to_close_timeout or schedule_to_close_timeout' when the activity is scheduled",
    );
    expect(byId('activity-non-retryable-errors-uncovered', 18).fix).toContain(
      'Add \'PaymentDeclined\' to retry_policy.non_retryable_error_types, or raise ApplicationError(message, type="PaymentDeclined", non_retryable=True)',
    );
    expect(byId('activity-retry-policy-invalid', 24).message).toContain('the Python SDK raises ValueError (RetryPolicy._validate)');
    for (const finding of report.findings) expect(`${finding.message} ${finding.fix}`).not.toMatch(/proxyActivities|startToCloseTimeout|process\.env|retry\.maximumAttempts/);
  });

  it('gives a repository with a TypeScript and a Python service one scorecard', { timeout: 180_000 }, () => {
    const dir = scratchFolder('mixed');
    fs.cpSync(path.join(repoRoot, 'examples/python-prototype-app'), path.join(dir, 'py-service'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'ts-service'));
    fs.writeFileSync(
      path.join(dir, 'ts-service/workflows.ts'),
      ["import { proxyActivities } from '@temporalio/workflow';", '', "const { ship } = proxyActivities<{ ship(): Promise<void> }>({ scheduleToCloseTimeout: '1m' });", '', 'export async function shipping(): Promise<void> {', '  await ship();', '}', ''].join('\n'),
    );
    const { report } = checkJson(dir);
    const files = new Set(report.findings.flatMap((f: { file?: string }) => (f.file ? [f.file.split('/')[0]] : [])));
    expect([...files].sort()).toEqual(['py-service', 'ts-service']);
    expect(where(report)).toContain('activity-start-to-close-missing warning ts-service/workflows.ts:3');
    expect(where(report)).toContain('activity-timeout-invalid error py-service/workflows.py:30');
  });

  it('reviews the rest of a project with a syntax error, skips Python 2 and non-UTF-8 files with a reason, honours # preflight-ignore', { timeout: 180_000 }, () => {
    const dir = scratchFolder('python');
    const workflow = (name: string, body: string[]) => [
      'from datetime import timedelta',
      '',
      'from temporalio import workflow',
      '',
      '',
      '@workflow.defn',
      `class ${name}:`,
      '    @workflow.run',
      '    async def run(self) -> None:',
      ...body,
      '',
    ];
    fs.writeFileSync(
      path.join(dir, 'workflows.py'),
      workflow('Orders', [
        '        # preflight-ignore activity-timeout-invalid -- scheduled only in tests',
        '        await workflow.execute_activity("ignored")',
        '        await workflow.execute_activity("notify")',
      ]).join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'broken.py'), workflow('Billing', ['        if True', '            pass', '        await workflow.execute_activity("bill")']).join('\n'));
    fs.writeFileSync(path.join(dir, 'legacy.py'), 'print "hello"\n');
    fs.writeFileSync(path.join(dir, 'latin.py'), Buffer.from('name = "caf\xe9"\n', 'latin1'));
    const { run, report } = checkJson(dir);
    expect(run.stderr).toBe('');
    expect(where(report).filter((w) => w.startsWith('activity-timeout-invalid'))).toEqual([
      'activity-timeout-invalid error broken.py:12',
      'activity-timeout-invalid error workflows.py:12',
    ]);
    const own = report.diagnostics.filter((d: { kind: string }) => d.kind !== 'not-verified');
    expect(own).toEqual([
      { kind: 'parse-error', file: 'broken.py', line: 10, message: "broken.py:10: invalid syntax near 'if True'" },
      { kind: 'skipped-file', file: 'latin.py', message: 'latin.py: skipped: not UTF-8 (the Python 3 default source encoding)' },
      { kind: 'skipped-file', file: 'legacy.py', message: 'legacy.py: skipped: Python 2 source (line 1: print statement); the Temporal SDK needs Python 3' },
    ]);
  });
});

