// Workflows that only tests start (or, named test/smoke/demo/example, only hand-run hooks): the
// findings about production cost that sit in them, on their proxies and activities, and on their
// starts are lowered to info with a note. A workflow production also starts keeps its warnings.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checks as registry } from '../../src/checks/index.js';
import { loadConfig } from '../../src/engine/config.js';
import { runChecks } from '../../src/engine/run-checks.js';
import type { Finding } from '../../src/engine/types.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import type { TemporalModel } from '../../src/model/typescript/types.js';
import { firstWord } from '../../src/model/typescript/test-only-workflows.js';
import { fixturesDir, where } from '../checks/helpers/review-fixture.js';

const root = path.join(fixturesDir, 'test-only-workflows');
let model: TemporalModel;

beforeAll(() => {
  model = buildTemporalModel({ root }).model;
});

function findings(ids: string[]): Finding[] {
  const { config } = loadConfig(root);
  return runChecks({ root, config, checks: registry.filter((check) => ids.includes(check.id)), model }).findings;
}

describe('test-only workflows', () => {
  it('knows which workflows only tests or test hooks start', () => {
    expect(model.testOnlyWorkflows!.map((w) => w.name).sort()).toEqual(['TestWorkflow', 'emailDigestWorkflow', 'testSomethingWorkflow']);
    const digest = model.testOnlyWorkflows!.find((w) => w.name === 'emailDigestWorkflow')!;
    expect(digest.reason).toBe('only tests start emailDigestWorkflow (src/__tests__/workflows.test.ts:5)');
    const route = model.testOnlyWorkflows!.find((w) => w.name === 'TestWorkflow')!;
    expect(route.reason).toContain("src/api.ts:13 starts it from the route '/workflow/test'");
    const unstarted = model.testOnlyWorkflows!.find((w) => w.name === 'testSomethingWorkflow')!;
    expect(unstarted.reason).toContain('nothing in the reviewed code starts it');
  });

  it('lowers the retry policy findings of proxies only test workflows use, and keeps the others', () => {
    const found = findings(['activity-retry-policy-missing']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 8 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 10 },
    ]);
    expect(found[0]!.message).toContain('Lowered to info: only tests start emailDigestWorkflow (src/__tests__/workflows.test.ts:5); not a production path.');
    expect(found[0]!.data).toMatchObject({ testOnly: 'only tests start emailDigestWorkflow (src/__tests__/workflows.test.ts:5)' });
    // the throw site listed is in sendDigest, which production calls too: evidence, not a grouped site
    expect(found[0]!.related!.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:3']);
  });

  it('keeps a grouped finding that also lists production proxies', () => {
    const [grouped] = findings(['activity-schedule-to-start-missing']);
    expect(where(grouped!)).toMatchObject({ checkId: 'activity-schedule-to-start-missing', file: 'src/workflows.ts', line: 4 });
    expect(grouped!.related!.map((r) => r.line)).toEqual([6, 8, 10, 40]);
    expect(grouped!.message).not.toContain('Lowered to info');
    expect(grouped!.data).not.toHaveProperty('testOnly');
  });

  it('lowers a secret in the payload of a workflow only tests start, not in an activity production calls too', () => {
    const found = findings(['payload-carries-secret']);
    expect(found.map(where)).toEqual([
      // the production workflow calls sendDigest too
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 1 },
      { checkId: 'payload-carries-secret', severity: 'info', file: 'src/workflows.ts', line: 13 },
    ]);
  });

  it('leaves test-only workflows out of the failure alert warning', () => {
    const [finding, ...rest] = findings(['workflow-failure-alert-missing']);
    expect(rest).toEqual([]);
    expect(where(finding!)).toEqual({ checkId: 'workflow-failure-alert-missing', severity: 'warning', file: 'src/workflows.ts', line: 18 });
    expect(finding!.message).toContain('workflows of any of the 2 types fail');
    expect(finding!.message).toContain('emailDigestWorkflow, testSomethingWorkflow and TestWorkflow are left out: only tests or hand-run hooks start them.');
    expect(finding!.data).toMatchObject({ workflowTypes: ['attestationWorkflow', 'invoiceSyncWorkflow'], testOnlyWorkflowTypes: ['emailDigestWorkflow', 'testSomethingWorkflow', 'TestWorkflow'] });
  });

  it('reads starts through a wrapper that takes the workflow name', () => {
    const wrapped = buildTemporalModel({ root: path.join(fixturesDir, 'test-only-wrapper') }).model;
    // demoAccountWorkflow gets one id per customer; pingWorkflow may be started by name through the runner
    expect(wrapped.testOnlyWorkflows).toEqual([
      { name: 'smokeWorkflow', reason: "only tests or hand-run hooks start smokeWorkflow (its name says 'smoke'; src/runner.ts:12 names it with the fixed id 'smoke-1')" },
    ]);
  });

  it('reads the first word of a name, never a prefix', () => {
    expect(['testEmailWorkflow', 'TestWorkflow', 'TESTWorkflow', 'smoke_workflow', 'attestationWorkflow', 'testimonialWorkflow'].map(firstWord)).toEqual([
      'test',
      'test',
      'test',
      'smoke',
      'attestation',
      'testimonial',
    ]);
  });
});
