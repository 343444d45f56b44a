import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from '../helpers/scratch-folder.js';
import { runSimulationCli } from './cli-harness.js';

const ESC = String.fromCharCode(27);

describe('temporal-preflight simulate outage', () => {
  it('writes the three scenarios as JSON', async () => {
    const io = await runSimulationCli(['simulate', 'outage', '--workflows', '10,000', '--outage', '30m', '--format', 'json']);
    expect(io.exitCode).toBe(0);
    const result = JSON.parse(io.out);
    expect(result.scenarios.map((s: { name: string }) => s.name)).toEqual(['given', 'server-default', 'recommended']);
    expect(result.scenarios[0]).toMatchObject({ totalAttempts: 250_000, actions: 250_000, costUsd: 12.5, completed: 10_000 });
    expect(result.summary).toContain('25 attempts per activity');
  });

  it('reads the retry policy flags', async () => {
    const io = await runSimulationCli([
      'simulate', 'outage', '--outage', '10m', '--schedule-to-close', '300s', '--initial-interval', '1s',
      '--backoff', '2', '--max-interval', '100s', '--non-retryable', 'A, B', '--format', 'json',
    ]);
    const given = JSON.parse(io.out).scenarios[0];
    expect(given.policy).toEqual({
      initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100_000, maximumAttempts: 0,
      nonRetryableErrorTypes: ['A', 'B'], scheduleToCloseMs: 300_000,
    });
    expect(given).toMatchObject({ totalAttempts: 9, failed: 1 });
  });

  it('refuses a policy the server rejects, with the server message, exit 2', async () => {
    const io = await runSimulationCli(['simulate', 'outage', '--outage', '10m', '--backoff', '0.5']);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe(
      'temporal-preflight: the Temporal server rejects this retry policy: "BackoffCoefficient cannot be less than 1 on retry policy."; ' +
        'the server rejects the ScheduleActivityTask command (BAD_SCHEDULE_ACTIVITY_ATTRIBUTES), so the workflow task fails and is retried forever: the workflow is stuck\n',
    );
    expect(io.out).toBe('');
  });

  it('refuses a policy the SDK rejects, with the SDK message', async () => {
    const io = await runSimulationCli(['simulate', 'outage', '--outage', '10m', '--max-attempts', '0']);
    expect(io.exitCode).toBe(2);
    expect(io.err).toContain('the TypeScript SDK rejects this retry policy: "RetryPolicy.maximumAttempts must be a positive integer"');
  });

  it.each([
    [['--outage', 'soon'], '--outage soon: not a duration'],
    [['--outage', '10m', '--jitter', 'some'], '--jitter some: use one of none, full, equal, decorrelated'],
    [['--outage', '10m', '--workflows', '1.5'], '--workflows must be a whole number'],
    [['--outage', '10m', '--horizon', '1m'], 'the horizon must be at least as long as the outage'],
    [['--outage', '10m', '--format', 'sarif'], '--format sarif does not apply to "simulate outage"'],
  ])('turns bad input %j into a one-line usage error', async (flags, message) => {
    const io = await runSimulationCli(['simulate', 'outage', ...flags]);
    expect(io.exitCode).toBe(2);
    expect(io.err).toContain(message);
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });

  it('requires --outage', async () => {
    const io = await runSimulationCli(['simulate', 'outage']);
    expect(io.exitCode).toBe(2);
    expect(io.err).toContain("required option '--outage <duration>' not specified");
  });

  it('draws the three curves in plain text when colours are off', async () => {
    const io = await runSimulationCli(['simulate', 'outage', '--workflows', '1000', '--outage', '10m', '--recovery-capacity', '100']);
    expect(io.exitCode).toBe(0);
    expect(io.out).not.toContain(ESC);
    const chartLines = io.out.split('\n').filter((l) => /[▁▂▃▄▅▆▇█]/.test(l));
    expect(chartLines).toHaveLength(9);
    for (const name of ['  given ', '  server-default ', '  recommended ']) expect(io.out).toContain(name);
    expect(io.out).toContain('Recommended: initial interval 1s');
  });

  it('colours the curves only when allowed', async () => {
    const io = await runSimulationCli(['simulate', 'outage', '--workflows', '1000', '--outage', '10m'], { color: true });
    expect(io.out).toContain(ESC);
  });

  it('writes to the file given with -o', async () => {
    const file = path.join(scratchFolder('simulate'), 'out.json');
    const io = await runSimulationCli(['simulate', 'outage', '--outage', '1m', '--format', 'json', '-o', file]);
    expect(io.out).toBe('');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).scenarios[0].totalAttempts).toBe(7);
  });
});

