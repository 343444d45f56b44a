// A check is one module: declarative metadata plus one function over the model. It reports
// findings through ctx.report; it never prints and never touches the file system.

import type { Area, EvidenceKind, RelatedLocation, Severity } from '../engine/types.js';
import type { SourceLocation, TemporalModel } from '../model/typescript/types.js';
import type { CodeModel } from '../model/types.js';
import type { PreflightConfig } from '../engine/config.js';
import type { ReplayReport } from '../drill/replay/replay-report.js';

export interface FindingDraft {
  /** Where the defect lives; omitted for project-wide findings. */
  location?: SourceLocation;
  /**
   * A file the finding is about when there is no source line (e.g. one history file): absolute
   * or relative to the reviewed directory. Ignored when location is given.
   */
  file?: string;
  message: string;
  fix: string;
  /** Overrides the check's default severity for this finding (e.g. info when a value is unknown). */
  severity?: Severity;
  related?: (SourceLocation & { message: string })[];
  data?: Record<string, unknown>;
}

export interface CheckContext {
  /** The static model; absent when the run has no code (e.g. `histories` alone). */
  model: TemporalModel | undefined;
  /**
   * Every front-end's model of this run (a repository with TypeScript and Python code has two), for
   * the few project-level checks that give one finding for both languages.
   */
  models?: CodeModel[];
  /** Aggregated history analysis when histories were given (see src/model/history). */
  histories: unknown;
  /** The replay report when histories were replayed against the code (`check --replay`). */
  replay: ReplayReport | undefined;
  config: PreflightConfig;
  /** Absolute path of the reviewed directory. */
  root: string;
  /** Files of the reviewed directory the config points to (alert rules, runbooks), read lazily. */
  readProjectFile(relativeOrAbsolute: string): string | undefined;
  /** Project files matching globs (relative to root, forward slashes), node_modules excluded. */
  globProjectFiles(patterns: string[]): string[];
  report(finding: FindingDraft): void;
}

export interface CheckDefinition {
  /** kebab-case; also the file name, the docs slug and the SARIF ruleId. Never renamed. */
  id: string;
  area: Area;
  severity: Severity;
  evidence: EvidenceKind;
  /** One line: what the check finds. */
  description: string;
  /** What the check needs to run: 'code' (the model), 'histories' or a 'replay' report. */
  needs: 'code' | 'histories' | 'replay';
  run(ctx: CheckContext): void;
}

export type { RelatedLocation };

/** Identity helper: gives a check its type and keeps the registry uniform. */
export function defineCheck(definition: CheckDefinition): CheckDefinition {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(definition.id)) {
    throw new Error(`check id must be kebab-case: ${definition.id}`);
  }
  return definition;
}
