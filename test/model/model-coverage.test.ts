// What the model sees on real code shapes (issue 13): test code left out of the review, helpers
// near the SDK that are not workflows, workflows found through bundleWorkflowCode, workers created
// by NestJS module registrations, activity types behind aliases or unresolved imports; and what it
// says when it could not see the workers or workflows (not-verified areas, never PASS or GO).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { configSchema, defaultConfig } from '../../src/engine/config.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { collectProjectFacts } from '../../src/generate/collect-project-facts.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import { fixtureModel, fixturesDir } from './model-fixtures.js';

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

function reviewOf(fixture: string, config = defaultConfig()) {
  const root = path.join(fixturesDir, fixture);
  const { model, diagnostics } = buildTemporalModel({ root, tests: config.tests });
  return runChecks({ root, config, checks, model, diagnostics });
}

describe('test code is not production', () => {
  const { model } = fixtureModel('model-test-code');
  const root = model.root;

  it('leaves test files out of the reviewed files and lists them as test code', () => {
    expect(model.files.map((f) => rel(root, f))).toEqual(['src/activities.ts', 'src/worker.ts', 'src/workflows.ts']);
    expect(model.testFiles.map((f) => rel(root, f))).toEqual([
      'packages/billing/src/__tests__/mock-activities.ts',
      'packages/billing/test/replay.ts',
      'src/billing.spec.ts',
      'src/billing/expectations.ts', // imports expect from @jest/globals
      'src/billing/invoice.test-utils.ts',
      'src/billing/test-utils.ts', // uses the runner's global expect: the name tells
      'src/billing/testHelpers.ts',
      'src/local-env.ts', // imports @temporalio/testing
      'test/harness.ts',
    ]);
  });

  it('models no worker, start or activity from test code', () => {
    expect(model.workers.map((w) => w.id)).toEqual(['src/worker.ts:10:24']);
    expect(model.starts).toEqual([]);
    expect(model.activities.map((a) => `${a.name} ${rel(root, a.file)}`)).toEqual(['chargeCard src/activities.ts']);
  });

  it('reports nothing in test files, and the nested replay test still counts for no-replay-test', () => {
    const result = reviewOf('model-test-code');
    expect(result.findings.filter((f) => f.file && !f.file.startsWith('src/'))).toEqual([]);
    expect(result.findings.filter((f) => f.file === 'src/billing.spec.ts' || f.file === 'src/local-env.ts')).toEqual([]);
    expect(result.findings.map((f) => f.checkId)).not.toContain('no-replay-test');
    expect(result.findings.map((f) => f.checkId)).not.toContain('worker-metrics-not-exported');
  });

  it('reviews test code when the config asks for it', () => {
    const config = configSchema.parse({ tests: { review: true } });
    const result = reviewOf('model-test-code', config);
    const harness = result.findings.filter((f) => f.file === 'test/harness.ts').map((f) => `${f.checkId} ${f.line}`);
    expect(harness).toContain('worker-concurrency-implicit 8');
  });

  it('takes extra test globs from the config', () => {
    const { model: extra } = buildTemporalModel({ root, tests: { patterns: ['src/activities.ts'] } });
    expect(extra.files.map((f) => rel(root, f))).toEqual(['src/worker.ts', 'src/workflows.ts']);
  });
});

