// review(): the library's main entry. Builds the model once, runs the checks, returns data.

import path from 'node:path';
import { checks as allChecks } from './checks/index.js';
import type { CheckDefinition } from './checks/define-check.js';
import { readBaseline, writeBaseline } from './engine/baseline.js';
import { changedFilesSince } from './engine/changed-files.js';
import { loadConfig, type PreflightConfig } from './engine/config.js';
import { UsageError } from './engine/errors.js';
import { applyScope, type ScopeInput } from './engine/review-scope.js';
import { describeProject } from './engine/project-meta.js';
import { runChecks, type ExtraEvidence } from './engine/run-checks.js';
import { relativePath } from './model/typescript/locate.js';
import type { Area, Diagnostic, Finding, ReviewResult } from './engine/types.js';
import { projectDirectory } from './engine/project-directory.js';
import { analyzeHistories, type HistoryAnalysis } from './model/history/index.js';
import { buildTemporalModel, isNoTypeScriptTemporalCode } from './model/typescript/build-model.js';
import { buildPythonModel, hasPythonTemporalCode, type PythonModel } from './model/python/build-python-model.js';
import type { ReplayHistoriesOptions } from './drill/replay/replay-histories.js';

export interface ReviewOptions {
  /** The directory to review (default: the current directory). */
  dir?: string;
  /** Explicit tsconfig files (-p); default: discover tsconfig.json files under dir. */
  projects?: string[];
  /** Config file; default preflight.config.{json,yaml,yml} in dir. */
  configFile?: string;
  /** A config object to use instead of reading one. */
  config?: PreflightConfig;
  /** What makes NO-GO (default error). */
  failOn?: 'error' | 'warning';
  /** Skip the static review (e.g. `histories` alone). */
  skipCode?: boolean;
  /** History files, folders or globs (--histories): adds history evidence. */
  histories?: string[];
  /** Where relative history paths are resolved (default: the process working directory). */
  cwd?: string;
  /** Put a truncated preview of the largest payloads in the report (--show-payloads). */
  showPayloads?: boolean;
  /** Replay the histories against this workflows module (`check --replay --workflows`). */
  replay?: Omit<ReplayHistoriesOptions, 'paths' | 'namespace' | 'cwd' | 'python'> & {
    /** --python: replay the Python workflows with this interpreter (the default for a Python-only directory). */
    pythonInterpreter?: string;
  };
  /** Use these checks instead of the registry (tests). */
  checks?: readonly CheckDefinition[];
  /** Findings and evidence produced elsewhere (replay, drills). */
  extraFindings?: Finding[];
  extraEvidence?: ExtraEvidence[];
  extras?: Record<string, unknown>;
  /**
   * Report and fail only on findings this baseline file does not hold (--baseline); with
   * `update`, first write every current finding to it (--update-baseline). Relative to cwd.
   */
  baseline?: { file: string; update?: boolean };
  /** Report only findings in files changed since this git ref, or whose evidence changed (--since). */
  since?: string;
  /** The date the report states (default: SOURCE_DATE_EPOCH when set, else now). */
  date?: Date;
}

