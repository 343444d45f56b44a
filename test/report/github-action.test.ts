// The GitHub Action end to end: action.yml's steps run in order as the runner runs a composite
// action (its `if:` conditions, its env wiring, GITHUB_OUTPUT between steps), with the real CLI
// from this checkout reviewing a real project, and a local HTTP server standing in for the GitHub
// REST API. The assertions are on the requests the Action makes, its outputs and annotations.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scratchFolder } from '../helpers/scratch-folder.js';
import { validateSarif } from './sarif-multitool.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(repoRoot, 'test/fixtures/baseline-app');
const history = path.join(repoRoot, 'test/fixtures/histories-mixed/order-1.json');

interface ActionStep {
  name: string;
  id?: string;
  if?: string;
  env?: Record<string, string>;
  run: string;
}
const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: ActionStep[] };
};

// ---- the stand-in GitHub REST API ----

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  body?: Record<string, unknown>;
}
let server: http.Server;
let api: string;
let requests: Recorded[] = [];
let comments: { id: number; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, ...(body ? { body } : {}) });
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      const url = req.url!;
      if (req.method === 'POST' && url === '/repos/acme/shop/code-scanning/sarifs') return reply(202, { id: 'sarif-1', url: `${api}/sarif-1` });
      if (req.method === 'GET' && /^\/repos\/acme\/shop\/issues\/7\/comments\?per_page=100&page=1$/.test(url)) return reply(200, comments);
      if (req.method === 'POST' && url === '/repos/acme/shop/issues/7/comments') {
        const created = { id: 900 + comments.length, body: String(body!.body) };
        comments.push(created);
        return reply(201, created);
      }
      const patch = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(url);
      if (req.method === 'PATCH' && patch) {
        const comment = comments.find((c) => c.id === Number(patch[1]));
        if (!comment) return reply(404, { message: 'Not Found' });
        comment.body = String(body!.body);
        return reply(200, comment);
      }
      reply(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// ---- a workspace (the checked-out repository) and a runner for action.yml ----

let workspace: string;
let runnerTemp: string;

beforeEach(() => {
  workspace = scratchFolder('action');
  runnerTemp = scratchFolder('runner');
  requests = [];
  comments = [];
});

function placeApp(dir: string): void {
  fs.cpSync(fixture, path.join(workspace, dir), { recursive: true });
}

interface StepRun {
  name: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, env: Record<string, string>): Promise<StepRun & { name: '' }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: workspace, env, timeout: 170_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ name: '', status, stdout, stderr }));
  });
}

/** Runs action.yml's steps like the runner: stops at the first failing step. */
async function runAction(inputs: Record<string, string>, github: { event: string; payload: object; ref?: string }) {
  const eventPath = path.join(runnerTemp, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(github.payload));
  const summary = path.join(runnerTemp, 'step-summary.md');
  const outputs: Record<string, Record<string, string>> = {};
  const value = (expression: string): string => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return inputs[input[1]!] ?? action.inputs[input[1]!]!.default.replace('${{ github.token }}', 'test-token');
    const output = /^steps\.(\w+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return outputs[output[1]!]?.[output[2]!] ?? '';
    throw new Error(`expression not supported by the test runner: ${expression}`);
  };
  const steps: StepRun[] = [];
  for (const step of action.runs.steps) {
    if (step.if) {
      const condition = /^\$\{\{ (\S+) (==|!=) '([^']*)' \}\}$/.exec(step.if);
      if (!condition) throw new Error(`condition not supported by the test runner: ${step.if}`);
      const equal = value(condition[1]!) === condition[3];
      if ((condition[2] === '==') !== equal) continue;
    }
    const outputFile = path.join(runnerTemp, `output-${steps.length}`);
    fs.writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      GITHUB_ACTION_PATH: repoRoot,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: api,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123',
      GITHUB_REF: github.ref ?? 'refs/heads/main',
      GITHUB_RUN_ID: '42',
      GITHUB_EVENT_NAME: github.event,
      GITHUB_EVENT_PATH: eventPath,
      RUNNER_TEMP: runnerTemp,
    };
    for (const [name, expression] of Object.entries(step.env ?? {})) env[name] = expression.replace(/\$\{\{ (\S+) \}\}/g, (_, e: string) => value(e));
    const result = await run(step.run, env);
    steps.push({ ...result, name: step.name });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    }
    if (result.status !== 0) break;
  }
  const failed = steps.find((s) => s.status !== 0);
  return {
    steps,
    failed: failed ? `${failed.name}: exit ${failed.status}` : undefined,
    outputs: outputs.review ?? {},
    summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '',
    stdout: steps.map((s) => s.stdout).join(''),
  };
}

