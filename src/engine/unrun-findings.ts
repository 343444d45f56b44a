// Lowers to info the findings on a worker or a workflow start that no running code reaches (the
// model's notRun, see src/model/typescript/unrun-code.ts): a Worker.create or a start inside a
// function nothing refers to, or a worker whose workflowsPath names nothing and so cannot start.
// The finding stays, as a note with the reason: the code may be wired up later, and then it is
// right again. One place for every check, like test-only-findings.ts.

import path from 'node:path';
import type { FindingDraft } from '../checks/define-check.js';
import type { ActivityOnNoWorker } from '../model/activity-registration.js';
import type { SourceLocation, TemporalModel } from '../model/typescript/types.js';
import type { CodeModel } from '../model/types.js';

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

// ---------------------------------------------------------------------------------------------
// Code that is never run for another reason, for a model of any language: a worker that no
// deployment file or package script starts while they start another one (WorkerFacts.notStarted,
// src/engine/started-workers.ts), and an activity that no worker registers while every worker's
// activity set was read (src/model/activity-registration.ts), and a function no code refers to
// (CodeModel.unreferencedFunctions, Python: python/python-unreferenced-code.ts). Their findings
// become notes that lead in with the reason: once the worker is deployed, the activity registered
// or the function called, they apply.

export interface NeverRunSites {
  /** The lead-in for a finding about code that never runs, or undefined. */
  at(checkId: string, draft: FindingDraft): string | undefined;
}

/** Data keys by which a finding names the activities it is about. */
function activitiesNamed(data: Record<string, unknown> | undefined): string[] {
  if (!data) return [];
  const names: string[] = [];
  for (const key of ['activity', 'activityType']) if (typeof data[key] === 'string') names.push(data[key] as string);
  for (const key of ['activities', 'activityTypes']) if (Array.isArray(data[key])) for (const name of data[key] as unknown[]) if (typeof name === 'string') names.push(name);
  if (data.kind === 'activity' && typeof data.name === 'string') names.push(data.name);
  return [...new Set(names)];
}

/** Checks about activity registration itself: their findings are the news, not code that never runs. */
const REGISTRATION_CHECKS = new Set(['activity-not-registered', 'activity-methods-not-registered', 'worker-activity-overwritten']);

