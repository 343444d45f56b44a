// `check --baseline` and `check --since` as a team runs them: the built CLI in child processes, on
// a real git repository made here from test/fixtures/baseline-app (commit, edit, move lines).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { scratchFolder } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli/main.js');
const fixture = path.join(repoRoot, 'test/fixtures/baseline-app');

let repo: string;

beforeEach(() => {
  repo = scratchFolder('baseline');
  fs.cpSync(fixture, repo, { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
});

function git(...args: string[]): string {
  const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function check(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, 'check', '.', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 170_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  expect(run.error).toBeUndefined();
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonFinding {
  checkId: string;
  file?: string;
  line?: number;
  severity: string;
  fingerprint: string;
}

function checkJson(...args: string[]) {
  const run = check('--format', 'json', ...args);
  const report = JSON.parse(run.stdout) as {
    verdict: string;
    findings: JsonFinding[];
    areas: { area: string; status: string; errors: number; warnings: number; known?: number; outsideChange?: number }[];
    scope?: unknown;
  };
  const findings = report.findings.map((f) => `${f.checkId} ${f.file ?? '(project)'}:${f.line ?? ''} ${f.severity}`);
  return { ...run, report, findings };
}

function edit(file: string, change: (text: string) => string): void {
  const absolute = path.join(repo, file);
  fs.writeFileSync(absolute, change(fs.readFileSync(absolute, 'utf8')));
}

/** Lines above every finding move down, the code around them is edited, nothing new is wrong. */
function moveLinesAndEditAround(): void {
  edit('src/workflows.ts', (text) =>
    `// Orders: the order workflow and its activities.\n\n${text}`
      .replace('export async function placeOrder', 'const ORDER_PREFIX = "ord_";\n\nexport async function placeOrder')
      .replace('  return orderId;', '  return `${ORDER_PREFIX}${orderId}`;'),
  );
  edit('src/worker.ts', (text) => text.replace("import * as activities from './activities';", "import * as activities from './activities';\n\nconst QUEUE = 'orders';").replace("taskQueue: 'orders'", 'taskQueue: QUEUE'));
}

const ALL_FINDINGS = [
  'no-replay-test (project): warning',
  'connection-without-tls-option src/worker.ts:5 info',
  'worker-metrics-not-exported src/worker.ts:6 warning',
  'worker-bundles-at-startup src/worker.ts:9 info',
  'activity-retry-policy-missing src/workflows.ts:4 warning',
  'activity-schedule-to-start-missing src/workflows.ts:4 warning',
  'workflow-failure-alert-missing src/workflows.ts:6 warning',
  'workflow-runbook-missing src/workflows.ts:6 info',
  'workflow-throws-plain-error src/workflows.ts:7 error',
];

describe('check --baseline (built CLI on a real git repository)', () => {
  it('--update-baseline writes every finding, reports none as new and exits 0', { timeout: 180_000 }, () => {
    expect(checkJson().findings).toEqual(ALL_FINDINGS);
    const run = checkJson('--baseline', 'preflight-baseline.json', '--update-baseline');
    expect(run.stderr).toBe('temporal-preflight: wrote 9 findings to the baseline preflight-baseline.json\n');
    expect(run.status).toBe(0);
    expect(run.report.verdict).toBe('GO');
    expect(run.findings).toEqual([]);
    expect(run.report.scope).toEqual({ baseline: { file: 'preflight-baseline.json', known: 9, fixed: 0, updated: true } });
    const baseline = JSON.parse(fs.readFileSync(path.join(repo, 'preflight-baseline.json'), 'utf8'));
    expect(baseline.fingerprintVersion).toBe('temporalPreflight/v2');
    expect(baseline.findings.map((f: { checkId: string; file?: string }) => `${f.checkId} ${f.file ?? '(project)'}`)).toEqual(
      ALL_FINDINGS.map((f) => f.replace(/:\d* \w+$/, '').replace(/:$/, '')),
    );
    // Written atomically: nothing but the baseline is left beside it.
    expect(fs.readdirSync(repo).filter((name) => name.includes('baseline'))).toEqual(['preflight-baseline.json']);
  });

  it('exits 0 when moved lines and unrelated edits leave every finding in the baseline', { timeout: 180_000 }, () => {
    expect(check('--baseline', 'preflight-baseline.json', '--update-baseline').status).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'baseline');
    moveLinesAndEditAround();
    const run = checkJson('--baseline', 'preflight-baseline.json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.findings).toEqual([]);
    expect(run.report.areas.map((a) => `${a.area} ${a.status} ${a.known}`)).toEqual([
      'determinism pass 2',
      'retries pass 1',
      'timeouts pass 1',
      'payloads pass 0',
      'capacity pass 2',
      'observability pass 3',
    ]);
    expect(run.report.scope).toEqual({ baseline: { file: 'preflight-baseline.json', known: 9, fixed: 0 } });
  });

  it('reports and fails on exactly the new finding, in every format', { timeout: 180_000 }, () => {
    expect(check('--baseline', 'preflight-baseline.json', '--update-baseline').status).toBe(0);
    moveLinesAndEditAround();
    edit('src/workflows.ts', (text) => text.replace('  await chargeCard(orderId);', "  if (Date.now() > 4102444800000) throw new Error('order window closed');\n  await chargeCard(orderId);"));

    const json = checkJson('--baseline', 'preflight-baseline.json');
    expect(json.status).toBe(1);
    expect(json.report.verdict).toBe('NO-GO');
    expect(json.findings).toEqual(['workflow-throws-plain-error src/workflows.ts:12 error']);
    expect(json.report.scope).toEqual({ baseline: { file: 'preflight-baseline.json', known: 9, fixed: 0 } });
    expect(json.report.areas[0]).toMatchObject({ area: 'determinism', status: 'fail', errors: 1, known: 2 });

    const sarif = check('--baseline', 'preflight-baseline.json', '--format', 'sarif');
    expect(sarif.status).toBe(1);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.results.map((r: { ruleId: string; baselineState: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => `${r.ruleId}:${r.locations[0]!.physicalLocation.region.startLine} ${r.baselineState}`)).toEqual([
      'workflow-throws-plain-error:12 new',
    ]);
    expect(run.results[0].partialFingerprints).toEqual({ 'temporalPreflight/v2': json.report.findings[0]!.fingerprint });
    expect(run.properties.scope).toEqual({ baseline: { file: 'preflight-baseline.json', known: 9, fixed: 0 } });

    const pretty = check('--baseline', 'preflight-baseline.json');
    expect(pretty.status).toBe(1);
    expect(pretty.stdout).toContain('  Baseline preflight-baseline.json: 9 known findings not shown, only new findings count.\n');
    expect(pretty.stdout).toContain('  determinism    FAIL          1 error, +2 known            static\n');
    expect(pretty.stdout.trim().split('\n').at(-1)).toBe('NO-GO: 1 error, 0 warnings, 0 info in 1 file (9 known in the baseline)');

    const markdown = check('--baseline', 'preflight-baseline.json', '--format', 'markdown');
    expect(markdown.stdout).toContain('\nBaseline preflight-baseline.json: 9 known findings not shown, only new findings count.\n');
    expect(markdown.stdout).toContain('| determinism | ❌ FAIL | 1 | 0 | 0 | 2 known | static |\n');

    const html = check('--baseline', 'preflight-baseline.json', '--format', 'html');
    expect(html.stdout).toContain('<p class="sub scope">Baseline preflight-baseline.json: 9 known findings not shown, only new findings count.</p>');
    expect(html.stdout).toContain('<span class="count none">2 known not shown</span>');
  });

  it('counts baseline entries that no finding matches any more as fixed', { timeout: 180_000 }, () => {
    expect(check('--baseline', 'preflight-baseline.json', '--update-baseline').status).toBe(0);
    edit('src/workflows.ts', (text) => text.replace("  if (Date.now() < 0) throw new Error('clock before 1970');\n", ''));
    const run = checkJson('--baseline', 'preflight-baseline.json');
    expect(run.findings).toEqual([]);
    expect(run.report.scope).toEqual({ baseline: { file: 'preflight-baseline.json', known: 8, fixed: 1 } });
  });

  it('rejects a missing or foreign baseline file with one line and exit 2', { timeout: 180_000 }, () => {
    expect(check('--baseline', 'nope.json')).toEqual({ status: 2, stdout: '', stderr: 'temporal-preflight: nope.json: no such baseline file (write one with --update-baseline)\n' });
    fs.writeFileSync(path.join(repo, 'other.json'), '{"findings": [{"id": 1}]}\n');
    expect(check('--baseline', 'other.json')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'temporal-preflight: other.json: not a temporal-preflight baseline (expected {"findings": [{"fingerprint": ...}]})\n',
    });
    expect(check('--update-baseline').stderr).toBe('temporal-preflight: --update-baseline needs --baseline <file>\n');
    expect(check('--baseline', 'b.json', '--update-baseline', '--since', 'HEAD')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'temporal-preflight: --update-baseline cannot be combined with --since: the baseline must hold every finding\n',
    });
  });
});

const BILLING_WORKER = `import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';

export async function runBillingWorker(): Promise<void> {
  const connection = await NativeConnection.connect({ address: 'temporal:7233' });
  const worker = await Worker.create({ connection, taskQueue: 'billing', workflowsPath: require.resolve('./workflows'), activities });
  await worker.run();
}
`;

describe('check --since (built CLI on a real git repository)', () => {
  it('reports only findings in files changed since the ref, untracked files included', { timeout: 180_000 }, () => {
    edit('src/activities.ts', (text) => `// Payment activities.\n${text}`);
    fs.writeFileSync(path.join(repo, 'src/billing-worker.ts'), BILLING_WORKER);
    // --fail-on warning: the new worker's findings are warnings, and only they count.
    const run = checkJson('--since', 'HEAD', '--fail-on', 'warning');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.findings).toEqual([
      'connection-without-tls-option src/billing-worker.ts:5 info',
      'worker-concurrency-implicit src/billing-worker.ts:6 warning',
      'worker-metrics-not-exported src/billing-worker.ts:6 warning',
      'worker-shutdown-grace-missing src/billing-worker.ts:6 info',
      'worker-bundles-at-startup src/billing-worker.ts:6 info',
    ]);
    // Everything in src/workflows.ts and the project-wide no-replay-test are outside the change.
    expect(run.report.scope).toEqual({ since: { ref: 'HEAD', changedFiles: 2, outsideChange: 8 } });
    expect(run.report.areas.map((a) => `${a.area} ${a.status} ${a.outsideChange}`)).toEqual([
      'determinism pass 2',
      'retries pass 1',
      'timeouts pass 1',
      'payloads pass 0',
      'capacity warn 2',
      'observability warn 2',
    ]);
  });

  it('keeps a finding elsewhere whose evidence changed, and exits 0 when the change adds nothing', { timeout: 180_000 }, () => {
    fs.writeFileSync(path.join(repo, 'src/billing-worker.ts'), BILLING_WORKER);
    git('add', '-A');
    git('commit', '-qm', 'billing worker');
    const base = git('rev-parse', 'HEAD').trim();
    edit('src/activities.ts', (text) => `// Payment activities.\n${text}`);
    git('commit', '-qam', 'comment');
    const quiet = checkJson('--since', base, '--fail-on', 'warning');
    expect(quiet.findings).toEqual([]);
    expect(quiet.status).toBe(0);
    expect(quiet.report.scope).toEqual({ since: { ref: base, changedFiles: 1, outsideChange: 13 } });

    // The metrics finding sits in billing-worker.ts; the orders worker is one of its related locations.
    // The orders worker's own notes (its connection, its bundling at start) are in the edited file.
    edit('src/worker.ts', (text) => text.replace('maxConcurrentActivityTaskExecutions: 20', 'maxConcurrentActivityTaskExecutions: 30'));
    const touched = checkJson('--since', base, '--fail-on', 'warning');
    expect(touched.findings).toEqual([
      'worker-metrics-not-exported src/billing-worker.ts:6 warning',
      'connection-without-tls-option src/worker.ts:5 info',
      'worker-bundles-at-startup src/worker.ts:9 info',
    ]);
    expect(touched.status).toBe(1);

    const sarif = check('--since', base, '--format', 'sarif');
    const results = JSON.parse(sarif.stdout).runs[0].results;
    expect(results.map((r: { ruleId: string; baselineState?: string }) => `${r.ruleId} ${r.baselineState ?? '-'}`)).toEqual([
      'worker-metrics-not-exported -',
      'connection-without-tls-option -',
      'worker-bundles-at-startup -',
    ]);
    expect(check('--since', base, '--format', 'markdown').stdout).toContain(`\nSince ${base}: 2 changed files; 10 findings outside the change not shown.\n`);
  });

  it('combines with --baseline: only new findings in the change', { timeout: 180_000 }, () => {
    expect(check('--baseline', 'preflight-baseline.json', '--update-baseline').status).toBe(0);
    git('add', '-A');
    git('commit', '-qm', 'baseline');
    moveLinesAndEditAround();
    edit('src/workflows.ts', (text) => text.replace('  await chargeCard(orderId);', "  if (Date.now() > 4102444800000) throw new Error('order window closed');\n  await chargeCard(orderId);"));
    const run = checkJson('--baseline', 'preflight-baseline.json', '--since', 'HEAD');
    expect(run.findings).toEqual(['workflow-throws-plain-error src/workflows.ts:12 error']);
    expect(run.report.scope).toEqual({
      baseline: { file: 'preflight-baseline.json', known: 9, fixed: 0 },
      since: { ref: 'HEAD', changedFiles: 2, outsideChange: 0 },
    });
  });

  it('rejects a ref git does not know, and a directory outside git, with one line and exit 2', { timeout: 180_000 }, () => {
    expect(check('--since', 'no-such-branch')).toEqual({
      status: 2,
      stdout: '',
      stderr: `temporal-preflight: --since no-such-branch: no such commit in the repository of ${repo}\n`,
    });
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    expect(check('--since', 'HEAD')).toEqual({ status: 2, stdout: '', stderr: `temporal-preflight: --since HEAD: ${repo} is not in a git repository\n` });
  });
});
