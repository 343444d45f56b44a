// `check` on Python code, as a user runs it (built CLI, child process): the payload and capacity
// checks on examples/python-prototype-app, at their lines, in the Python SDK's words.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Finding {
  checkId: string;
  area: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  fix: string;
  related?: { file: string; line: number }[];
}

function checkJson(dir: string): { findings: Finding[] } {
  const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', dir, '--format', 'json'], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
  expect(run.error).toBeUndefined();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  return JSON.parse(run.stdout);
}

describe('payloads and capacity on a Python app (built CLI, child process)', () => {
  it('finds the payload and capacity defects of examples/python-prototype-app at their lines', { timeout: 180_000 }, () => {
    const report = checkJson('examples/python-prototype-app');
    const found = report.findings.filter((f) => f.area === 'payloads' || f.area === 'capacity');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-carries-collection info activities.py:21',
      'payload-carries-collection info activities.py:28',
      'connection-without-tls-option info refunds.py:15',
      'payload-carries-collection warning reports.py:23',
      'payload-carries-secret warning reports.py:28',
      'workflow-unbounded-history warning reports.py:36',
      'connection-without-tls-option info reports_worker.py:12',
      'worker-shutdown-grace-missing warning reports_worker.py:13',
      'worker-sync-activity-without-executor error reports_worker.py:13',
      'worker-concurrency-unbounded warning reports_worker.py:18',
      'connection-without-tls-option info starter.py:13',
      'connection-without-tls-option info worker.py:15',
      'worker-concurrency-implicit warning worker.py:16',
      'worker-shutdown-grace-missing warning worker.py:16',
      'payload-carries-collection info workflows.py:17',
    ]);
    const at = (id: string, file: string, line: number) => found.find((f) => f.checkId === id && f.file === file && f.line === line)!;
    expect(at('worker-sync-activity-without-executor', 'reports_worker.py', 13).message).toContain(
      "registers the sync (def) activity render_pdf but passes no activity_executor: the SDK raises ValueError 'Activity render_pdf is not async so an activity_executor must be present' when the Worker is constructed",
    );
    expect(at('worker-concurrency-implicit', 'worker.py', 16).message).toContain('(max_concurrent_activities 100, max_concurrent_workflow_tasks 100)');
    expect(at('worker-shutdown-grace-missing', 'worker.py', 16).message).toContain('does not set graceful_shutdown_timeout (default 0)');
    expect(at('worker-shutdown-grace-missing', 'worker.py', 16).fix).toContain('(e.g. timedelta(seconds=30))');
    expect(at('worker-concurrency-unbounded', 'reports_worker.py', 18).message).toContain('sets max_concurrent_activities to 5000');
    // One finding per class and field: the workflow that takes the same MailSettings is a related carrier.
    const secret = at('payload-carries-secret', 'reports.py', 28);
    expect(secret.message).toContain('Activity mail_report takes `settings.smtp_password` (str)');
    expect(secret.message).toContain('for the whole retention period, visible in the Web UI and to anyone who can read the namespace, and copied into every export. One other payload carries');
    expect(secret.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['reports.py:35']);
    expect(secret.fix).toContain('encrypt payloads with a temporalio.converter.PayloadCodec set as payload_codec on the DataConverter the client connects with');
    expect(at('payload-carries-collection', 'activities.py', 21).message).toContain('an array at order.skus (list[str], in Order declared in activities.py)');
    expect(at('workflow-unbounded-history', 'reports.py', 36).fix).toContain('Call workflow.continue_as_new() when workflow.info().is_continue_as_new_suggested() is true');
    for (const finding of found) {
      expect(`${finding.message} ${finding.fix}`).not.toMatch(/maxConcurrent|shutdownGraceTime|Worker\.create|continueAsNew|workflowInfo|cancellationSignal|payloadCodecs|PayloadCodec in the data converter/);
    }
  });
});