const pullRequest = (fork: boolean) => ({
  event: 'pull_request',
  ref: 'refs/pull/7/merge',
  payload: {
    pull_request: { number: 7, head: { repo: { full_name: fork ? 'someone/shop' : 'acme/shop' } }, base: { repo: { full_name: 'acme/shop' } } },
  },
});
const push = { event: 'push', payload: { ref: 'refs/heads/main' } };

function annotations(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::') && !line.startsWith('::group') && !line.startsWith('::endgroup'));
}

describe('the GitHub Action, end to end against a local GitHub API', () => {
  it('reviews a monorepo path once, with histories relative to it, uploads the SARIF and fails on NO-GO', { timeout: 240_000 }, async () => {
    placeApp('services/orders');
    fs.mkdirSync(path.join(workspace, 'services/orders/test/histories'), { recursive: true });
    fs.copyFileSync(history, path.join(workspace, 'services/orders/test/histories/order-1.json'));
    fs.mkdirSync(path.join(workspace, 'node_modules')); // hoisted dependencies at the repository root
    const result = await runAction({ path: 'services/orders', args: '--histories test/histories' }, push);

    expect(result.steps.map((s) => `${s.name}: ${s.status}`)).toEqual([
      "Build temporal-preflight from the action's checkout: 0",
      'Review the Temporal application: 0',
      'Upload findings to code scanning: 0',
      'Fail on NO-GO or when the review could not run: 1',
    ]);
    expect(result.outputs).toEqual({ verdict: 'NO-GO', 'sarif-file': 'temporal-preflight.sarif', upload: 'true', comment: 'false', 'comment-file': '' });
    expect(annotations(result.stdout)).toEqual(['::error title=temporal-preflight::NO-GO: the review found production-readiness failures; see the job summary.']);

    // One request: the upload, for the commit and ref of the run, with the SARIF as the API wants it.
    expect(requests.map((r) => `${r.method} ${r.url} ${r.authorization}`)).toEqual(['POST /repos/acme/shop/code-scanning/sarifs Bearer test-token']);
    const upload = requests[0]!.body!;
    expect([upload.commit_sha, upload.ref, upload.tool_name]).toEqual(['abc123', 'refs/heads/main', 'temporal-preflight']);
    const sarif = gunzipSync(Buffer.from(String(upload.sarif), 'base64')).toString('utf8');
    expect(sarif).toBe(fs.readFileSync(path.join(workspace, 'temporal-preflight.sarif'), 'utf8'));
    const run = JSON.parse(sarif).runs[0];
    expect(run.automationDetails).toEqual({ id: 'temporal-preflight/' });
    expect(
      run.results.map((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) =>
        `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`),
    ).toEqual([
      'no-replay-test services/orders/package.json:1',
      'connection-without-tls-option services/orders/src/worker.ts:5',
      'worker-metrics-not-exported services/orders/src/worker.ts:6',
      'worker-bundles-at-startup services/orders/src/worker.ts:9',
      'activity-retry-policy-missing services/orders/src/workflows.ts:4',
      'activity-schedule-to-start-missing services/orders/src/workflows.ts:4',
      'workflow-failure-alert-missing services/orders/src/workflows.ts:6',
      'workflow-runbook-missing services/orders/src/workflows.ts:6',
      'workflow-throws-plain-error services/orders/src/workflows.ts:7',
    ]);
    // The history given relative to `path` was read: the payloads area rests on history evidence.
    expect(run.properties.areas.find((a: { area: string }) => a.area === 'payloads').evidence).toEqual(['static', 'history']);
    expect(validateSarif(sarif, ['Sarif', 'Gh'])).toEqual([]);

    expect(result.summary.split('\n')[0]).toBe('## Temporal production readiness: ❌ NO-GO');
    expect(result.summary).toContain('[src/workflows.ts:7](https://github.com/acme/shop/blob/abc123/services/orders/src/workflows.ts#L7)');
  });

  it('on a fork pull request skips the SARIF upload with a notice and comments instead, then updates that one comment', { timeout: 240_000 }, async () => {
    placeApp('.');
    const first = await runAction({}, pullRequest(true));
    expect(first.outputs).toMatchObject({ verdict: 'NO-GO', upload: 'false', comment: 'true' });
    expect(annotations(first.stdout)).toEqual([
      '::warning title=temporal-preflight::no node_modules in \'.\' or above it: install the project\'s dependencies before this action (npm ci where the lockfile is), or imported types stay unresolved',
      '::notice title=temporal-preflight::fork pull request: the SARIF is not uploaded to code scanning (the token of a fork pull request cannot write security events); the findings are in the job summary and the pull-request comment',
      '::error title=temporal-preflight::NO-GO: the review found production-readiness failures; see the job summary.',
    ]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /repos/acme/shop/issues/7/comments?per_page=100&page=1', 'POST /repos/acme/shop/issues/7/comments']);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(
      [
        '<!-- temporal-preflight:temporal-preflight -->',
        '### temporal-preflight: ❌ NO-GO',
        '',
        '1 error, 5 warnings, 3 info',
        '',
        '| Area | Status | Findings |',
        '| --- | --- | --- |',
        '| determinism | ❌ FAIL | 1 error, 1 warning |',
        '| retries | ⚠️ WARN | 1 warning |',
        '| timeouts | ⚠️ WARN | 1 warning |',
        '| payloads | ✅ PASS | none |',
        '| capacity | ✅ PASS | 2 info |',
        '| observability | ⚠️ WARN | 2 warnings, 1 info |',
        '',
        '**Findings**',
        '',
        '- 🔴 [src/workflows.ts:7](https://github.com/acme/shop/blob/abc123/src/workflows.ts#L7) `workflow-throws-plain-error`: Workflow placeOrder throws a plain Error \\(new Error\\(\'clock before 1970\'\\)\\), not an ApplicationFailure.',
        '- 🟡 (project) `no-replay-test`: No test replays recorded workflow histories \\(Worker.runReplayHistory / runReplayHistories, or \\`temporal-preflight replay\\` in a package script or CI job\\).',
        '- 🟡 [src/worker.ts:6](https://github.com/acme/shop/blob/abc123/src/worker.ts#L6) `worker-metrics-not-exported`: The worker for task queue \'orders\' runs without Runtime.install exporting metrics: the SDK emits no metrics.',
        '- 🟡 [src/workflows.ts:4](https://github.com/acme/shop/blob/abc123/src/workflows.ts#L4) `activity-retry-policy-missing`: No retry policy on proxyActivities for chargeCard: the server retries failures with the default policy \\(initial interval 1s, backoff 2, maximum interval 1m 40s, unlimited attempts, no scheduleToCloseTimeout\\), for as long as the workflow runs.',
        '- 🟡 [src/workflows.ts:4](https://github.com/acme/shop/blob/abc123/src/workflows.ts#L4) `activity-schedule-to-start-missing`: The project has no alert on temporal\\_activity\\_schedule\\_to\\_start\\_latency, and proxyActivities for chargeCard leaves scheduleToStartTimeout unset: when the workers are saturated, crashed or polling the wrong task queue, tasks wait in the queue forever, since there is no scheduleToCloseTimeout either, with no error and nothing to notice.',
        '- 🟡 [src/workflows.ts:6](https://github.com/acme/shop/blob/abc123/src/workflows.ts#L6) `workflow-failure-alert-missing`: No alert fires when placeOrder workflows fail: no rule file matches alerts.ruleFiles \\(\\*\\*/\\*.rules.\\{yml,yaml\\}, \\*\\*/prometheus\\*/\\*\\*/\\*.\\{yml,yaml\\}\\) and no YAML file in the project holds Prometheus alerting rules.',
        '',
        '[Full report](https://github.com/acme/shop/actions/runs/42) in the job summary.',
        '',
      ].join('\n'),
    );

    // The next push fixes the plain throw, the only error: the verdict turns GO and the same
    // comment is edited, not a second one added.
    requests = [];
    fs.writeFileSync(path.join(workspace, 'src/workflows.ts'), fs.readFileSync(path.join(workspace, 'src/workflows.ts'), 'utf8').replace("  if (Date.now() < 0) throw new Error('clock before 1970');\n", ''));
    const second = await runAction({}, pullRequest(true));
    expect(second.outputs.verdict).toBe('GO');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /repos/acme/shop/issues/7/comments?per_page=100&page=1', 'PATCH /repos/acme/shop/issues/comments/900']);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.split('\n').slice(0, 4)).toEqual(['<!-- temporal-preflight:temporal-preflight -->', '### temporal-preflight: ✅ GO', '', '0 errors, 5 warnings, 3 info']);
    expect(comments[0]!.body).not.toContain('workflow-throws-plain-error');
  });

  it('reports an exit-2 run as "could not run", not NO-GO: no SARIF, no upload, a comment that says so', { timeout: 240_000 }, async () => {
    placeApp('services/orders');
    fs.mkdirSync(path.join(workspace, 'node_modules'));
    const result = await runAction({ path: 'services/orders', args: '--config missing.json', comment: 'true' }, pullRequest(false));
    const config = path.join(fs.realpathSync(workspace), 'services/orders/missing.json');
    expect(result.failed).toBe('Fail on NO-GO or when the review could not run: exit 2');
    expect(result.outputs).toEqual({ verdict: 'could-not-run', 'sarif-file': '', upload: 'false', comment: 'true', 'comment-file': path.join(runnerTemp, 'temporal-preflight-comment.md') });
    expect(annotations(result.stdout)).toEqual([
      `::error title=temporal-preflight could not run::temporal-preflight: ${config}: cannot read the config file (ENOENT) (exit 2; this is not a NO-GO verdict: the review did not run)`,
    ]);
    expect(result.steps.find((s) => s.name === 'Review the Temporal application')!.stderr).toBe(`temporal-preflight: ${config}: cannot read the config file (ENOENT)\n`);
    expect(fs.existsSync(path.join(workspace, 'temporal-preflight.sarif'))).toBe(false);
    const explanation = `\`temporal-preflight check\` in \`services/orders\` could not run (exit 2): temporal-preflight: ${config}: cannot read the config file \\(ENOENT\\)\n\nThere is no verdict: this is not a NO-GO. Fix the error and run again.`;
    expect(result.summary).toBe(`## Temporal production readiness: ⚠️ could not run\n\n${explanation}\n`);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /repos/acme/shop/issues/7/comments?per_page=100&page=1', 'POST /repos/acme/shop/issues/7/comments']);
    expect(comments[0]!.body).toBe(
      `<!-- temporal-preflight:temporal-preflight -->\n### temporal-preflight (\`services/orders\`): ⚠️ could not run\n\n${explanation}\n\n[Run log](https://github.com/acme/shop/actions/runs/42)\n`,
    );
  });

  it('reports a path that is not a directory as "could not run"', { timeout: 60_000 }, async () => {
    const result = await runAction({ path: 'nope', 'upload-sarif': 'false' }, push);
    expect(result.failed).toBe('Fail on NO-GO or when the review could not run: exit 2');
    expect(annotations(result.stdout)).toEqual([
      "::error title=temporal-preflight could not run::path 'nope' is not a directory in the repository (exit 2; this is not a NO-GO verdict: the review did not run)",
    ]);
    expect(requests).toEqual([]);
  });
});

