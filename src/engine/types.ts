// The data a review produces. Reporters format it; nothing here prints.

export const AREAS = ['determinism', 'retries', 'timeouts', 'payloads', 'capacity', 'observability'] as const;
export type Area = (typeof AREAS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a finding or a verdict rests on. */
export const EVIDENCE_KINDS = ['static', 'history', 'replay', 'simulation', 'drill'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export type AreaStatus = 'fail' | 'warn' | 'pass' | 'not-verified';
export type Verdict = 'GO' | 'NO-GO';

/** A second place that explains a finding (an import chain step, the implementation behind a proxy). */
export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Finding {
  checkId: string;
  area: Area;
  severity: Severity;
  /** What is wrong and why it breaks in production. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** Relative to the reviewed directory, forward slashes. Absent for project-wide findings. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  evidence: EvidenceKind;
  related?: RelatedLocation[];
  /** Machine-readable facts behind the message (effective policy, sizes, counts). Never payload contents. */
  data?: Record<string, unknown>;
  /** Stable across moved lines and unrelated edits (see engine/fingerprint.ts): what a baseline stores. */
  fingerprint?: string;
}

export interface AreaResult {
  area: Area;
  status: AreaStatus;
  evidence: EvidenceKind[];
  errors: number;
  warnings: number;
  infos: number;
  /** One sentence on what the status rests on, e.g. "static review only; no histories given". */
  note?: string;
  /** What the model could not see for this area (then the status is not-verified unless it fails). */
  gaps?: string[];
  /** With --baseline: findings of this area left out because the baseline holds them (not counted above). */
  known?: number;
  /** With --since: findings of this area left out because they are outside the change (not counted above). */
  outsideChange?: number;
}

/** What a run with --baseline or --since left out of the findings, the areas and the verdict. */
export interface ReviewScope {
  baseline?: {
    /** The baseline file, relative to the reviewed directory. */
    file: string;
    /** Findings the baseline holds: not reported, counted per area as `known`. */
    known: number;
    /** Baseline entries no finding matches any more (fixed, or changed beyond recognition). */
    fixed: number;
    /** The run wrote the baseline (--update-baseline). */
    updated?: boolean;
  };
  since?: {
    ref: string;
    /** Files changed since the ref (git diff plus untracked), under the reviewed directory. */
    changedFiles: number;
    /** Findings outside the change: not reported, counted per area as `outsideChange`. */
    outsideChange: number;
  };
}

/** Something the tool itself wants the user to know: a file it could not parse, an unused suppression. */
export interface Diagnostic {
  kind: 'parse-error' | 'unused-suppression' | 'invalid-suppression' | 'unresolved-import' | 'skipped-file' | 'note' | 'not-verified';
  message: string;
  file?: string;
  line?: number;
}

/** What the report is about. No absolute path: reports travel (CI artifacts, pull-request comments). */
export interface ReviewedProject {
  /** `name` of the reviewed directory's package.json (or the nearest one above it in the work tree), else the folder name. */
  name: string;
  /** The reviewed directory relative to the root of its git work tree ('.' at the root); the folder name outside git. */
  path: string;
  /** Absent when the directory is not in a git work tree (or git is not installed). */
  git?: {
    /** The full hash of HEAD. */
    commit: string;
    /** The reviewed directory has uncommitted changes (untracked files included). Absent when `git status` did not answer in time. */
    dirty?: boolean;
    /** The origin remote as a URL without credentials; absent for local paths or when there is no origin. */
    remote?: string;
  };
  /** When the review ran, ISO 8601 in UTC (SOURCE_DATE_EPOCH when set). */
  date: string;
}

/** What the review saw, counted. */
export interface ReviewInventory {
  /** Production source files reviewed (test code excluded). */
  files: number;
  /** Workflow types defined. */
  workflows: number;
  /** Activity types implemented. */
  activities: number;
  /** proxyActivities / proxyLocalActivities calls. */
  proxies: number;
  /** Worker.create calls (and framework-registered workers). */
  workers: number;
  /** Distinct task queues named by workers and workflow starts. */
  taskQueues: number;
  /** Workflow starts: client starts, child workflows, schedules. */
  starts: number;
  /** History files analysed (--histories). */
  histories: number;
}

export interface ReviewResult {
  tool: { name: string; version: string };
  /** Present in every review run through review(); absent in results built by hand or by runChecks alone. */
  project?: ReviewedProject;
  /** Set by runChecks; absent only in results built by hand. */
  inventory?: ReviewInventory;
  verdict: Verdict;
  failOn: 'error' | 'warning';
  /** Absolute path of the reviewed directory (not printed by the JSON reporter). */
  root: string;
  areas: AreaResult[];
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** Present when history evidence was used (filled by the history analysis). */
  histories?: unknown;
  /** Extra evidence sections added by replay, simulation or drills, keyed by name. */
  extras?: Record<string, unknown>;
  /** Present with --baseline or --since: `findings`, `areas` and `verdict` then cover only what is reported. */
  scope?: ReviewScope;
}
