import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repo, '..', 'shared', 'histories', 'typescript');
const fixture = path.join(repo, 'test/fixtures/replay-shared');
const hasShared = fs.existsSync(shared);
if (!hasShared) console.warn(`skipping shared-history replay tests: ${shared} is absent`);

const histories = ['lang_flags_replay_correctly_1_9_3.json', 'lang_flags_replay_correctly_1_11_1.json', 'lang_flags_replay_correctly_1_11_2.json', 'samples-child-workflows.json'];

async function replayJson(workflows: string) {
  const io = fakeIo();
  await runCli(['replay', '--workflows', path.join(fixture, workflows), '--format', 'json', ...histories.map((h) => path.join(shared, h))], io);
  return { io, report: JSON.parse(io.out) };
}

describe.skipIf(!hasShared)('replay of the SDK test-suite histories', () => {
  it('replays every history cleanly against matching workflow code', async () => {
    const { io, report } = await replayJson('workflows.ts');
    expect(io.exitCode).toBe(0);
    expect(report.summary).toEqual({ ok: 4, running: 0, nondeterminism: 0, error: 0 });
    expect(report.results.map((r: { workflowType: string }) => r.workflowType)).toEqual([
      'langFlagsReplayCorrectly',
      'langFlagsReplayCorrectly',
      'langFlagsReplayCorrectly',
      'parentWorkflow',
    ]);
  }, 120_000);

  it('reports nondeterminism with the event, the expected and the issued command for changed code', async () => {
    const { io, report } = await replayJson('workflows-changed.ts');
    expect(io.exitCode).toBe(1);
    expect(report.summary).toEqual({ ok: 0, running: 0, nondeterminism: 4, error: 0 });
    const child = report.results.find((r: { workflowType: string }) => r.workflowType === 'parentWorkflow');
    expect(child).toMatchObject({
      outcome: 'nondeterminism',
      eventId: 7,
      expected: 'StartChildWorkflowExecutionInitiated childWorkflow',
      issued: 'no command',
    });
    const activity = report.results.find((r: { file: string }) => r.file.endsWith('lang_flags_replay_correctly_1_11_2.json'));
    expect(activity).toMatchObject({
      outcome: 'nondeterminism',
      expected: 'ActivityTaskScheduled noopActivity',
      issued: 'ScheduleActivityTask otherActivity',
    });
    // relative to the working directory, like the history file names
    expect(activity.location).toEqual({ file: path.relative(process.cwd(), path.join(fixture, 'workflows-changed.ts')), line: 4, column: 9 });
    expect(activity.message).toBe("[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'noopActivity' does not match activity type of activity command 'otherActivity'");
    const events = JSON.parse(fs.readFileSync(path.join(shared, 'lang_flags_replay_correctly_1_11_2.json'), 'utf8')).events;
    const scheduled = events.find((e: { eventType: string }) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(activity.eventId).toBe(Number(scheduled.eventId));
  }, 120_000);

  it('reports a workflow type missing from the bundle as an error, not nondeterminism', async () => {
    const io = fakeIo();
    await runCli(['replay', '--workflows', path.join(repo, 'test/fixtures/replay-tz/workflows.ts'), '--format', 'json', path.join(shared, 'samples-child-workflows.json')], io);
    const report = JSON.parse(io.out);
    expect(io.exitCode).toBe(1);
    expect(report.summary).toEqual({ ok: 0, running: 0, nondeterminism: 0, error: 1 });
    expect(report.results[0].message).toMatch(/parentWorkflow/);
  }, 120_000);
});

describe('replay input errors', () => {
  it('a corrupt history file becomes an error result naming the problem, not a crash', async () => {
    const dir = scratchFolder('replay-bad');
    fs.writeFileSync(path.join(dir, 'truncated.json'), '{"events": [{"eventId": "1", ');
    const io = fakeIo();
    await runCli(['replay', '--workflows', path.join(fixture, 'workflows.ts'), '--format', 'json', dir], io);
    const report = JSON.parse(io.out);
    expect(report.summary).toEqual({ ok: 0, running: 0, nondeterminism: 0, error: 1 });
    // the history reader `histories` uses decides, with its reason
    expect(report.results[0].message).toBe('truncated JSON at byte 29');
  }, 120_000);

  it('a missing workflows module is a usage error', async () => {
    const io = fakeIo();
    await runCli(['replay', '--workflows', '/no/such/workflows.ts', 'x.json'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/^temporal-preflight: (x\.json: no such file or directory|--workflows \/no\/such\/workflows\.ts: no such module)\n$/);
  });
});
