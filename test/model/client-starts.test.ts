// Workflow starts through clients the code gets from helpers, class fields, injected parameters,
// destructured contexts and containers: recognised by the client's type (the checker's when the SDK
// is installed, the declared annotations when it is not), never by the method name alone.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import notRegistered from '../../src/checks/determinism/workflow-not-registered.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import type { TemporalModel } from '../../src/model/typescript/types.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { at, fixturesDir, plain } from './model-fixtures.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

/** Every start of the fixture but the one only the checker can type (an array element). */
const BY_ANNOTATIONS = [
  'signalWithStart:billingWorkflow@src/services/fallback.ts:7',
  'execute:reportWorkflow@src/services/fallback.ts:17',
  'start:billingWorkflow@src/services/helper-return.ts:6',
  'start:archiveWorkflow@src/services/helper-return.ts:11',
  'start:reportWorkflow@src/services/injected.ts:18',
  'start:reportWorkflow@src/services/injected.ts:22',
  'start:cleanupWorkflow@src/services/injected.ts:28',
  'start:reportWorkflow@src/services/injected.ts:33',
  'start:reportWorkflow@src/services/injected.ts:38',
  'schedule:cleanupWorkflow@src/services/schedules.ts:5',
];

const starts = (model: TemporalModel) => model.starts.map((s) => `${s.method}:${s.workflowType}@${at(model, s.location)}`);

let review: FixtureReview;
let withoutModules: TemporalModel;
// Copied outside the repository so that no node_modules above it can resolve @temporalio/*.
const withoutModulesDir = scratchFolderForSuite('clients');

beforeAll(() => {
  review = fixtureReview('model-clients');
  fs.cpSync(path.join(fixturesDir, 'model-clients'), withoutModulesDir, { recursive: true });
  withoutModules = buildTemporalModel({ root: withoutModulesDir }).model;
});

describe('clients from helpers, fields and containers', () => {
  test('finds starts through helper return types, ??, typed fields, wrappers, contexts and containers, with the SDK installed', () => {
    expect(starts(review.model)).toEqual(['start:reportWorkflow@src/services/checker-only.ts:8', ...BY_ANNOTATIONS]);
  });

  test('finds the same starts without node_modules, from the annotations named by their @temporalio/client import', () => {
    expect(starts(withoutModules)).toEqual(BY_ANNOTATIONS);
  });

  test('ignores start methods of other receivers: a local Client class, a Client of another package, untyped objects', () => {
    const files = new Set([...review.model.starts, ...withoutModules.starts].map((s) => path.basename(s.location.file)));
    expect(files.has('not-temporal.ts')).toBe(false);
  });

  test('reads the options of a start through a helper client', () => {
    const start = review.model.starts.find((s) => s.location.line === 7 && s.location.file.endsWith('fallback.ts'))!;
    expect(plain(start.options)).toMatchObject({ taskQueue: 'billing', signal: 'nudge', signalArgs: [] });
  });

  test('reports a start of an unregistered type through a helper client', () => {
    const findings = review.run(notRegistered);
    expect(where(findings)).toEqual(['workflow-not-registered error src/services/helper-return.ts:11']);
    expect(findings[0]!.message).toMatch(/^This client call \(workflow\.start\) starts workflow type 'archiveWorkflow', but no worker's workflowsPath \(src\/workflows\.ts\) exports it\./);
  });
});
