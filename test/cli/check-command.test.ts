// The `check` command end to end, in-process: exit codes, formats, -o, and bad input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

function project(files: Record<string, string>): string {
  const dir = scratchFolder('check');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const workflowThrowingPlainError = [
  "import { sleep } from '@temporalio/workflow';",
  '',
  'export async function shipOrder(id: string): Promise<string> {',
  "  if (Date.now() < 0) throw new Error('missing id');",
  '  await sleep(Date.now() % 2 === 0 ? 1 : 2);',
  '  return `shipped ${id} at ${new Date().toISOString()} ${Math.random()}`;',
  '}',
  '',
].join('\n');

async function checkJson(dir: string, ...extra: string[]) {
  const io = fakeIo();
  await runCli(['check', dir, '--format', 'json', ...extra], io);
  return { io, report: io.out ? JSON.parse(io.out) : undefined };
}

describe('check', () => {
  it('reviews .ts files without a tsconfig and reports the defect at its line, nothing on sandbox-safe lines', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    const { io, report } = await checkJson(dir);
    expect(io.exitCode).toBe(1);
    expect(report.verdict).toBe('NO-GO');
    // Determinism findings only: the observability checks rightly add a missing alert and runbook for shipOrder.
    const located = report.findings.filter((f: { file?: string; area: string }) => f.file && f.area === 'determinism');
    expect(located.map((f: { checkId: string; file: string; line: number }) => [f.checkId, f.file, f.line])).toEqual([
      ['workflow-throws-plain-error', 'workflows.ts', 4],
    ]);
  });

  it('still reviews the parsable files when one file has a syntax error, and names the broken one', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError, 'broken.ts': "import { sleep } from '@temporalio/workflow';\nexport const x = (;\n" });
    const { report } = await checkJson(dir);
    expect(report.findings.some((f: { checkId: string; file?: string }) => f.checkId === 'workflow-throws-plain-error' && f.file === 'workflows.ts')).toBe(true);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ kind: 'parse-error', file: 'broken.ts', line: 2 }));
  });

  it('exits 2 with one line for a directory without TypeScript', async () => {
    const dir = project({ 'README.md': '# nothing here\n' });
    const { io } = await checkJson(dir);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe(`temporal-preflight: ${dir}: no TypeScript files found\n`);
  });

  it('exits 2 with one line for TypeScript without any Temporal code', async () => {
    const dir = project({ 'index.ts': 'export const answer = 42;\n' });
    const { io } = await checkJson(dir);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe(`temporal-preflight: ${dir}: no Temporal code found (no file imports @temporalio/*)\n`);
  });

  it('exits 2 naming the key of an invalid config file', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError, 'preflight.config.json': '{"targets": {"headroom": "lots"}}' });
    const { io } = await checkJson(dir);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(new RegExp(`^temporal-preflight: ${dir}/preflight\\.config\\.json: key "targets\\.headroom": `));
  });

  it('writes the report to -o and nothing to stdout', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    const out = path.join(dir, 'reports', 'preflight.json');
    const io = fakeIo();
    await runCli(['check', dir, '--format', 'json', '-o', out], io);
    expect(io.out).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).verdict).toBe('NO-GO');
  });

  it('a suppression with a reason silences the finding', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError.replace("  if (Date.now() < 0) throw new Error('missing id');", "  // preflight-ignore workflow-throws-plain-error -- the clock is never before 1970\n  if (Date.now() < 0) throw new Error('missing id');") });
    const { report } = await checkJson(dir);
    expect(report.findings.filter((f: { checkId: string }) => f.checkId === 'workflow-throws-plain-error')).toEqual([]);
  });

  it('gives identical JSON on two runs (SOURCE_DATE_EPOCH fixes the one changing field, the date)', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    vi.stubEnv('SOURCE_DATE_EPOCH', '1796305205');
    try {
      const first = (await checkJson(dir)).io.out;
      const second = (await checkJson(dir)).io.out;
      expect(second).toBe(first);
      expect(JSON.parse(first).project.date).toBe('2026-12-03T13:40:05.000Z');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('check --link-base', () => {
  it('prefixes markdown file links and is refused with other formats', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    const io = fakeIo();
    await runCli(['check', dir, '--format', 'markdown', '--link-base', 'https://github.com/acme/shop/blob/abc123/'], io);
    expect(io.out).toContain('](https://github.com/acme/shop/blob/abc123/workflows.ts#L4)');
    const refused = fakeIo();
    await runCli(['check', dir, '--format', 'json', '--link-base', 'https://x/'], refused);
    expect(refused.exitCode).toBe(2);
    expect(refused.err).toBe('temporal-preflight: --link-base applies to --format markdown\n');
  });
});

describe('check --verbose, --compact and the terminal width', () => {
  it('wraps the pretty report to the terminal width, errors before warnings', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    const recorded = Object.assign(fakeIo(), { columns: 64 });
    await runCli(['check', dir], recorded);
    const lines = recorded.out.split('\n');
    const errorsAt = lines.indexOf('errors (1)');
    expect(errorsAt).toBeGreaterThan(0);
    expect(lines.findIndex((line) => line.startsWith('warnings ('))).toBeGreaterThan(errorsAt);
    expect(lines.slice(errorsAt, errorsAt + 4)).toEqual([
      'errors (1)',
      '  determinism',
      '    workflows.ts:4:23  error  workflow-throws-plain-error',
      '      Workflow shipOrder throws a plain Error (new',
    ]);
  });

  it('refuses --verbose with a format that always has every finding', async () => {
    const dir = project({ 'workflows.ts': workflowThrowingPlainError });
    const io = fakeIo();
    await runCli(['check', dir, '--format', 'markdown', '--verbose'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: --verbose applies to --format pretty (the markdown report always has every finding)\n');
  });
});
