// Builds a fixture's model once and runs chosen checks over it, returning findings with
// project-relative files (as the reporters print them).
import path from 'node:path';
import type { CheckDefinition } from '../../../src/checks/define-check.js';
import { loadConfig, type PreflightConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import type { TemporalModel } from '../../../src/model/typescript/types.js';

export interface FixtureReview {
  root: string;
  model: TemporalModel;
  config: PreflightConfig;
  run(check: CheckDefinition, config?: PreflightConfig): Finding[];
}

export function fixtureReview(name: string): FixtureReview {
  const root = path.resolve(import.meta.dirname, '../../fixtures', name);
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  return {
    root,
    model,
    config,
    run: (check, override) => runChecks({ root, config: override ?? config, checks: [check], model }).findings,
  };
}

/** checkId, file:line and severity: what a finding test asserts exactly. */
export function where(findings: Finding[]): string[] {
  return findings.map((f) => `${f.checkId} ${f.severity} ${f.file ?? '-'}:${f.line ?? '-'}`);
}