describe('workflows are what workers run, not every async export near the SDK', () => {
  it('skips a module that imports only a type from @temporalio/workflow, and helpers workflows call directly', () => {
    const { model } = fixtureModel('model-workflow-helpers');
    expect(model.workflows.map((w) => `${w.name} ${rel(model.root, w.file)}:${w.location.line}`)).toEqual(['orderWorkflow src/workflows.ts:10']);
  });

  // The worker runs any export of its workflowsPath started by that name (worker-interface.ts:
  // `mod[workflowType]`), so a synchronous export stays a workflow for the determinism checks. But
  // an id builder or comparator that returns no promise and that nothing starts is no workflow type
  // anyone operates: failure alerts, runbooks and generated alerts leave it out.
  it('keeps synchronous exports as workflows but leaves the ones nothing starts out of alerts, runbooks and generated files', () => {
    const { model } = fixtureModel('model-workflow-helper-exports');
    expect(model.workflows.map((w) => `${w.name} ${rel(model.root, w.file)}:${w.location.line}${w.helperExport ? ' helper' : ''}`)).toEqual([
      'invoiceWorkflowId src/workflows.ts:7 helper',
      'compareInvoices src/workflows.ts:11 helper',
      'invoiceWorkflow src/workflows.ts:13',
      'reminderWorkflow src/workflows.ts:18',
      'archiveLabel src/workflows.ts:23',
    ]);
    const findings = reviewOf('model-workflow-helper-exports').findings.filter((f) => f.checkId === 'workflow-failure-alert-missing' || f.checkId === 'workflow-runbook-missing');
    expect(findings.map((f) => [f.checkId, f.severity, f.file, f.line, f.data?.workflowTypes, f.message.match(/any of the \d+ (?:workflow )?types/)?.[0]])).toEqual([
      ['workflow-failure-alert-missing', 'warning', 'src/workflows.ts', 13, ['archiveLabel', 'invoiceWorkflow', 'reminderWorkflow'], 'any of the 3 types'],
      ['workflow-runbook-missing', 'info', 'src/workflows.ts', 13, ['archiveLabel', 'invoiceWorkflow', 'reminderWorkflow'], 'any of the 3 workflow types'],
    ]);
    expect(collectProjectFacts(model, defaultConfig()).workflows.map((w) => w.name)).toEqual(['archiveLabel', 'invoiceWorkflow', 'reminderWorkflow']);
  });

  it('finds the workflows of a worker that runs a bundle from bundleWorkflowCode', () => {
    const { model } = fixtureModel('model-bundle-workers');
    expect(model.workers.map((w) => [w.id, w.workflowsPath && rel(model.root, w.workflowsPath), w.workflowsUnresolved])).toEqual([
      ['src/worker.ts:11:24', 'src/workflows.ts', false],
    ]);
    // draftWorkflow uses the workflow API but is not in the bundle
    expect(model.workflows.map((w) => `${w.name} ${w.workerIds.join(',')}`)).toEqual(['reportWorkflow src/worker.ts:11:24']);
    expect(model.gaps).toEqual([]);
  });

  it('takes workflows from a build script when the worker loads a bundle from disk, and says so', () => {
    const { model, diagnostics } = fixtureModel('model-bundle-script');
    expect(model.workers.map((w) => w.workflowsUnresolved)).toEqual([true]);
    expect(model.workflows.map((w) => w.name)).toEqual(['reportWorkflow']);
    expect(diagnostics.map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['note src/worker.ts:10']);
    expect(diagnostics[0]!.message).toContain('taken from the bundleWorkflowCode calls');
  });
});

describe('workers created by a framework', () => {
  const { model } = fixtureModel('model-nestjs-workers');

  it('models nestjs-temporal-core registrations as workers with the options the framework passes', () => {
    expect(model.workers.map((w) => [w.id, w.framework, w.options.kind])).toEqual([
      ['src/mail.module.ts:7:5', 'nestjs-temporal-core', 'unknown'],
      ['src/posts.module.ts:7:5', 'nestjs-temporal-core', 'object'],
    ]);
    const posts = model.workers[1]!;
    expect(posts.taskQueue).toMatchObject({ kind: 'string', value: 'posts' });
    expect(posts.options.kind === 'object' && posts.options.properties.get('maxConcurrentActivityTaskExecutions')).toMatchObject({ kind: 'number', value: 5 });
    expect(posts.workflowsPath && rel(model.root, posts.workflowsPath)).toBe('src/workflows.ts');
    expect(model.workflows.map((w) => `${w.name} ${w.workerIds.join(',')}`)).toEqual(['publishPostWorkflow src/mail.module.ts:7:5,src/posts.module.ts:7:5']);
  });

  it('takes the methods of an activity class named by the proxy as the activities', () => {
    expect(model.activities.map((a) => `${a.name} ${rel(model.root, a.file)}:${a.location.line}`)).toEqual(['publishPost src/post.activities.ts:8']);
  });

  it('marks capacity not verified when a registration builds its options at run time, and the verdict is not GO', () => {
    const result = reviewOf('model-nestjs-workers');
    expect(result.areas.find((a) => a.area === 'capacity')).toMatchObject({ status: 'not-verified' });
    expect(result.diagnostics.filter((d) => d.kind === 'not-verified').map((d) => `${d.file}:${d.line}`)).toEqual(['src/mail.module.ts:7']);
    expect(result.verdict).toBe('NO-GO');
  });
});

describe('a project with no worker in the reviewed code', () => {
  it('never passes capacity or observability on a model without workers', () => {
    const result = reviewOf('model-workflow-helpers');
    expect(result.areas.filter((a) => a.status === 'not-verified').map((a) => a.area)).toEqual(['capacity', 'observability']);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.verdict).toBe('NO-GO');
    expect(result.diagnostics.filter((d) => d.kind === 'not-verified').map((d) => d.message)).toEqual([
      expect.stringMatching(/^capacity, observability not verified: No worker found/),
    ]);
  });

  it('lets a team that checked those areas by other means accept them (notVerified: go)', () => {
    const result = reviewOf('model-workflow-helpers', configSchema.parse({ notVerified: 'go' }));
    expect(result.areas.find((a) => a.area === 'capacity')).toMatchObject({ status: 'not-verified' });
    expect(result.verdict).toBe('GO');
  });
});

