// Where workflow code is: a shared worker package that each service starts from its own directory
// writes `bundleWorkflowCode({ workflowsPath: path.resolve('./src/workflows') })`, a path relative
// to the working directory, not to the file. And when no worker's module can be located at all,
// modules are recognised by their use of @temporalio/workflow; an activity module that borrows an
// SDK enum from there (and runs in an activity Context) is not workflow code. Before, both cases
// reviewed activity modules as workflow code: errors for process.env and Node imports there.
// A worker factory of the project (`getWorker(options)`) that takes the workflowsPath from each
// service that calls it gets the modules those callers pass, also through layers of wrappers (a
// NestJS service -> a facade's createWorker(options) -> a manager's createWorker(options) ->
// Worker.create({ workflowsPath: options.workflowsPath })). A workflowsPath that names a folder
// without an index module cannot be resolved: the worker cannot start, and a note says so.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { findingsOf, fixtureModel, fixturesDir, where } from './review-fixture.js';

const SANDBOX_CHECKS = ['workflow-uses-unavailable-global', 'workflow-imports-node-builtin', 'workflow-imports-activity-implementation'];

describe('a workflowsPath relative to the working directory', () => {
  it('is read as the module at that path in each package of the workspace', () => {
    const model = fixtureModel('shared-worker-cwd');
    expect(model.workflows.map((w) => `${w.name} ${w.file.split('shared-worker-cwd/')[1]}`).sort()).toEqual([
      'chargeInvoice services/billing/src/workflows/charge.ts',
      'sendDigest services/mailer/src/workflows.ts',
    ]);
  });

  it('reviews the services workflows as workflow code and their activities as activities', () => {
    expect(where(findingsOf('shared-worker-cwd', SANDBOX_CHECKS))).toEqual([
      'workflow-uses-unavailable-global error services/billing/src/workflows/charge.ts:11',
      'workflow-uses-unavailable-global error services/mailer/src/workflows.ts:10',
    ]);
  });

  it('says in diagnostics how the workflow module was found', async () => {
    const { diagnostics } = await review({ dir: path.join(fixturesDir, 'shared-worker-cwd'), config: undefined });
    expect(diagnostics.filter((d) => d.message.includes('workflow module')).map((d) => d.message)).toEqual([
      'packages/worker-base/src/index.ts:9: the workflow module of this worker could not be located statically; its workflowsPath is relative to the working directory, so it was read as the module at that path in each package of the workspace.',
    ]);
  });
});

describe('modules recognised by their use of @temporalio/workflow', () => {
  it('leaves out activity modules that only borrow an enum from it', () => {
    expect(fixtureModel('guessed-workflow-modules').workflows.map((w) => w.name)).toEqual(['accountClosure']);
    expect(where(findingsOf('guessed-workflow-modules', SANDBOX_CHECKS))).toEqual(['workflow-uses-unavailable-global error src/workflows.ts:10']);
  });
});

describe('a workflowsPath a worker factory takes from its callers', () => {
  it('is read as the module each caller passes (`options.workflowsPath ?? default`)', async () => {
    expect(fixtureModel('worker-wrapper-callers').workflows.map((w) => w.name).sort()).toEqual(['digestWorkflow', 'invoiceWorkflow']);
    expect(where(findingsOf('worker-wrapper-callers', SANDBOX_CHECKS))).toEqual(['workflow-uses-unavailable-global error apps/mailer/src/workflows.ts:10']);
    const { diagnostics } = await review({ dir: path.join(fixturesDir, 'worker-wrapper-callers'), config: undefined });
    expect(diagnostics.filter((d) => d.message.includes('workflow module')).map((d) => d.message)).toEqual([
      'packages/temporal/src/worker.ts:7: the workflow module of this worker could not be located statically; its workflowsPath comes from the callers of the function that creates it, so the modules they pass were read (apps/billing/src/workflows.ts, apps/mailer/src/workflows.ts).',
    ]);
  });
});

describe('a workflowsPath handed through layers of wrappers', () => {
  it('is read from the object literal the outermost caller writes', () => {
    const model = fixtureModel('worker-wrapper-layers');
    expect(model.workflows.map((w) => `${w.name} ${w.file.split('worker-wrapper-layers/')[1]}`).sort()).toEqual([
      'sendMessageWorkflow src/workflows/message/send.ts',
      'stockAnalysisWorkflow src/workflows/stock.ts',
    ]);
    expect(where(findingsOf('worker-wrapper-layers', SANDBOX_CHECKS))).toEqual(['workflow-uses-unavailable-global error src/workflows/stock.ts:16']);
  });

  it('takes an inline activity signature\'s payload types for its implementation only where that module exports the activity', () => {
    const proxies = fixtureModel('worker-wrapper-layers').activityProxies.filter((p) => p.origin === 'proxy');
    expect(proxies.map((p) => `${p.location.file.split('worker-wrapper-layers/')[1]}:${p.location.line} ${p.implementationFiles.map((f) => f.split('worker-wrapper-layers/')[1]).join(',')}`)).toEqual([
      'src/workflows/message/send.ts:5 src/activities.ts',
      'src/workflows/stock.ts:5 src/activities.ts',
      'src/workflows/stock.ts:11 ',
    ]);
  });

  it('says which modules the callers pass, and that a folder without index names no module', async () => {
    const { diagnostics } = await review({ dir: path.join(fixturesDir, 'worker-wrapper-layers'), config: undefined });
    expect(diagnostics.filter((d) => d.message.includes('workflowsPath')).map((d) => d.message)).toEqual([
      'src/managers/worker.manager.ts:15: the workflow module of this worker could not be located statically; its workflowsPath comes from the callers of the function that creates it, so the modules they pass were read (src/workflows/message/send.ts, src/workflows/stock.ts).',
      "src/workers/legacy-worker.ts:6: this worker's workflowsPath names src/workflows, a folder with no index module: the module cannot be resolved there (require.resolve and the workflow bundler need an index file), so the worker cannot start. Its findings are notes.",
    ]);
  });

  it('says where following the callers stopped', async () => {
    const { diagnostics } = await review({ dir: path.join(fixturesDir, 'worker-wrapper-stopped'), config: undefined });
    expect(diagnostics.filter((d) => d.message.includes('workflow module')).map((d) => d.message)).toEqual([
      'src/worker.ts:4: the workflow module of this worker could not be located statically; its workflowsPath comes from the callers of the function that creates it, so the modules they pass were read (src/workflows.ts). Following the callers stopped at src/main.ts:9, so a module passed there is not reviewed.',
    ]);
  });
});
