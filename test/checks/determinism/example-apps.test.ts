// The determinism checks on the two example apps: the prototype's known hazards are found, and
// the production app (the reference for a GO) gets no determinism finding.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { defaultConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { where } from './review-fixture.js';

const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');
const determinism = checks.filter((check) => check.area === 'determinism');

function determinismFindings(app: string) {
  const root = path.join(examplesDir, app);
  return runChecks({ root, config: defaultConfig(), checks: determinism, model: buildTemporalModel({ root }).model }).findings;
}

describe('determinism checks on the example apps', () => {
  it('find the plain Error and the missing replay test in the prototype app', () => {
    expect(where(determinismFindings('prototype-app'))).toEqual([
      'no-replay-test warning -:-',
      'workflow-throws-plain-error info src/workflows.ts:13',
    ]);
  });

  it('find nothing in the production app', () => {
    expect(where(determinismFindings('production-app'))).toEqual([]);
  });
});