describe('activity types behind aliases and unresolved imports', () => {
  const { model, diagnostics } = fixtureModel('model-activity-type-aliases');

  it('follows a type alias to the implementation module, through tsconfig paths and extends', () => {
    const poll = model.activityProxies.find((p) => p.location.file.endsWith('proxies.ts'))!;
    expect(poll.implementationFiles.map((f) => rel(model.root, f))).toEqual(['src/activities/poll.activity.ts']);
    expect(model.activities.map((a) => a.name)).toEqual(['fetchUpdates', 'markSeen']);
  });

  it('never takes a workflow for an activity when the type argument does not resolve, and says so', () => {
    const missing = model.activityProxies.find((p) => p.location.file.endsWith('missing.workflow.ts'))!;
    expect(missing.implementationFiles).toEqual([]);
    expect(model.activities.map((a) => a.name)).not.toContain('remoteWorkWorkflow');
    expect(diagnostics.map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['unresolved-import src/workflows/missing.workflow.ts:5']);
    const result = reviewOf('model-activity-type-aliases');
    expect(result.findings.filter((f) => f.file?.startsWith('src/workflows/') && f.area === 'timeouts' && /loop/.test(f.checkId))).toEqual([]);
  });

  it('does not call a workflow module that declares a proxy type alias an activity implementation', () => {
    const result = reviewOf('model-activity-type-aliases');
    expect(result.findings.filter((f) => f.checkId === 'workflow-imports-activity-implementation')).toEqual([]);
  });
});

describe('monorepos reviewed without node_modules', () => {
  it('reviews the Temporal package that no tsconfig.json includes, with default options, and says so', () => {
    const { model, diagnostics } = fixtureModel('model-untsconfigured-package');
    expect(model.workers.map((w) => `${rel(model.root, w.location.file)}:${w.location.line}`)).toEqual(['packages/base/src/worker.ts:13']);
    expect(model.files.map((f) => rel(model.root, f)).sort()).toEqual([
      'apps/worker/src/main.ts',
      'apps/worker/src/workflows.ts',
      'packages/base/src/activities.ts',
      'packages/base/src/index.ts',
      'packages/base/src/worker.ts',
    ]);
    expect(diagnostics.filter((d) => d.kind === 'note').map((d) => d.message)).toContain(
      '3 TypeScript files that no tsconfig.json includes (such as packages/base/src/activities.ts) were reviewed with default compiler options',
    );
  });

  it("follows require.resolve of a workspace package's name to its sources", () => {
    const { model } = fixtureModel('model-workspace-packages');
    expect(model.workers.map((w) => w.workflowsPath && rel(model.root, w.workflowsPath))).toEqual(['packages/workflows/src/workflows.ts']);
    expect(model.workflows.map((w) => `${w.name} ${rel(model.root, w.file)} ${w.workerIds.join(',')}`)).toEqual([
      'invoiceWorkflow packages/workflows/src/invoice.ts apps/worker/src/worker.ts:10:24',
    ]);
    expect(model.gaps).toEqual([]);
  });

  it("resolves a bare import of a workspace package through its package.json entry and tsconfig outDir to its sources", () => {
    // packages/shared says "main": "dist/lib/index.js" (rootDir ".", outDir "dist"): the source is lib/index.ts.
    const { model, diagnostics } = fixtureModel('model-workspace-entry');
    expect(model.workers.map((w) => w.taskQueue)).toMatchObject([{ kind: 'string', value: 'billing' }]);
    expect(model.starts.map((s) => `${rel(model.root, s.location.file)}:${s.location.line}`)).toEqual(['apps/billing/src/client.ts:6']);
    const result = reviewOf('model-workspace-entry');
    expect(result.findings.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled')).toEqual([]);
    // A workspace package whose entry has no sources in the tree is named, not silently dropped.
    expect(diagnostics.filter((d) => d.kind === 'unresolved-import').map((d) => d.message)).toEqual([
      "apps/billing/src/client.ts:3: cannot find the sources of workspace package '@acme/ghost' (packages/ghost); what this file imports from it is not reviewed",
    ]);
  });

  it('grades a quick loop in a helper of another workspace package as info, and the same loop in the activity\'s package as info too (nothing says it is long)', () => {
    const loops = reviewOf('model-workspace-entry').findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
    expect(loops.map((f) => `${f.severity} ${f.file}:${f.line} ${f.data?.['activityType']}`)).toEqual([
      // moveRows lives in packages/shared: a data-access helper many callers share.
      'info apps/billing/src/activities.ts:14 mergeInvoices',
      // archiveAll is the billing app's own helper: a loop over the input whose size the code does not state, info.
      'info apps/billing/src/activities.ts:18 archiveInvoices',
      // ownersOf walks its rows with more than a few quick calls each, still in the shared package.
      'info apps/billing/src/activities.ts:22 listOwners',
    ]);
    expect(loops[0]!.message).toContain('The loop is in a helper of another package (packages/shared)');
    expect(loops[2]!.message).toContain('The loop is in a helper of another package (packages/shared), which serves many callers: the collection it walks');
  });
});