describe('temporal-preflight capacity', () => {
  it('plans 214 slots for 100/s x 2 s at p99 <= 500 ms without headroom', async () => {
    const io = await runSimulationCli(['capacity', '--rate', '100', '--duration-mean', '2s', '--target', '500ms', '--headroom', '1', '--format', 'json']);
    expect(io.exitCode).toBe(0);
    const report = JSON.parse(io.out);
    expect(report.plan.slots).toBe(214);
    expect(report.plan.table.length).toBeGreaterThan(5);
  });

  it('plans for twice the rate by default', async () => {
    const io = await runSimulationCli(['capacity', '--rate', '50', '--duration-mean', '2s', '--format', 'json']);
    const report = JSON.parse(io.out);
    expect(report.plan).toMatchObject({ slots: 214, headroom: 2, ratePerSecond: 100, percentile: 99, targetMs: 500 });
    expect(report.plan.atExpectedRate.ratePerSecond).toBe(50);
  });

  it('exits 1 when --slots misses the target and 0 when it meets it', async () => {
    const base = ['capacity', '--rate', '100', '--duration-mean', '2s', '--headroom', '1', '--format', 'json'];
    const low = await runSimulationCli([...base, '--slots', '213']);
    expect(low.exitCode).toBe(1);
    expect(JSON.parse(low.out).evaluation).toMatchObject({ slots: 213, meetsTarget: false });
    const enough = await runSimulationCli([...base, '--slots', '214']);
    expect(enough.exitCode).toBe(0);
    expect(JSON.parse(enough.out).evaluation).toMatchObject({ slots: 214, meetsTarget: true });
  });

  it('reports an unstable pool as unbounded waits (null in JSON)', async () => {
    const io = await runSimulationCli(['capacity', '--rate', '100', '--duration-mean', '2s', '--headroom', '1', '--slots', '150', '--format', 'json']);
    expect(JSON.parse(io.out).evaluation).toMatchObject({ stable: false, meanWait: null, wait: { p99: null } });
  });

  it('draws the wait-against-slots curve and marks the plan', async () => {
    const io = await runSimulationCli(['capacity', '--rate', '10', '--duration-mean', '1s', '--headroom', '1']);
    expect(io.out).toContain('15 slots across all workers on the task queue');
    expect(io.out).toMatch(/ {5}15 .*█.*<- plan/);
    expect(io.out).not.toContain(ESC);
  });

  it.each([
    [['--rate', '0', '--duration-mean', '1s'], '--rate must be more than 0'],
    [['--rate', '10', '--duration-mean', 'long'], '--duration-mean long: not a duration'],
    [['--rate', '10', '--duration-mean', '1s', '--percentile', '100'], '--percentile must be between 0 and 100'],
    [['--rate', '10', '--duration-mean', '1s', '--headroom', '0.5'], '--headroom must be 1 or more'],
    [['--rate', '10', '--duration-mean', '1s', '--slots', '2.5'], '--slots must be a whole number'],
  ])('turns bad input %j into a usage error', async (flags, message) => {
    const io = await runSimulationCli(['capacity', ...flags]);
    expect(io.exitCode).toBe(2);
    expect(io.err).toContain(message);
  });
});
