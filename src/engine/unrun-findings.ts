// Lowers to info the findings on a worker or a workflow start that no running code reaches (the
// model's notRun, see src/model/typescript/unrun-code.ts): a Worker.create or a start inside a
// function nothing refers to, or a worker whose workflowsPath names nothing and so cannot start.
// The finding stays, as a note with the reason: the code may be wired up later, and then it is
// right again. One place for every check, like test-only-findings.ts.

import type { FindingDraft } from '../checks/define-check.js';
import type { SourceLocation, TemporalModel } from '../model/typescript/types.js';

export interface UnrunSites {
  /** Why the code at a location never runs in production, or undefined when nothing says so. */
  at(checkId: string, location: SourceLocation): string | undefined;
}

/**
 * Checks about a worker's process rather than one line of its options: their findings sit in the
 * worker's file (its signal handlers, its connection), so a worker that cannot start lowers them
 * anywhere in that file.
 */
function aboutWorkerProcess(checkId: string): boolean {
  return checkId.startsWith('worker-') || checkId === 'connection-without-tls-option';
}

/** Indexes the unrun workers and starts of a model; undefined when it has none. */
export function unrunSites(model: TemporalModel): UnrunSites | undefined {
  const spans: { file: string; start: number; end: number; reason: string }[] = [];
  const line = (file: string, position: number): number => (model.sourceFile(file)?.getLineAndCharacterOfPosition(position).line ?? -1) + 1;
  for (const site of [...model.workers, ...model.starts]) {
    if (!site.notRun) continue;
    const file = site.location.file;
    spans.push({ file, start: site.location.line, end: line(file, site.node.getEnd()), reason: site.notRun });
  }
  // A file whose every worker cannot start (its workflowsPath names nothing).
  const deadFiles = new Map<string, string>();
  for (const worker of model.workers) {
    const file = worker.location.file;
    const inFile = model.workers.filter((w) => w.location.file === file);
    if (inFile.every((w) => w.workflowsMissing) && worker.notRun) deadFiles.set(file, worker.notRun);
  }
  if (spans.length === 0 && deadFiles.size === 0) return undefined;
  return {
    at(checkId, location) {
      const span = spans.find((s) => s.file === location.file && location.line >= s.start && location.line <= s.end);
      if (span) return span.reason;
      return aboutWorkerProcess(checkId) ? deadFiles.get(location.file) : undefined;
    },
  };
}

/** The draft lowered to info with the reason, when it sits on code that never runs; otherwise unchanged. */
export function demoteUnrun(checkId: string, draft: FindingDraft, sites: UnrunSites | undefined, defaultSeverity: string): FindingDraft {
  if (!sites || !draft.location || (draft.severity ?? defaultSeverity) === 'info') return draft;
  const reason = sites.at(checkId, draft.location);
  if (!reason) return draft;
  // A grouped finding whose other sites run keeps its severity.
  if ((draft.related ?? []).length > 0 && (draft.related ?? []).some((related) => !sites.at(checkId, related))) return draft;
  return {
    ...draft,
    severity: 'info',
    message: `${draft.message} Lowered to info: no running code reaches this: ${reason}.`,
    data: { ...(draft.data ?? {}), notRun: reason },
  };
}
