// Where workflow code is: a shared worker package that each service starts from its own directory
// writes `bundleWorkflowCode({ workflowsPath: path.resolve('./src/workflows') })`, a path relative
// to the working directory, not to the file. And when no worker's module can be located at all,
// modules are recognised by their use of @temporalio/workflow; an activity module that borrows an
// SDK enum from there (and runs in an activity Context) is not workflow code. Before, both cases
// reviewed activity modules as workflow code: errors for process.env and Node imports there.
// A worker factory of the project (`getWorker(options)`) that takes the workflowsPath from each
// service that calls it gets the modules those callers pass.

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
      'packages/temporal/src/worker.ts:7: the workflow module of this worker could not be located statically; its workflowsPath comes from the callers of the function that creates it, so the modules they pass were read.',
    ]);
  });
});
