import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { fixtureChecks, fixtureResult } from './review-result-fixture.js';
import { validateSarif } from './sarif-multitool.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

// A stand-in for the temporal-preflight CLI: records its arguments and writes canned reports
// rendered by the real reporters from the fixture result.
const FAKE_CLI = `#!/usr/bin/env bash
echo "$*" >>"$FAKE_DIR/calls"
format=""; out=""
while [ $# -gt 0 ]; do
  case "$1" in --format) format="$2"; shift ;; -o) out="$2"; shift ;; esac
  shift
done
cp "$FAKE_DIR/$format" "$out"
exit "\${FAKE_EXIT:-1}"
`;

let workspace: string;
let fakeDir: string;

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-action-'));
  fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-action-fake-'));
  fs.mkdirSync(path.join(workspace, 'app/node_modules/.bin'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'app/package.json'), '{ "name": "shop" }\n');
  fs.writeFileSync(path.join(workspace, 'app/node_modules/.bin/temporal-preflight'), FAKE_CLI, { mode: 0o755 });
  fs.writeFileSync(path.join(fakeDir, 'sarif'), renderSarif(fixtureResult(), { checks: fixtureChecks }));
  fs.writeFileSync(path.join(fakeDir, 'markdown'), renderMarkdown(fixtureResult()));
});

afterEach(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(fakeDir, { recursive: true, force: true });
});

function runStep(env: Record<string, string>) {
  const files = { output: path.join(fakeDir, 'github-output'), summary: path.join(fakeDir, 'step-summary') };
  const result = spawnSync('bash', [path.join(repoRoot, 'action/run-check.sh')], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: repoRoot,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123',
      FAKE_DIR: fakeDir,
      PREFLIGHT_PATH: 'app',
      PREFLIGHT_ARGS: '--histories histories/',
      PREFLIGHT_FAIL_ON: 'warning',
      PREFLIGHT_VERSION: 'latest',
      PREFLIGHT_SARIF: 'out/preflight.sarif',
      ...env,
    },
  });
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, output: read(files.output), summary: read(files.summary) };
}

describe('GitHub Action review step', () => {
  it('runs check for SARIF and Markdown with the inputs and records the verdict', () => {
    const step = runStep({});
    expect(step.stderr).toBe('');
    expect(step.status).toBe(0);
    const calls = fs.readFileSync(path.join(fakeDir, 'calls'), 'utf8').trim().split('\n');
    expect(calls[0]).toBe('check app --fail-on warning --histories histories/ --format sarif -o out/preflight.sarif');
    expect(calls[1]).toMatch(/^check app --fail-on warning --histories histories\/ --format markdown -o \S+$/);
    expect(step.output).toBe('verdict=NO-GO\nsarif-file=out/preflight.sarif\n');
  });

  it('makes the SARIF acceptable to GitHub: repository-relative paths, every result located', () => {
    expect(runStep({}).status).toBe(0);
    const text = fs.readFileSync(path.join(workspace, 'out/preflight.sarif'), 'utf8');
    const results = JSON.parse(text).runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    expect(results.map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'no-replay-test app/package.json:1',
      'workflow-throws-plain-error app/src/workflows/order.ts:12',
      'activity-retry-policy-missing app/src/workflows/order.ts:20',
      'activity-retry-policy-missing app/src/workflows/ship%20%5Beu%5D%20%26%20co.ts:8',
      'activity-schedule-to-start-missing app/src/workflows/order.ts:20',
      'history-size-over-budget app/package.json:1',
      'worker-concurrency-implicit app/src/worker.ts:4',
    ]);
    // GitHub's ingestion rules ("Gh") on top of the specification's.
    expect(validateSarif(text, ['Sarif', 'Gh'])).toEqual([]);
  });

  it('writes the Markdown to the job summary with links into the repository at the commit', () => {
    const { summary } = runStep({});
    expect(summary.split('\n')[0]).toBe('## Temporal production readiness: ❌ NO-GO');
    expect(summary).toContain('[src/worker.ts:4](https://github.com/acme/shop/blob/abc123/app/src/worker.ts#L4)');
    expect(summary).toContain('(https://github.com/temporal-preflight/temporal-preflight/blob/main/docs/checks/no-replay-test.md)');
    expect(summary).not.toMatch(/\]\((?!https:)/);
  });

  it('reviews the repository root without a path prefix', () => {
    fs.writeFileSync(path.join(workspace, 'package.json'), '{}\n');
    fs.mkdirSync(path.join(workspace, 'node_modules/.bin'), { recursive: true });
    fs.copyFileSync(path.join(workspace, 'app/node_modules/.bin/temporal-preflight'), path.join(workspace, 'node_modules/.bin/temporal-preflight'));
    const step = runStep({ PREFLIGHT_PATH: '.', FAKE_EXIT: '0' });
    expect(step.status).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(workspace, 'out/preflight.sarif'), 'utf8')).runs[0].results;
    expect(results[1].locations[0].physicalLocation.artifactLocation.uri).toBe('src/workflows/order.ts');
    expect(step.summary).toContain('(https://github.com/acme/shop/blob/abc123/src/worker.ts#L4)');
  });

  it('fails the step with exit 2 when the review cannot run', () => {
    const step = runStep({ FAKE_EXIT: '2' });
    expect(step.status).toBe(2);
    expect(step.stdout).toContain('::error title=temporal-preflight::the review could not run (exit 2)');
    expect(step.output).toBe('');
  });

  it('fails the step with exit 2 when the path is not a directory', () => {
    const step = runStep({ PREFLIGHT_PATH: 'nope' });
    expect(step.status).toBe(2);
    expect(step.stdout).toBe("::error title=temporal-preflight::path 'nope' is not a directory in the repository\n");
  });
});

describe('action.yml', () => {
  const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: { id?: string; uses?: string; if?: string; with?: Record<string, string>; env?: Record<string, string>; run?: string }[] };
  };

  it('is a composite action with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.entries(action.inputs).map(([name, input]) => `${name}=${input.default}`)).toEqual([
      'path=.', 'args=', 'fail-on=error', 'version=latest', 'upload-sarif=true', 'sarif-file=temporal-preflight.sarif', 'category=temporal-preflight',
    ]);
  });

  it('reviews, uploads the SARIF even on NO-GO, then fails on NO-GO', () => {
    const [review, upload, gate] = action.runs.steps;
    expect(review!.run).toBe('bash "$GITHUB_ACTION_PATH/action/run-check.sh"');
    expect(Object.values(review!.env!).every((v) => /^\$\{\{ inputs\.[a-z-]+ \}\}$/.test(v))).toBe(true);
    expect(upload!.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload!.with!.sarif_file).toBe('${{ steps.review.outputs.sarif-file }}');
    expect(upload!.if).toContain('!cancelled()');
    expect(gate!.if).toBe("${{ steps.review.outputs.verdict == 'NO-GO' }}");
    expect(gate!.run).toContain('exit 1');
  });
});