/** Indexes the workers that are not started and the activities that are not registered; undefined when there are none. */
export function neverRunSites(model: CodeModel, onNoWorker: Map<string, ActivityOnNoWorker>): NeverRunSites | undefined {
  const root = model.root;
  const absolute = (file: string) => path.resolve(root, file);
  const workflowSpans = pythonWorkflowSpans(model).map((w) => ({ ...w, file: absolute(w.file) }));
  const deadWorkflows = workflowSpans.filter((w) => w.dead);
  const typescript = model.language === 'python' ? undefined : (model as TemporalModel);
  const unstarted: { file: string; start: number; end: number; reason: string }[] = [];
  for (const worker of model.workers) {
    if (!worker.notStarted) continue;
    const file = absolute(worker.location.file);
    const node = (worker as { node?: { getEnd(): number } }).node;
    const source = typescript && typeof typescript.sourceFile === 'function' ? typescript.sourceFile(worker.location.file) : undefined;
    const end = node && source ? source.getLineAndCharacterOfPosition(node.getEnd()).line + 1 : worker.location.line;
    unstarted.push({ file, start: worker.location.line, end, reason: worker.notStarted });
  }
  const unreferenced = (model.unreferencedFunctions ?? []).map((fn) => ({ ...fn, file: absolute(fn.file) }));
  // Python activity calls that raise TypeError before they schedule anything (activity-arguments-mismatch).
  const failingCalls = ((model as { activityCallArityErrors?: { location: SourceLocation; endLine: number; callText: string }[] }).activityCallArityErrors ?? []).map((call) => ({
    file: absolute(call.location.file),
    start: call.location.line,
    end: call.endLine,
    callText: call.callText,
  }));
  if (unstarted.length === 0 && onNoWorker.size === 0 && deadWorkflows.length === 0 && unreferenced.length === 0 && failingCalls.length === 0) return undefined;
  // Calls of activities in workflows are not the activity's own code: their findings stay.
  const callSites = new Set((model.activityProxies ?? []).flatMap((proxy) => [proxy.location, ...(proxy.usedActivityTypes === 'all' ? [] : proxy.usedActivityTypes.map((use) => use.location))].map((l) => `${absolute(l.file)}:${l.line}`)));
  const workerReason = (checkId: string, location: SourceLocation): string | undefined => {
    const file = absolute(location.file);
    const site = unstarted.find((s) => s.file === file && ((location.line >= s.start && location.line <= s.end) || aboutWorkerProcess(checkId)));
    return site?.reason;
  };
  return {
    at(checkId, draft) {
      if (!draft.location) return undefined;
      const onWorker = workerReason(checkId, draft.location);
      if (onWorker) {
        // a grouped finding whose other sites run keeps its severity
        if ((draft.related ?? []).some((related) => !workerReason(checkId, related))) return undefined;
        return `${onWorker}: `;
      }
      if (REGISTRATION_CHECKS.has(checkId)) return undefined;
      const failingAt = (location: SourceLocation) => failingCalls.find((c) => c.file === absolute(location.file) && location.line >= c.start && location.line <= c.end);
      const failing = checkId === 'activity-arguments-mismatch' ? undefined : failingAt(draft.location);
      // A grouped finding that also names an activity call that does schedule keeps its severity.
      if (failing && (draft.related ?? []).every((related) => failingAt(related) || !callSites.has(`${absolute(related.file)}:${related.line}`))) {
        return `The ${failing.callText} call at line ${failing.start} raises TypeError before it schedules the activity (see activity-arguments-mismatch); once fixed: `;
      }
      const spanAt = (location: SourceLocation) => workflowSpans.find((w) => w.file === absolute(location.file) && location.line >= w.start && location.line <= w.end);
      const dead = spanAt(draft.location);
      // a grouped finding that also points into a registered workflow keeps its severity; related
      // locations elsewhere (the activity's code) are evidence, not other sites
      if (dead?.dead && !(draft.related ?? []).some((related) => spanAt(related)?.dead === false)) {
        return dead.reason ? `${dead.name} runs nowhere: ${dead.reason}; once a worker runs it: ` : `${dead.name} is registered on no worker (every worker's workflow list was read) and no start here names it; once registered: `;
      }
      // Code inside a function nothing refers to never runs; a grouped finding with a site that may run keeps its severity.
      const unreferencedAt = (location: SourceLocation) => unreferenced.find((fn) => fn.file === absolute(location.file) && location.line >= fn.start && location.line <= fn.end);
      const uncalled = unreferencedAt(draft.location);
      if (uncalled && (draft.related ?? []).every((related) => unreferencedAt(related))) return `Nothing in the project calls ${uncalled.name} (no code refers to it); once called: `;
      if (onNoWorker.size === 0) return undefined;
      const names = activitiesNamed(draft.data as Record<string, unknown> | undefined);
      if (names.length === 0 || names.some((name) => !onNoWorker.has(name))) return undefined;
      if (callSites.has(`${absolute(draft.location.file)}:${draft.location.line}`)) return undefined;
      const facts = names.map((name) => onNoWorker.get(name)!);
      const subject = names.length === 1 ? `${names[0]} is registered on no worker` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are registered on no worker`;
      const why = facts.every((f) => f.reported) ? ' (see activity-not-registered)' : facts.every((f) => !f.scheduled) ? `, and no workflow here schedules ${names.length === 1 ? 'it' : 'them'}` : '';
      return `${subject}${why}; once registered: `;
    },
  };
}

/** The draft lowered to info with the lead-in, when it is about code that never runs; otherwise unchanged. */
export function demoteNeverRun(checkId: string, draft: FindingDraft, sites: NeverRunSites | undefined, defaultSeverity: string): FindingDraft {
  if (!sites || !draft.location || (draft.severity ?? defaultSeverity) === 'info') return draft;
  const leadIn = sites.at(checkId, draft);
  if (!leadIn) return draft;
  return { ...draft, severity: 'info', message: `${leadIn}${draft.message}`, data: { ...(draft.data ?? {}), neverRun: leadIn.replace(/(: |; once registered: |; once called: |; once a worker runs it: )$/, '') } };
}

/**
 * The lines of each Python workflow class, and whether no worker registers it and no start names it (dead), when every
 * worker's workflow list was read
 * (and at least one worker registers some workflow, and nothing failed to parse): the code inside
 * the class never runs. TypeScript workflow code is judged by module reach (unregistered-code.ts).
 */
function pythonWorkflowSpans(model: CodeModel): { name: string; file: string; start: number; end: number; dead: boolean; reason?: string }[] {
  if (model.language !== 'python' || model.parseErrors.length > 0) return [];
  const workflowList = (model.workflows ?? []) as { name: string; location: SourceLocation; endLine?: number }[];
  // Nothing in the project makes a worker or a client: no workflow here runs.
  const nowhere = model.workflowsRunNowhere;
  if (nowhere) {
    return workflowList
      .filter((workflow) => workflow.endLine !== undefined)
      .map((workflow) => ({ name: workflow.name, file: workflow.location.file, start: workflow.location.line, end: workflow.endLine!, dead: true, reason: nowhere }));
  }
  if (model.workers.length === 0) return [];
  const workers = model.workers as { workflowNames?: string[] | 'unknown' }[];
  if (workers.some((worker) => worker.workflowNames === undefined || worker.workflowNames === 'unknown')) return [];
  const workflows = (model.workflows ?? []) as { name: string; location: SourceLocation; workerIds?: string[]; endLine?: number }[];
  if (!workflows.some((workflow) => (workflow.workerIds ?? []).length > 0)) return [];
  // A workflow that a start names is meant to run: registering it is the fix (workflow-not-registered
  // reports the start), and then its findings apply as they are. A start whose type is read at run
  // time (a name from a message) does not say which; no worker runs the class either way.
  const started = new Set([...model.starts, ...(model.scheduleActions ?? [])].flatMap((start) => (start.workflowType !== null ? [start.workflowType] : (start.workflowTypeCandidates ?? []))));
  return workflows
    .filter((workflow) => workflow.workerIds !== undefined && workflow.endLine !== undefined)
    .map((workflow) => ({
      name: workflow.name,
      file: workflow.location.file,
      start: workflow.location.line,
      end: workflow.endLine!,
      dead: workflow.workerIds!.length === 0 && !started.has(workflow.name),
    }));
}
