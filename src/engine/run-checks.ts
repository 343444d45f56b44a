// Runs the selected checks over the model and the history analysis, applies suppressions and
// config, sorts the findings and scores the areas. Pure over its inputs apart from reading
// project files the checks ask for (alert rules, runbooks).

import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { CheckContext, CheckDefinition, FindingDraft } from '../checks/define-check.js';
import type { TemporalModel } from '../model/typescript/types.js';
import type { CodeModel } from '../model/types.js';
import { PYTHON_REVIEWED_AREAS, type PythonModel } from '../model/python/build-python-model.js';
import { relativePath } from '../model/typescript/locate.js';
import type { ReplayReport } from '../drill/replay/replay-report.js';
import type { PreflightConfig } from './config.js';
import { scoreAreas, type AreaEvidence } from './score.js';
import { fingerprintFindings } from './fingerprint.js';
import { compareFindings } from './sort-findings.js';
import { findSuppression, parseSuppressions, type Suppression } from './suppressions.js';
import { inventoryOf } from './inventory.js';
import type { Area, Diagnostic, EvidenceKind, Finding, ReviewedProject, ReviewResult } from './types.js';
import { toolInfo } from './tool-info.js';
import { demoteTestOnly, testOnlySites } from './test-only-findings.js';
import { demoteNeverRun, demoteUnrun, neverRunSites, unrunSites, type NeverRunSites } from './unrun-findings.js';
import { markUnstartedWorkers } from './started-workers.js';
import { activitiesRegisteredOnNoWorker } from './activity-policy/unregistered.js';
import { toPythonVocabulary } from './python-vocabulary.js';
import { PROJECT_FILE_MAX_BYTES, readBoundedFile } from './bounded-file.js';
import { linkOnTheWay, outsideLinkMessage, realFolder, resolveInside } from './real-path-inside.js';
import { reviewGaps } from '../model/presence-gaps.js';

export interface ExtraEvidence {
  area: Area;
  kind: EvidenceKind;
  note?: string;
}

export interface RunChecksInput {
  root: string;
  config: PreflightConfig;
  checks: readonly CheckDefinition[];
  model?: TemporalModel;
  /** The model of the project's Python code, when it has any (a mixed repository gets one scorecard). */
  pythonModel?: PythonModel;
  /** The aggregated history analysis, when histories were given. */
  histories?: unknown;
  /** The replay report, when histories were replayed against the code. */
  replay?: ReplayReport;
  /** The history section of the report (files, failures, per workflow type). */
  historyReport?: unknown;
  /** Findings produced outside the checks (replay, drills). */
  extraFindings?: Finding[];
  extraEvidence?: ExtraEvidence[];
  extras?: Record<string, unknown>;
  diagnostics?: Diagnostic[];
  failOn?: 'error' | 'warning';
  /** Name, path, commit and date of the review (see project-meta.ts). */
  project?: ReviewedProject;
  /** Areas the evidence given cannot vouch for (besides the model's gaps), e.g. mostly unreadable histories. */
  gaps?: { areas: Area[]; message: string; file?: string; line?: number }[];
}