export async function review(options: ReviewOptions = {}): Promise<ReviewResult> {
  const root = projectDirectory(options.dir ?? '.');
  const config = options.config ?? loadConfig(root, options.configFile).config;
  if (options.since !== undefined && options.baseline?.update) {
    throw new UsageError('--update-baseline cannot be combined with --since: the baseline must hold every finding');
  }
  // Both read before the review, so a missing baseline or a bad ref fails at once.
  const changedFiles = options.since !== undefined ? changedFilesSince(root, options.since) : undefined;
  const baselinePath = options.baseline ? path.resolve(options.cwd ?? process.cwd(), options.baseline.file) : undefined;
  const baselined = options.baseline && !options.baseline.update && baselinePath ? readBaseline(baselinePath, options.baseline.file) : undefined;
  const diagnostics: Diagnostic[] = [];
  let model;
  let pythonModel: PythonModel | undefined;
  if (!options.skipCode) {
    // Python is reviewed when some .py file imports temporalio, unless -p picked TypeScript projects.
    const python = !options.projects?.length && hasPythonTemporalCode({ root, include: config.include, exclude: config.exclude });
    try {
      const built = buildTemporalModel({
        root,
        ...(options.projects?.length ? { projects: options.projects } : {}),
        include: config.include,
        exclude: config.exclude,
        tests: config.tests,
      });
      model = built.model;
      diagnostics.push(...built.diagnostics);
    } catch (error) {
      // A Python-only directory has no TypeScript (or no TypeScript Temporal code): not an error then.
      if (!(python && isNoTypeScriptTemporalCode(error))) throw error;
    }
    if (python) {
      const built = await buildPythonModel({ root, include: config.include, exclude: config.exclude });
      pythonModel = built.model;
      diagnostics.push(...built.diagnostics);
    }
  }
  const histories = options.histories?.length ? loadHistories(options, root, config, diagnostics) : undefined;
  const checks = options.checks ?? allChecks;
  const historyGap = histories ? mostlyUnreadable(histories, checks) : undefined;
  if (options.replay && !options.histories?.length) throw new UsageError('--replay needs --histories <paths> to replay');
  const replayOptions = options.replay ? replayTarget(options.replay, root, pythonModel) : undefined;
  // loaded on demand: the replayer pulls in the SDK's worker and client, which a static review never needs
  const replay = replayOptions
    ? await (await import('./drill/replay/replay-histories.js')).replayHistories({ ...replayOptions, paths: options.histories ?? [], cwd: options.cwd ?? process.cwd(), locationRoot: root })
    : undefined;
  const result = runChecks({
    project: describeProject(root, options.date),
    ...(replay ? { replay, extras: { ...options.extras, replay } } : {}),
    root,
    config,
    ...(histories ? { histories, historyReport: histories.report } : {}),
    checks,
    ...(historyGap ? { gaps: [historyGap] } : {}),
    ...(model ? { model } : {}),
    ...(pythonModel ? { pythonModel } : {}),
    diagnostics,
    failOn: options.failOn ?? 'error',
    ...(options.extraFindings ? { extraFindings: options.extraFindings } : {}),
    ...(options.extraEvidence ? { extraEvidence: options.extraEvidence } : {}),
    ...(options.extras && !replay ? { extras: options.extras } : {}),
  });
  if (!options.baseline && !changedFiles) return result;
  const scope: ScopeInput = {};
  if (options.baseline && baselinePath) {
    if (options.baseline.update) writeBaseline(baselinePath, result.findings, options.baseline.file);
    const fingerprints = baselined ?? new Set(result.findings.flatMap((f) => (f.fingerprint ? [f.fingerprint] : [])));
    scope.baseline = { file: relativePath(root, baselinePath), fingerprints, ...(options.baseline.update ? { updated: true } : {}) };
  }
  if (options.since !== undefined && changedFiles) scope.since = { ref: options.since, changedFiles };
  return applyScope(result, scope, config.notVerified);
}

/**
 * More unreadable history files than analyzed ones: the evidence describes a minority of what was
 * given (perhaps the wrong one), so the areas the history checks judge are not verified, and the
 * verdict is not GO by default. A few unreadable files among many stay diagnostics.
 */
function mostlyUnreadable(analysis: HistoryAnalysis, checks: readonly CheckDefinition[]): { areas: Area[]; message: string } | undefined {
  const { parsed, failed, files } = analysis.report;
  if (failed.length <= parsed) return undefined;
  const areas = [...new Set(checks.filter((check) => check.needs === 'histories').map((check) => check.area))].sort();
  const first = failed[0]!;
  return {
    areas,
    message:
      `${failed.length} of ${files} history files could not be analyzed (${first.file}: ${first.reason}${failed.length > 1 ? '; and more' : ''}), ` +
      'so the history evidence covers a minority of the executions given. Fix or remove the unreadable files.',
  };
}

/** Analyzes the histories; corrupt files become diagnostics, and no usable history at all is a usage error. */
function loadHistories(options: ReviewOptions, root: string, config: PreflightConfig, diagnostics: Diagnostic[]): HistoryAnalysis {
  const analysis = analyzeHistories({
    paths: options.histories ?? [],
    cwd: options.cwd ?? process.cwd(),
    root,
    config,
    showPayloads: options.showPayloads ?? false,
  });
  const { parsed, failed } = analysis.report;
  const onlyMissing = failed.every((f) => f.reason === 'no such file or directory' || f.reason.startsWith('no files match') || f.reason.startsWith('no .json files'));
  if (parsed === 0 && (options.skipCode || onlyMissing)) {
    const first = failed[0];
    const detail = first ? `${first.file}: ${first.reason}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}` : 'no files given';
    throw new UsageError(`no history could be analyzed: ${detail}`);
  }
  for (const failure of failed) diagnostics.push({ kind: 'parse-error', file: failure.file, message: failure.reason });
  for (const note of analysis.notes) diagnostics.push({ kind: 'note', file: note.file, message: note.message });
  return analysis;
}

/**
 * TypeScript replay against --workflows, or Python replay in the project's interpreter: with
 * --python, or by default when the directory has Python Temporal code and no --workflows.
 */
function replayTarget(replay: NonNullable<ReviewOptions['replay']>, root: string, pythonModel: PythonModel | undefined): Omit<ReplayHistoriesOptions, 'paths' | 'namespace' | 'cwd'> {
  const { pythonInterpreter, ...rest } = replay;
  if (pythonInterpreter === undefined && (rest.workflows || !pythonModel)) {
    if (!rest.workflows) throw new UsageError('--replay needs --workflows <module>');
    return rest;
  }
  if (!pythonModel) throw new UsageError(`--python: ${root} has no Python code that imports temporalio to replay`);
  return { ...rest, python: { projectDir: root, model: pythonModel, ...(pythonInterpreter !== undefined ? { interpreter: pythonInterpreter } : {}) } };
}
