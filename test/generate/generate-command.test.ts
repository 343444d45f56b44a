// `temporal-preflight generate` end to end, in-process, on a fixture project.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { writeOutput } from '../../src/cli/io.js';
import { promtool, promtoolAvailable } from './promtool.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/capacity-observability');
const out = scratchFolderForSuite('generate');
const tool = promtoolAvailable();

function fakeIo() {
  const io = { out: '', err: '', code: undefined as number | undefined };
  const cli: CliIo = {
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    isTTY: false,
    color: false,
    setExitCode: (c) => void (io.code = c),
    writeOutput: (text, file) => writeOutput(cli, text, file),
    debug: false,
  };
  return { io, cli };
}

describe('generate', () => {
  it('writes alert rules for every workflow type and task queue of the project', async () => {
    const { io, cli } = fakeIo();
    const file = path.join(out, 'rules', 'temporal.rules.yml');
    await runCli(['generate', 'alerts', fixture, '-o', file, '--runbook-url', 'https://runbooks.example.com/shipping'], cli);
    expect(io.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    for (const type of ['importOrders', 'refundPayment', 'shipOrder', 'syncCatalog']) expect(text).toContain(`temporal_workflow_failed_total{workflow_type="${type}"}`);
    for (const queue of ['reporting', 'shipping', 'shipping-bulk']) expect(text).toContain(`temporal_num_pollers{task_queue="${queue}"}`);
    expect(text).toContain('runbook_url: https://runbooks.example.com/shipping/shipOrder.md');
    // The fixture's Runtime.install sets countersTotalSuffix: counters get _total, gauges do not.
    expect(text).toContain('(countersTotalSuffix: true, unitSuffix: false, useSecondsForDurations: false)');
    expect(text).not.toMatch(/temporal_workflow_failed\{/);
    if (tool.available) {
      // 4 failure-rate + non-determinism + task failures; slots + 3 queues x 2 + workflow-task latency; 1 activity
      const check = promtool(['check', 'rules', file], out);
      expect(check.output).toContain('SUCCESS: 15 rules found');
    }
  }, 120_000);

  it('prints the dashboard to stdout without -o', async () => {
    const { io, cli } = fakeIo();
    await runCli(['generate', 'dashboard', fixture], cli);
    expect(io.code).toBe(0);
    const dashboard = JSON.parse(io.out) as { title: string; panels: unknown[] };
    expect(dashboard.title).toBe('capacity-observability: Temporal workflows and workers');
    expect(dashboard.panels).toHaveLength(7);
  }, 120_000);

  it('writes one runbook per workflow type, and keeps existing ones unless --force', async () => {
    const folder = path.join(out, 'runbooks');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'shipOrder.md'), '# hand-written\n');
    const first = fakeIo();
    await runCli(['generate', 'runbooks', fixture, '-o', folder], first.cli);
    expect(first.io.code).toBe(0);
    expect(first.io.out.split('\n').filter(Boolean).map((line) => line.replace(folder + path.sep, ''))).toEqual([
      'wrote importOrders.md',
      'wrote refundPayment.md',
      'kept shipOrder.md (exists; --force overwrites)',
      'wrote syncCatalog.md',
      'wrote temporal-workers.md',
    ]);
    expect(fs.readFileSync(path.join(folder, 'shipOrder.md'), 'utf8')).toBe('# hand-written\n');
    const forced = fakeIo();
    await runCli(['generate', 'runbooks', fixture, '-o', folder, '--force'], forced.cli);
    expect(fs.readFileSync(path.join(folder, 'shipOrder.md'), 'utf8')).toContain('# Runbook: shipOrder');
  }, 120_000);

  it('rejects an unknown artifact with exit code 2 and one line', async () => {
    const { io, cli } = fakeIo();
    await runCli(['generate', 'slides', fixture], cli);
    expect(io.code).toBe(2);
    expect(io.err).toBe('temporal-preflight: generate: unknown artifact "slides" (expected alerts, dashboard, runbooks)\n');
  });
});