export function runChecks(input: RunChecksInput): ReviewResult {
  const { root, config, model, pythonModel } = input;
  const failOn = input.failOn ?? 'error';
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? [])];
  const findings: Finding[] = [];
  // The same finding twice (two workers a factory makes at one Worker.create, alike in what the
  // check reads) is reported once.
  const reported = new Set<string>();
  const evidence = new Map<Area, AreaEvidence>();
  const addEvidence = (area: Area, kind: EvidenceKind, note?: string) => {
    const entry = evidence.get(area) ?? { kinds: new Set<EvidenceKind>(), notes: [] };
    entry.kinds.add(kind);
    if (note && !entry.notes.includes(note)) entry.notes.push(note);
    evidence.set(area, entry);
  };

  const suppressionsByFile = new Map<string, Suppression[]>();
  if (model) {
    for (const file of model.files) {
      const text = model.sourceFile(file)?.text;
      if (!text || !text.includes('preflight-ignore')) continue;
      suppressionsByFile.set(file, parseSuppressions(file, text, relative(root, file), diagnostics));
    }
  }
  for (const file of pythonModel?.files ?? []) {
    const text = readIfPresent(file);
    if (!text || !text.includes('preflight-ignore')) continue;
    suppressionsByFile.set(file, parseSuppressions(file, text, relative(root, file), diagnostics));
  }

  // Findings about production cost in workflows only tests start are lowered to info (TypeScript model).
  const testOnly = model ? testOnlySites(model) : undefined;
  // Findings on workers and starts that no running code reaches are lowered to info (TypeScript model).
  const unrun = model ? unrunSites(model) : undefined;
  const enabled = input.checks.filter((check) => config.checks[check.id] !== 'off');
  const fileCache = new Map<string, string | undefined>();
  const outsideLinks = new Set<string>();
  const globCache = new Map<string, string[]>();
  const projectFiles: Pick<CheckContext, 'readProjectFile' | 'globProjectFiles'> = {
    readProjectFile(file) {
      const absolute = path.resolve(root, file);
      if (!fileCache.has(absolute)) {
        const read = readBoundedFile(absolute, PROJECT_FILE_MAX_BYTES);
        fileCache.set(absolute, read.ok ? read.text : undefined);
        // a missing file is an answer (no such rule file); anything else the user should hear about
        if (!read.ok && !['ENOENT', 'ENOTDIR', 'a directory, not a regular file'].includes(read.reason)) {
          const label = relative(root, absolute);
          diagnostics.push({ kind: 'skipped-file', file: label, message: `${label}: not read: ${read.reason}` });
        }
      }
      return fileCache.get(absolute);
    },
    // Memoised per run: several checks (and the never-run pass) glob the same deployment and test
    // patterns. Callers get their own copy of the list.
    globProjectFiles(patterns) {
      const key = JSON.stringify(patterns);
      let found = globCache.get(key);
      if (!found) globCache.set(key, (found = globInside(root, patterns, outsideLinks)));
      return [...found];
    },
  };
  // Workers no deployment file starts and activities no worker registers: their findings are notes (any language).
  const neverRun = new Map<CodeModel, NeverRunSites | undefined>();
  for (const codeModel of [model, pythonModel]) {
    if (!codeModel) continue;
    const typescript = codeModel === model ? model : undefined;
    markUnstartedWorkers(codeModel, {
      ...projectFiles,
      root,
      ...(typescript && typeof typescript.importsOf === 'function' ? { importsOf: (file: string) => typescript.importsOf(file).flatMap((edge) => (edge.resolved ? [edge.resolved] : [])) } : {}),
    });
    neverRun.set(codeModel, neverRunSites(codeModel, activitiesRegisteredOnNoWorker(codeModel)));
  }
  for (const check of enabled) {
    // A check runs on the Python model only in the areas the Python front-end fills the model for.
    const python = check.needs === 'code' && pythonModel && (PYTHON_REVIEWED_AREAS as readonly string[]).includes(check.area) ? pythonModel : undefined;
    if (check.needs === 'code' && !model && !python) continue;
    if (check.needs === 'histories' && input.histories === undefined) continue;
    if (check.needs === 'replay' && input.replay === undefined) continue;
    addEvidence(check.area, check.evidence);
    const configured = config.checks[check.id];
    const severityOverride = configured && configured !== 'off' ? configured : undefined;
    const contextFor = (codeModel: CodeModel | undefined, translate?: (text: string) => string): CheckContext => ({
      // The checks of the areas above read only the language-neutral part of the model (CodeModel).
      model: codeModel as TemporalModel | undefined,
      models: [model, pythonModel].filter((m): m is NonNullable<typeof m> => m !== undefined),
      histories: input.histories,
      replay: input.replay,
      config,
      root,
      readProjectFile: projectFiles.readProjectFile,
      globProjectFiles: projectFiles.globProjectFiles,
      report(original: FindingDraft) {
        // Related locations speak the same vocabulary as the message they explain.
        const translated = translate
          ? { ...original, message: translate(original.message), fix: translate(original.fix), ...(original.related ? { related: original.related.map((r) => ({ ...r, message: translate(r.message) })) } : {}) }
          : original;
        const demoted = codeModel === model ? demoteUnrun(check.id, demoteTestOnly(check.id, translated, testOnly), unrun, severityOverride ?? check.severity) : translated;
        const draft = codeModel ? demoteNeverRun(check.id, demoted, neverRun.get(codeModel), severityOverride ?? check.severity) : demoted;
        const finding = toFinding(check, draft, root, severityOverride);
        if (draft.location) {
          const suppressions = suppressionsByFile.get(draft.location.file);
          if (suppressions && findSuppression(suppressions, check.id, draft.location.line)) return;
        }
        const key = JSON.stringify([finding.checkId, finding.file, finding.line, finding.column, finding.severity, finding.message]);
        if (reported.has(key)) return;
        reported.add(key);
        findings.push(finding);
      },
    });
    if (model || check.needs !== 'code') check.run(contextFor(model));
    if (python) check.run(contextFor(python, toPythonVocabulary));
  }

  for (const link of [...outsideLinks].sort()) {
    const label = relative(root, link);
    if (!diagnostics.some((d) => d.kind === 'skipped-file' && d.file === label)) diagnostics.push({ kind: 'skipped-file', file: label, message: outsideLinkMessage(label) });
  }
  for (const finding of input.extraFindings ?? []) findings.push(finding);
  for (const extra of input.extraEvidence ?? []) addEvidence(extra.area, extra.kind, extra.note);
  if (model && input.histories === undefined && evidence.has('payloads')) {
    addEvidence('payloads', 'static', 'static review only; give --histories to measure real payloads');
  }

  const gaps: NonNullable<RunChecksInput['gaps']> = [
    ...reviewGaps([model, pythonModel].filter((m): m is NonNullable<typeof m> => m !== undefined)).map(({ gap }) => ({ areas: gap.areas, message: gap.message, ...(gap.location ? { file: relative(root, gap.location.file), line: gap.location.line } : {}) })),
    ...(input.gaps ?? []),
  ];
  for (const gap of gaps) {
    for (const area of gap.areas) {
      const entry = evidence.get(area) ?? { kinds: new Set<EvidenceKind>(), notes: [] };
      entry.gaps = [...(entry.gaps ?? []), gap.message];
      evidence.set(area, entry);
    }
    diagnostics.push({
      kind: 'not-verified',
      ...(gap.file ? { file: gap.file } : {}),
      ...(gap.line !== undefined ? { line: gap.line } : {}),
      message: `${gap.areas.join(', ')} not verified: ${gap.message}`,
    });
  }

  const knownIds = new Set(input.checks.map((c) => c.id));
  const disabledIds = new Set(input.checks.filter((c) => config.checks[c.id] === 'off').map((c) => c.id));
  for (const suppressions of suppressionsByFile.values()) {
    for (const s of suppressions) {
      if (s.used || disabledIds.has(s.checkId)) continue;
      diagnostics.push({
        kind: 'unused-suppression',
        file: relative(root, s.file),
        line: s.line,
        message: knownIds.has(s.checkId)
          ? `unused suppression: no ${s.checkId} finding on this line or the next; remove the comment`
          : `unknown check id "${s.checkId}" in preflight-ignore`,
      });
    }
  }

  findings.sort(compareFindings);
  const fingerprints = fingerprintFindings(findings, root, model ? (file) => model.sourceFile(file) : undefined);
  findings.forEach((finding, i) => (finding.fingerprint = fingerprints[i]));
  diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message));
  const { areas, verdict } = scoreAreas(findings, evidence, failOn, config.notVerified);
  const historiesParsed = (input.historyReport as { parsed?: number } | undefined)?.parsed ?? 0;
  return {
    tool: toolInfo(),
    ...(input.project ? { project: input.project } : {}),
    inventory: inventoryOf([model, pythonModel], historiesParsed),
    verdict,
    failOn,
    root,
    areas,
    findings,
    diagnostics,
    ...(input.historyReport !== undefined ? { histories: input.historyReport } : {}),
    ...(input.extras ? { extras: input.extras } : {}),
  };
}

