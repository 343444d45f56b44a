// Runs the registered checks over a fixture mini-project and returns the findings of some checks.

import path from 'node:path';
import { checks } from '../../../src/checks/index.js';
import { defaultConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import type { TemporalModel } from '../../../src/model/typescript/types.js';
import { fixturesDir } from './fixtures-dir.js';

export { fixturesDir };

const models = new Map<string, TemporalModel>();

/** The model of a fixture, built once per test file. */
export function fixtureModel(name: string): TemporalModel {
  let model = models.get(name);
  if (!model) {
    model = buildTemporalModel({ root: path.join(fixturesDir, name) }).model;
    models.set(name, model);
  }
  return model;
}

/** Findings of the given checks (by id) over a fixture, as the engine reports them. */
export function findingsOf(fixture: string, checkIds: string[]): Finding[] {
  const root = path.join(fixturesDir, fixture);
  const selected = checks.filter((check) => checkIds.includes(check.id));
  if (selected.length !== checkIds.length) throw new Error(`unknown check id in ${checkIds.join(', ')}`);
  return runChecks({ root, config: defaultConfig(), checks: selected, model: fixtureModel(fixture) }).findings;
}

/** The (checkId, file, line) triple tests assert on, plus the severity. */
export function where(findings: Finding[]): string[] {
  return findings.map((f) => `${f.checkId} ${f.severity} ${f.file ?? '-'}:${f.line ?? '-'}`);
}
