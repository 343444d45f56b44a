// `generate alerts|runbooks` on examples/python-prototype-app as a user runs it (built CLI, child
// process): the Python workflow types (@workflow.defn classes, name= overrides) and activity types
// the check sees, and rules the real promtool accepts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { promtool, promtoolAvailable } from '../generate/promtool.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const out = scratchFolderForSuite('generate-python');
const tool = promtoolAvailable();

function cli(args: string[]) {
  return spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 170_000 });
}

describe('generate on the Python prototype app (built CLI, child process)', () => {
  it('writes one failure alert per Python workflow type, the queues of its workers and its activity types', { timeout: 180_000 }, () => {
    const file = path.join(out, 'temporal.rules.yml');
    const run = cli(['generate', 'alerts', 'examples/python-prototype-app', '-o', file]);
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe(`wrote ${file}\n`);
    expect(run.status).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    const labels = (name: string) => [...text.matchAll(new RegExp(`^ {10}${name}: (.+)$`, 'gm'))].map((m) => m[1]);
    expect(labels('workflow_type')).toEqual(['NightlyReportWorkflow', 'OrderWorkflow', 'catalog-sync', 'daily-report']);
    expect(labels('task_queue')).toEqual(['orders', 'orders', 'reports', 'reports']);
    expect(labels('activity_type')).toEqual(['charge_card', 'mail_report', 'render_pdf', 'reserve-stock', 'send_receipt', 'sync_catalog', 'track_shipment']);
    if (tool.available) {
      // 4 failure-rate + non-determinism + task failures; slots + 2 queues x 2 + workflow-task latency; 7 activities
      expect(promtool(['check', 'rules', file], out).output).toContain('SUCCESS: 19 rules found');
    } else {
      console.warn(tool.reason);
    }
  });

  it('writes one runbook per Python workflow type', { timeout: 180_000 }, () => {
    const folder = path.join(out, 'runbooks');
    const run = cli(['generate', 'runbooks', 'examples/python-prototype-app', '-o', folder]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((line) => path.relative(folder, line.replace(/^wrote /, '')))).toEqual([
      'catalog-sync.md',
      'daily-report.md',
      'NightlyReportWorkflow.md',
      'OrderWorkflow.md',
      'temporal-workers.md',
    ]);
    const order = fs.readFileSync(path.join(folder, 'OrderWorkflow.md'), 'utf8');
    expect(order).toContain('# Runbook: OrderWorkflow');
    expect(order).toContain('Workflow type `OrderWorkflow`, defined in `workflows.py:15`, runs on `orders`.');
    expect(order).toContain('### `charge_card`, on task queue `orders`\n\n- Timeouts: start-to-close 30s, schedule-to-close unset, schedule-to-start unset, heartbeat unset.');
  });

  it('names the Python SDK in the runbooks, not the TypeScript one', { timeout: 180_000 }, () => {
    const folder = path.join(out, 'runbooks-python-names');
    const run = cli(['generate', 'runbooks', 'examples/python-prototype-app', '-o', folder]);
    expect(run.status).toBe(0);
    const order = fs.readFileSync(path.join(folder, 'OrderWorkflow.md'), 'utf8');
    expect(order).toContain('Set `search_attributes=TypedSearchAttributes([...])` where it is started (check `workflow-start-without-search-attributes`).');
    expect(order).toContain('- Raises `PaymentDeclined`: retried like any transient error.');
    expect(order).toContain('- After 3 attempts it fails and the workflow gets an ActivityError (the workflow fails unless it handles it).');
    expect(order).toContain('guard the change with `workflow.patched()`');
    expect(order).toContain("fix it behind `workflow.patched('<change-id>')`");
    expect(order).toContain('usually workflow code raised an exception that is not an ApplicationError or listed in workflow_failure_exception_types');
    const workers = fs.readFileSync(path.join(folder, 'temporal-workers.md'), 'utf8');
    expect(workers).toContain('raise `max_concurrent_activities` if CPU and memory allow');
    expect(workers).toContain('raise `max_concurrent_workflow_tasks`; check the sticky cache size (`max_cached_workflows`)');
    for (const text of [order, workers]) expect(text).not.toMatch(/typedSearchAttributes|ApplicationFailure\b|ActivityFailure\b|maxConcurrent|maxCached|Throws /);
  });
});
