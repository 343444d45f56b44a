// Replay as a process: it exits by itself within a bound whatever the number of histories,
// replay processes and CPUs, and leaves no replay process or temporary folder behind. Before the
// pool was sized by the work, a process started ahead of time that got no work kept the run alive
// forever (1 history; 2 histories with --processes 1; any small set on a many-core runner).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonOutput, leftoverProcesses, repoRoot, runCliProcess } from '../helpers/cli-process.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

// The shared histories of the SDKs' test suites when they are there (beside the main checkout, or
// beside a worktree under wt/); otherwise four copies of the production example's recorded history
// against its own workflows, so the lifecycle is tested on a clone that has only this repository.
const shared = [path.resolve(repoRoot, '../shared/histories/typescript'), path.resolve(repoRoot, '../../shared/histories/typescript')].find((dir) => fs.existsSync(dir));
const examples = scratchFolderForSuite('lifecycle-histories');
const { workflows, histories } = shared
  ? {
      workflows: path.join(repoRoot, 'test/fixtures/replay-shared/workflows.ts'),
      histories: ['lang_flags_replay_correctly_1_9_3.json', 'lang_flags_replay_correctly_1_11_1.json', 'lang_flags_replay_correctly_1_11_2.json', 'samples-child-workflows.json'].map((h) =>
        path.join(shared, h),
      ),
    }
  : {
      workflows: path.join(repoRoot, 'examples/production-app/src/workflows.ts'),
      histories: ['a', 'b', 'c', 'd'].map((name) => path.join(examples, `processOrder-${name}.json`)),
    };
beforeAll(() => {
  if (shared) return;
  const source = path.join(repoRoot, 'examples/production-app/test/histories/processOrder-completed.json');
  for (const copy of histories) fs.copyFileSync(source, copy);
});

// bundling takes 10-30 s on a busy 2-core machine; a hang is forever
const BOUND_MS = 150_000;

function progress(total: number): string {
  return Array.from({ length: total }, (_, i) => `replayed ${i + 1}/${total}\n`).join('');
}