function toFinding(check: CheckDefinition, draft: FindingDraft, root: string, severityOverride?: Finding['severity']): Finding {
  return {
    checkId: check.id,
    area: check.area,
    severity: severityOverride ?? draft.severity ?? check.severity,
    message: draft.message,
    fix: draft.fix,
    ...(draft.location
      ? { file: relative(root, draft.location.file), line: draft.location.line, column: draft.location.column }
      : draft.file !== undefined
        ? { file: relative(root, path.resolve(root, draft.file)) }
        : {}),
    evidence: check.evidence,
    ...(draft.related?.length
      ? { related: draft.related.map((r) => ({ file: relative(root, r.file), line: r.line, column: r.column, message: r.message })) }
      : {}),
    ...(draft.data ? { data: draft.data } : {}),
  };
}

function readIfPresent(file: string): string | undefined {
  const read = readBoundedFile(file, PROJECT_FILE_MAX_BYTES);
  return read.ok ? read.text : undefined;
}

/** Path relative to the reviewed directory, forward slashes (see relativePath). */
export const relative = relativePath;

/**
 * Project files matching the globs (relative to root, sorted), each once by real path; a match
 * reached through a symbolic link out of root is left out and its link goes to `outsideLinks`.
 */
function globInside(root: string, patterns: string[], outsideLinks: Set<string>): string[] {
  const realRoot = realFolder(root);
  const seen = new Set<string>();
  const files: string[] = [];
  for (const file of globSync(patterns, { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], dot: false }).sort()) {
    const absolute = path.resolve(root, file);
    const resolved = resolveInside(realRoot, absolute);
    if (!resolved) continue;
    if (!resolved.inside) {
      outsideLinks.add(linkOnTheWay(root, absolute));
      continue;
    }
    if (seen.has(resolved.real)) continue;
    seen.add(resolved.real);
    files.push(file);
  }
  return files;
}