describe('build-action.sh', () => {
  it('installs and builds the action from its own source when no dist/ is there, and uses dist/ when it is', { timeout: 60_000 }, async () => {
    const actionDir = scratchFolder('action-src');
    const bin = path.join(actionDir, 'fake-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(actionDir, 'package.json'), '{ "name": "temporal-preflight", "version": "9.9.9" }\n');
    // A stand-in npm: records its arguments; `run build` produces the CLI.
    fs.writeFileSync(path.join(bin, 'npm'), '#!/usr/bin/env bash\necho "npm $* in $PWD" >>"$FAKE_LOG"\nif [ "$1" = run ]; then mkdir -p dist/cli && touch dist/cli/main.js; fi\n', { mode: 0o755 });
    const log = path.join(actionDir, 'calls');
    const env = { PATH: `${bin}:${process.env.PATH}`, HOME: os.homedir(), GITHUB_ACTION_PATH: actionDir, FAKE_LOG: log };
    const built = await run(`bash ${path.join(repoRoot, 'action/build-action.sh')}`, env);
    expect(built.status).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe(`npm ci --no-audit --no-fund in ${actionDir}\nnpm run build in ${actionDir}\n`);
    const again = await run(`bash ${path.join(repoRoot, 'action/build-action.sh')}`, env);
    expect(again.stdout).toBe('temporal-preflight: using the prebuilt dist/ of the action (9.9.9)\n');
    expect(fs.readFileSync(log, 'utf8').split('\n')).toHaveLength(3);
  });
});

describe('action.yml', () => {
  it('is a composite action with the documented inputs, and never fetches the CLI from a registry', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.entries(action.inputs).map(([name, input]) => `${name}=${input.default}`)).toEqual([
      'path=.', 'args=', 'fail-on=error', 'upload-sarif=true', 'sarif-file=temporal-preflight.sarif', 'category=temporal-preflight', 'comment=auto', 'github-token=${{ github.token }}',
    ]);
    const scripts = ['action.yml', ...fs.readdirSync(path.join(repoRoot, 'action')).map((f) => `action/${f}`)];
    for (const file of scripts) expect(fs.readFileSync(path.join(repoRoot, file), 'utf8')).not.toMatch(/npx|temporal-preflight@/);
    // Inputs reach the scripts as environment variables, never spliced into a command line.
    for (const step of action.runs.steps) expect(step.run).not.toContain('${{');
  });
});
