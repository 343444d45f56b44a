// The replay report: per-history outcomes, the summary, perturbed-replay changes, and the
// source location of the command the code issued when the static model can find it.

import fs from 'node:fs';
import path from 'node:path';
import type { CodeModel, SourceLocation } from '../../model/types.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ReplayRecord } from './run-replay.js';

export interface ReplayResultEntry {
  file?: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  outcome: ReplayRecord['outcome'];
  message: string;
  eventId: number | null;
  expected: string | null;
  issued: string | null;
  /** Where the workflow code issues the diverging command (relative to the project). */
  location?: { file: string; line: number; column: number };
}

export interface PerturbedChange {
  perturbation: string;
  file?: string;
  workflowId: string;
  before: ReplayRecord['outcome'];
  after: ReplayRecord['outcome'];
  message: string;
}

export interface ReplayReport {
  results: ReplayResultEntry[];
  summary: { ok: number; running: number; nondeterminism: number; error: number };
  perturbed?: { perturbations: string[]; changed: PerturbedChange[] };
}

export function buildReplayReport(records: ReplayRecord[], locate: (r: ReplayRecord) => ReplayResultEntry['location'] | undefined, cwd: string): ReplayReport {
  const results = records.map((r): ReplayResultEntry => {
    const location = r.outcome === 'nondeterminism' ? locate(r) : undefined;
    return {
      ...(r.file ? { file: relativePath(cwd, r.file) } : {}),
      workflowId: r.workflowId,
      runId: r.runId,
      workflowType: r.workflowType,
      outcome: r.outcome,
      message: r.message,
      eventId: r.eventId,
      expected: r.expected,
      issued: r.issued,
      ...(location ? { location } : {}),
    };
  });
  const count = (outcome: ReplayRecord['outcome']) => results.filter((r) => r.outcome === outcome).length;
  return { results, summary: { ok: count('ok'), running: count('running'), nondeterminism: count('nondeterminism'), error: count('error') } };
}

export function perturbedChanges(name: string, baseline: ReplayRecord[], perturbed: ReplayRecord[], cwd: string): PerturbedChange[] {
  const changes: PerturbedChange[] = [];
  baseline.forEach((before, i) => {
    const after = perturbed[i]!;
    if (before.outcome === after.outcome) return;
    changes.push({
      perturbation: name,
      ...(before.file ? { file: relativePath(cwd, before.file) } : {}),
      workflowId: before.workflowId,
      before: before.outcome,
      after: after.outcome,
      message: after.message || before.message,
    });
  });
  return changes;
}

/** Finds the code location of the command the workflow issued (activity call or child start). */
export function locatorFor(model: CodeModel | undefined, root: string): (r: ReplayRecord) => ReplayResultEntry['location'] | undefined {
  return (record) => {
    if (!model || !record.issuedType) return undefined;
    let found: SourceLocation | undefined;
    if (record.issuedKind === 'child-workflow') {
      found = model.starts.find((s) => s.child && s.workflowType === record.issuedType)?.location;
    } else {
      for (const proxy of model.activityProxies) {
        if (proxy.usedActivityTypes === 'all') continue;
        const use = proxy.usedActivityTypes.find((u) => u.name === record.issuedType);
        if (use) {
          found = use.location;
          break;
        }
      }
    }
    return found ? { file: relativePath(root, found.file), line: found.line, column: found.column } : undefined;
  };
}

/** The project directory of a workflows module: the nearest folder above it with a tsconfig.json. */
export function projectDirOf(workflowsModule: string): string {
  let dir = path.dirname(path.resolve(workflowsModule));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(path.resolve(workflowsModule));
    dir = parent;
  }
}

