// Builds a fixture's model once and runs checks over it, the way `check` does: the fixture's own
// preflight.config.json, suppressions, sorting. Tests assert on the returned findings.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checks as registry } from '../../../src/checks/index.js';
import type { CheckDefinition } from '../../../src/checks/define-check.js';
import { loadConfig, type PreflightConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import type { TemporalModel } from '../../../src/model/typescript/types.js';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

export interface BuiltFixture {
  root: string;
  model: TemporalModel;
  config: PreflightConfig;
  /** Findings of the given checks (default: every registered retries and timeouts check). */
  findings(checkIds?: string[], config?: PreflightConfig): Finding[];
}

const RETRY_AND_TIMEOUT_CHECKS = registry.filter((check) => check.area === 'retries' || check.area === 'timeouts');

export function buildFixture(name: string): BuiltFixture {
  const root = path.join(fixturesDir, name);
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  return {
    root,
    model,
    config,
    findings(checkIds, override) {
      const selected: readonly CheckDefinition[] = checkIds ? RETRY_AND_TIMEOUT_CHECKS.filter((c) => checkIds.includes(c.id)) : RETRY_AND_TIMEOUT_CHECKS;
      return runChecks({ root, config: override ?? config, checks: selected, model }).findings;
    },
  };
}

/** The part of a finding most assertions pin down. */
export function where(finding: Finding): { checkId: string; severity: string; file: string | undefined; line: number | undefined } {
  return { checkId: finding.checkId, severity: finding.severity, file: finding.file, line: finding.line };
}