describe('replay exits by itself and leaves nothing running', () => {
  const cases: { histories: number; processes?: number; cpus?: number }[] = [
    { histories: 1, cpus: 1 },
    { histories: 1, cpus: 2 },
    { histories: 1, cpus: 16 },
    { histories: 1, processes: 1, cpus: 16 },
    { histories: 2, processes: 1 },
    { histories: 2, processes: 2, cpus: 1 },
    { histories: 4, processes: 1 },
    { histories: 4, processes: 3 },
    { histories: 4, processes: 4, cpus: 16 },
    { histories: 4, cpus: 16 },
  ];
  it.each(cases)('$histories histories, --processes $processes, $cpus CPUs', async ({ histories: count, processes, cpus }) => {
    const run = await runCliProcess(
      ['replay', '--workflows', workflows, ...(processes ? ['--processes', String(processes)] : []), ...histories.slice(0, count)],
      { timeoutMs: BOUND_MS, env: cpus ? { PREFLIGHT_CPUS: String(cpus) } : {} },
    );
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`replayed ${count} histories: ${count} ok, 0 nondeterminism, 0 error\n\n`);
    expect(run.stderr).toBe(progress(count));
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 10_000);

  it('a bundling error exits 2 with one line, and the processes started while bundling stop', async () => {
    const broken = path.join(repoRoot, 'test/fixtures/replay-lifecycle/broken-workflows.ts');
    const run = await runCliProcess(['replay', '--workflows', broken, histories[0]!, histories[1]!], { timeoutMs: BOUND_MS, env: { PREFLIGHT_CPUS: '16' } });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^temporal-preflight: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot bundle the workflows: .*\n$`));
    expect(run.stdout).toBe('');
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 10_000);

  it('check --replay of one history prints the verdict and exits', async () => {
    const run = await runCliProcess(
      ['check', 'test/fixtures/replay-shared', '--replay', '--workflows', workflows, '--histories', histories[0]!, '--compact'],
      { timeoutMs: BOUND_MS, env: { PREFLIGHT_CPUS: '16' } },
    );
    expect(run.timedOut).toBe(false);
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toMatch(/\b(GO|NO-GO)\b/);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 10_000);
});

describe('replay stopped by a signal', () => {
  // Enough copies of one history that the replay is still running when the signal comes.
  const many = scratchFolderForSuite('signal-histories');
  const COPIES = 60;
  beforeAll(() => {
    const source = path.join(repoRoot, 'examples/production-app/test/histories/processOrder-completed.json');
    for (let i = 0; i < COPIES; i++) fs.copyFileSync(source, path.join(many, `processOrder-${i}.json`));
  });

  // Before, Node's default for the signal ended the run at once and the bundle's temporary folder
  // (preflight-replay-*) stayed in the temporary folder.
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exits %i with one line, leaving no temporary folder or process', async (signal, code) => {
    let sent = false;
    const run = await runCliProcess(['replay', '--workflows', path.join(repoRoot, 'examples/production-app/src/workflows.ts'), '--processes', '1', many], {
      timeoutMs: BOUND_MS,
      onOutput: (child, _stdout, stderr) => {
        // the first progress line: the bundle is written and the histories are being replayed
        if (!sent && stderr.includes('replayed ')) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    expect(run.timedOut).toBe(false);
    expect(sent).toBe(true);
    expect(run.leftoverTemp).toEqual([]);
    expect({ code: run.code, signal: run.signal }).toEqual({ code, signal: null });
    expect(run.stderr.split('\n').filter((line) => line.startsWith('temporal-preflight:'))).toEqual([
      `temporal-preflight: stopped by ${signal}; the replay processes and temporary files are removed`,
    ]);
    expect(run.stdout).toBe('');
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);
});

describe('a replay process stops when its coordinator lets go', () => {
  // A stand-in coordinator: starts a replay process ahead of time as the CLI does, waits until
  // it has loaded the SDK, then lets go of it in one way and stays alive itself.
  async function idleProcessStops(letGo: 'child.disconnect()' | "child.kill('SIGTERM')" | 'process.exit(0)'): Promise<void> {
    const runReplay = path.join(repoRoot, 'dist/drill/replay/run-replay.js');
    const code = `
      const { bundleForReplay } = await import(${JSON.stringify(runReplay)});
      const bundle = await bundleForReplay({ workflowsPath: ${JSON.stringify(workflows)}, prewarm: 1 });
      const child = bundle.warm[0];
      child.channel.ref();
      setTimeout(() => { console.log(child.pid); ${letGo}; setTimeout(() => {}, 60_000); }, 3000);`;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-test-tmp-'));
    // a file, not \`node -e\`: fork() passes the parent's -e on to the child
    const script = path.join(tmp, 'coordinator.mjs');
    fs.writeFileSync(script, code);
    const coordinator = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: tmp } });
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        let out = '';
        coordinator.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(Number(out.trim()));
        });
        coordinator.on('exit', () => !out && reject(new Error('the coordinator exited early')));
      });
      expect(pid).toBeGreaterThan(0);
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const stillAlive = alive(pid);
      if (stillAlive) process.kill(pid, 'SIGKILL');
      expect(stillAlive).toBe(false);
    } finally {
      coordinator.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  // the SDK's runtime traps SIGTERM to drain workers, so an idle replay process ignored it
  it('on SIGTERM', () => idleProcessStops("child.kill('SIGTERM')"), 120_000);
  it('when the coordinator closes the IPC channel', () => idleProcessStops('child.disconnect()'), 120_000);
  it('when the coordinator dies', () => idleProcessStops('process.exit(0)'), 120_000);
});

function alive(pid: number): boolean {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

describe('replay is honest about what it could not check', () => {
  const justStarted = path.join(repoRoot, 'test/fixtures/replay-lifecycle/histories/just-started.json');
  const relative = path.relative(repoRoot, justStarted);

  it('a history whose workflow type the bundle does not export is an error, even with no workflow task to replay', async () => {
    const other = path.join(repoRoot, 'test/fixtures/replay-tz/workflows.ts');
    const run = await runCliProcess(['replay', '--workflows', other, justStarted], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'replayed 1 histories: 0 ok, 0 nondeterminism, 1 error\n\n' +
        `  ERROR  ${relative}  greetWorkflow (workflow id greet-1)\n` +
        '    the workflows bundle does not export workflow type "greetWorkflow"\n',
    );
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);

  it('an execution still running when recorded is reported as running, not ok, and does not fail the run', async () => {
    const greet = path.join(repoRoot, 'test/fixtures/replay-lifecycle/greet-workflows.ts');
    const run = await runCliProcess(['replay', '--workflows', greet, '--format', 'json', justStarted], { timeoutMs: BOUND_MS });
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(0);
    const report = jsonOutput(run);
    expect(report.summary).toEqual({ ok: 0, running: 1, nondeterminism: 0, error: 0 });
    expect(report.results[0]).toMatchObject({ workflowType: 'greetWorkflow', outcome: 'running' });
    expect(await leftoverProcesses(run.marker)).toEqual([]);
  }, BOUND_MS + 10_000);
});
