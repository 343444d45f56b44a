import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import { UsageError } from '../../src/engine/errors.js';
import { at, fixtureModel, fixturesDir, plain, rel } from './model-fixtures.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

function tmpProject(files: Record<string, string>): string {
  const dir = scratchFolder('model');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const WORKFLOW = "import { sleep } from '@temporalio/workflow';\nexport async function wf(): Promise<void> {\n  await sleep(1);\n}\n";

describe('projects', () => {
  // The first build parses the SDK's declaration files: slow on a busy machine, so not in a test.
  beforeAll(() => {
    fixtureModel('model-monorepo');
    fixtureModel('model-basic');
  });

  test('reviews a monorepo with one project per tsconfig.json, each file once', () => {
    const { model } = fixtureModel('model-monorepo');
    expect(model.projects.map((p) => p.tsconfig && rel(model, p.tsconfig))).toEqual(['packages/activities/tsconfig.json', 'packages/app/tsconfig.json']);
    expect(model.files.map((f) => rel(model, f))).toEqual(['packages/activities/src/index.ts', 'packages/app/src/worker.ts', 'packages/app/src/workflows.ts']);
  });

  test('follows an activity into another package and a workflowsPath given as a file URL', () => {
    const { model } = fixtureModel('model-monorepo');
    expect(model.workers.map((w) => w.workflowsPath && rel(model, w.workflowsPath))).toEqual(['packages/app/src/workflows.ts']);
    expect(model.activityProxies[0]!.implementationFiles.map((f) => rel(model, f))).toEqual(['packages/activities/src/index.ts']);
    const [activity] = model.activities;
    expect(`${activity!.name}@${at(model, activity!.location)}`).toBe('importFile@packages/activities/src/index.ts:3');
    expect(at(model, activity!.heartbeat!.location)).toBe('packages/activities/src/index.ts:7');
    expect(model.workflows.map((w) => `${w.name}:${w.workerIds.join(',')}`)).toEqual(['importWorkflow:packages/app/src/worker.ts:6:24']);
  });

  test('recognises Temporal APIs by import specifier without node_modules and without tsconfig', () => {
    // Copied outside the repository so that no node_modules above it can resolve @temporalio/*.
    const dir = scratchFolder('model', { copyOf: path.join(fixturesDir, 'model-no-modules') });
    const { model } = buildTemporalModel({ root: dir });
    expect(model.projects.map((p) => p.tsconfig)).toEqual([null]);
    expect(model.workers.map((w) => w.workflowsPath && rel(model, w.workflowsPath))).toEqual(['src/workflows.ts']);
    expect(model.workflows.map((w) => `${w.name}:${w.handlers.map((h) => `${h.kind}:${h.name}`).join(',')}`)).toEqual(['payment:signal:cancel']);
    expect(model.activityProxies.map((p) => [p.kind, p.usedActivityTypes === 'all' ? 'all' : p.usedActivityTypes.map((u) => u.name), p.workflowNames])).toEqual([
      ['remote', ['charge'], ['payment']],
    ]);
    const charge = model.activities.find((a) => a.name === 'charge')!;
    expect(at(model, charge.heartbeat!.location)).toBe('src/activities.ts:7');
    expect(charge.thrownErrors.map((e) => [e.type, e.how, e.extendsApplicationFailure])).toEqual([['Declined', 'class', true]]);
    const payment = model.workflows[0]!;
    expect(model.thrownErrorsOf(payment.node).map((e) => [e.type, e.how, e.nonRetryable])).toEqual([['InvalidAmount', 'application-failure-non-retryable', true]]);
    expect(model.starts.map((s) => `${s.method}:${s.workflowType}`)).toEqual(['start:payment']);
    expect(model.workflowFiles).toEqual(new Set([path.join(dir, 'src/workflows.ts')]));
  });

  test('keeps modelling the other files when one has a syntax error, and reports it as file:line', () => {
    const dir = tmpProject({
      'src/broken.ts': "import { sleep } from '@temporalio/workflow';\nexport async function broken() {\n  await sleep(1;\n}\n",
      'src/workflows.ts': WORKFLOW,
    });
    const { model, diagnostics } = buildTemporalModel({ root: dir });
    expect(model.parseErrors.map((e) => `${rel(model, e.file)}:${e.line}`)).toEqual(['src/broken.ts:3']);
    expect(diagnostics.filter((d) => d.kind === 'parse-error').map((d) => d.message)).toEqual(["src/broken.ts:3: ')' expected."]);
    expect(model.workflows.map((w) => w.name)).toEqual(['wf']);
    expect(model.files.map((f) => rel(model, f))).toEqual(['src/workflows.ts']);
  });

  test('reports a missing relative import as a diagnostic, not a crash', () => {
    const dir = tmpProject({
      'src/workflows.ts': `import { helper } from './missing';\nimport { x } from 'not-installed';\nimport './styles.css';\n${WORKFLOW}`,
      'src/styles.css': 'body {}',
    });
    const { model, diagnostics } = buildTemporalModel({ root: dir });
    expect(diagnostics.map((d) => [d.kind, d.message])).toEqual([['unresolved-import', "src/workflows.ts:1: cannot find module './missing'"]]);
    expect(model.workflows.map((w) => w.name)).toEqual(['wf']);
  });

  test('follows a relative import that the project settings reject but the file exists', () => {
    const dir = tmpProject({
      'package.json': '{ "type": "module" }',
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }',
      'src/constants.ts': "export const TIMEOUT = '45s';\n",
      'src/workflows.ts': "import { proxyActivities } from '@temporalio/workflow';\nimport { TIMEOUT } from './constants';\nconst acts = proxyActivities({ startToCloseTimeout: TIMEOUT });\nexport async function wf(): Promise<void> {\n  await acts.run();\n}\n",
    });
    const { model, diagnostics } = buildTemporalModel({ root: dir });
    expect(diagnostics).toEqual([]);
    expect(plain(model.activityProxies[0]!.options)).toEqual({ startToCloseTimeout: '45s' });
    expect([...model.workflowFiles].map((f) => rel(model, f)).sort()).toEqual(['src/constants.ts', 'src/workflows.ts']);
  });

  test('walks a tree with a symlink loop once', () => {
    const dir = tmpProject({ 'src/workflows.ts': WORKFLOW });
    fs.symlinkSync(dir, path.join(dir, 'src', 'loop'));
    const { model } = buildTemporalModel({ root: dir });
    expect(model.files.map((f) => rel(model, f))).toEqual(['src/workflows.ts']);
  });

  test('walks a 10,000-file tree and skips node_modules', () => {
    const dir = tmpProject({ 'src/workflows.ts': WORKFLOW, 'node_modules/pkg/index.ts': 'export {};\n' });
    for (let d = 0; d < 100; d++) {
      const sub = path.join(dir, 'src', `d${d}`);
      fs.mkdirSync(sub);
      for (let f = 0; f < 100; f++) {
        fs.writeFileSync(path.join(sub, f % 10 === 0 ? `m${f}.ts` : `data${f}.json`), f % 10 === 0 ? `export const v${f} = ${f};\n` : '{}');
      }
    }
    const { model } = buildTemporalModel({ root: dir });
    expect(model.files.length).toBe(1001);
    expect(model.workflows.map((w) => w.name)).toEqual(['wf']);
  });

  test('respects include and exclude globs', () => {
    const dir = tmpProject({ 'src/workflows.ts': WORKFLOW, 'src/other.ts': WORKFLOW.replace('wf()', 'other()'), 'scripts/tool.ts': WORKFLOW });
    const { model } = buildTemporalModel({ root: dir, include: ['src/**'], exclude: ['**/other.ts'] });
    expect(model.files.map((f) => rel(model, f))).toEqual(['src/workflows.ts']);
  });

  test('takes explicit tsconfig paths', () => {
    const dir = tmpProject({
      'a/tsconfig.json': '{ "include": ["*.ts"] }',
      'a/workflows.ts': WORKFLOW,
      'b/tsconfig.json': '{ "include": ["*.ts"] }',
      'b/workflows.ts': WORKFLOW,
    });
    const { model } = buildTemporalModel({ root: dir, projects: ['a/tsconfig.json'] });
    expect(model.files.map((f) => rel(model, f))).toEqual(['a/workflows.ts']);
    expect(() => buildTemporalModel({ root: dir, projects: ['c/tsconfig.json'] })).toThrow('c/tsconfig.json: tsconfig not found');
  });

  test('follows the references of a solution tsconfig given with -p', () => {
    const dir = tmpProject({
      'tsconfig.json': '{ "files": [], "references": [{ "path": "./a" }, { "path": "./b" }] }',
      'a/tsconfig.json': '{ "compilerOptions": { "composite": true }, "include": ["*.ts"] }',
      'a/workflows.ts': WORKFLOW,
      'b/tsconfig.json': '{ "compilerOptions": { "composite": true }, "include": ["*.ts"] }',
      'b/workflows.ts': WORKFLOW,
    });
    const { model } = buildTemporalModel({ root: dir, projects: ['tsconfig.json'] });
    expect(model.projects.map((p) => p.tsconfig && rel(model, p.tsconfig))).toEqual(['a/tsconfig.json', 'b/tsconfig.json']);
  });

  test('reports a tsconfig.json with a syntax error and still reviews its files', () => {
    const dir = tmpProject({ 'tsconfig.json': '{ "compilerOptions": { "strict": true, } ', 'src/workflows.ts': WORKFLOW });
    const { model, diagnostics } = buildTemporalModel({ root: dir });
    expect(diagnostics.map((d) => `${d.kind} ${d.message}`)).toEqual(["parse-error tsconfig.json:1: '}' expected."]);
    expect(model.workflows.map((w) => w.name)).toEqual(['wf']);
  });

  test('refuses a directory without TypeScript files', () => {
    const dir = tmpProject({ 'README.md': '# nothing' });
    expect(() => buildTemporalModel({ root: dir })).toThrow(new UsageError(`${dir}: no TypeScript files found`));
  });

  test('refuses TypeScript code that never imports @temporalio/*', () => {
    const dir = tmpProject({ 'src/index.ts': '// will use @temporalio/workflow later\nexport const x = 1;\n' });
    expect(() => buildTemporalModel({ root: dir })).toThrow(new UsageError(`${dir}: no Temporal code found (no file imports @temporalio/*)`));
  });

  test('importsOf follows imports into package JavaScript, with Node built-ins unresolved', () => {
    const { model } = fixtureModel('model-basic');
    const activities = model.files.find((f) => f.endsWith('src/activities.ts'))!;
    const sdk = model.importsOf(activities).find((e) => e.specifier === '@temporalio/activity')!;
    expect(sdk.resolved).toMatch(/@temporalio\/activity\/lib\/index\.js$/);
    const inner = model.importsOf(sdk.resolved!);
    expect(inner.find((e) => e.specifier === 'node:async_hooks')).toMatchObject({ resolved: null, typeOnly: false });
    expect(inner.find((e) => e.specifier === '@temporalio/common')?.resolved).toMatch(/@temporalio\/common\/lib\/index\.js$/);
    expect(model.sourceFile(sdk.resolved!)?.fileName).toBe(sdk.resolved);
  });
});
