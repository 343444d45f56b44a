// Whether the load a worker can receive is bounded by the code itself: every workflow it runs (or
// whose activities it runs) is started only by schedules, cron or a fixed workflow id, each of
// which keeps at most one execution running at a time, and each execution runs its activities and
// children one at a time. Then the number of activities in flight is at most the number of such
// executions (a handful), and the SDK's default slots (100 activity slots, TEMPORAL-FACTS.md
// section 6) cannot fill. Anything else (a start per request, a start the review cannot place, a
// fan-out, a workflow nothing in the code starts) leaves the load open. Shared by both languages:
// the front-ends only say where starts sit and where workflows run work side by side.

import fs from 'node:fs';
import path from 'node:path';
import type { CodeModel, SourceLocation, StartPlacement, StaticValue, WorkerFacts, WorkflowConcurrencyFacts, WorkflowFacts, WorkflowStartFacts } from './types.js';

export type WorkerLoad =
  /** The reason, a sentence fragment after "because". */
  | { kind: 'bounded'; reason: string; workflows: string[] }
  | { kind: 'open'; reason: string }
  | { kind: 'unknown'; reason: string }
  /** The model holds no workflow (an editor's model of one file): the load is not judged at all. */
  | { kind: 'unseen' };

/** What the language front-end answers about the syntax. */
export interface LoadSyntax {
  concurrency: WorkflowConcurrencyFacts[];
  placement(start: WorkflowStartFacts): StartPlacement;
}

/** `perRequest`: the reason is a start in a request handler, the clearest reason to show. */
type Verdict = { bounded: true; how: string } | { bounded: false; open: boolean; reason: string; perRequest?: boolean };

/** Overlap policies that keep one execution of a schedule at a time (the default is SKIP). */
const ONE_AT_A_TIME = /(^|[._])(SKIP|BUFFER_ONE|BUFFER_ALL|CANCEL_OTHER|TERMINATE_OTHER)$/i;

export function workerLoad(worker: WorkerFacts, model: CodeModel, syntax: LoadSyntax, hostedNames: string[] | 'unknown'): WorkerLoad {
  const workflows = (model.workflows ?? []).filter((w) => !w.helperExport);
  if (workflows.length === 0) return { kind: 'unseen' };
  const scope = workflowsInScope(worker, model, workflows, hostedNames);
  const rel = (location: SourceLocation) => `${path.relative(model.root, location.file).split(path.sep).join('/')}:${location.line}`;
  const starts = [...model.starts, ...(model.scheduleActions ?? [])].filter((s) => !s.notRun);
  const sourceCache = new Map<string, string>();
  const mentions = (file: string, names: string[]) => {
    let text = sourceCache.get(file);
    if (text === undefined) {
      try {
        text = withoutComments(fs.readFileSync(file, 'utf8'), file);
      } catch {
        text = '';
      }
      sourceCache.set(file, text);
    }
    return names.some((name) => new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`).test(text!));
  };
  const callText = (s: WorkflowStartFacts) => s.callText ?? (s.method === 'schedule' ? `a schedule of ${s.workflowType ?? s.workflowTypeText}` : `${s.method}(${s.workflowType ?? s.workflowTypeText})`);

  // A start the review cannot name the workflow of may start any of them: it must be bounded too.
  const untyped = starts.filter((s) => s.workflowType === null && !s.workflowTypeCandidates?.length);
  const memo = new Map<string, Verdict>();

  const startVerdict = (s: WorkflowStartFacts, stack: string[]): Verdict => {
    const where = `${callText(s)} at ${rel(s.location)}`;
    const placement = syntax.placement(s);
    if (s.child) {
      if (!placement.parentWorkflow) return { bounded: false, open: false, reason: `${where} starts it as a child from a helper the review does not tie to one workflow` };
      if (s.method === 'startChild' && placement.repeatedIn) return { bounded: false, open: true, reason: `${where} starts a child in a loop (${placement.repeatedIn.text}), and the children run at the same time` };
      const parent = workflowVerdict(placement.parentWorkflow, [...stack]);
      if (!parent.bounded) return { ...parent, reason: `it runs as a child of ${placement.parentWorkflow}, and ${parent.reason}` };
      return { bounded: true, how: `as a child of ${placement.parentWorkflow}` };
    }
    if (placement.requestHandler) return { bounded: false, open: true, perRequest: true, reason: `${where} starts it once per request or message (${placement.requestHandler})` };
    const options = s.options?.kind === 'object' ? s.options : undefined;
    // Python keeps the keyword's own name (`cron_schedule=`).
    const cron = options?.properties.get('cronSchedule') ?? options?.properties.get('cron_schedule');
    const hasCron = cron !== undefined && cron.kind !== 'undefined' && cron.kind !== 'null' && !(cron.kind === 'string' && cron.value === '');
    const workflowId = options?.properties.get('workflowId');
    if (s.method === 'schedule' || hasCron) {
      if (s.method === 'schedule') {
        const overlap = s.schedule?.overlap;
        if (overlap && !(overlap.kind === 'string' && ONE_AT_A_TIME.test(overlap.value)) && !(overlap.kind === 'unknown' && ONE_AT_A_TIME.test(overlap.text))) {
          return overlap.kind === 'unknown' && !/ALLOW_ALL/i.test(overlap.text)
            ? { bounded: false, open: false, reason: `the overlap policy of ${where} (${overlap.kind === 'unknown' ? overlap.text : 'a value'}) cannot be read` }
            : { bounded: false, open: true, reason: `${where} lets its runs overlap (${overlap.kind === 'unknown' ? overlap.text : 'ALLOW_ALL'})` };
        }
      }
      const id = s.method === 'schedule' ? s.schedule?.id : workflowId;
      const kind = s.method === 'schedule' ? 'schedule' : 'cron start';
      if (placement.repeatedIn && !placement.repeatedIn.fixed) {
        return { bounded: false, open: false, reason: `${where} makes one ${kind} per item of ${placement.repeatedIn.text}, and how many there are is not in the code` };
      }
      if (!placement.repeatedIn && !isConstant(id)) {
        return { bounded: false, open: false, reason: `${where} names its ${kind} with a computed id, so how many ${kind === 'schedule' ? 'schedules' : 'cron workflows'} exist cannot be told` };
      }
      const at = rel(s.location);
      return { bounded: true, how: placement.repeatedIn ? `by one ${kind} per entry of ${placement.repeatedIn.text} (${at})` : `by the ${kind} at ${at}` };
    }
    if (isConstant(workflowId)) return { bounded: true, how: `by a start with the fixed workflow id '${(workflowId as { value: unknown }).value}' (${rel(s.location)}), so one run at a time` };
    return { bounded: false, open: true, reason: `${where} may run any number of times (it is not a schedule, cron or a fixed workflow id)` };
  };

  const workflowVerdict = (name: string, stack: string[]): Verdict => {
    const known = memo.get(name);
    if (known) return known;
    if (stack.includes(name)) return { bounded: false, open: false, reason: `${name} starts itself through its children` };
    stack.push(name);
    const verdict = decide(name, stack);
    memo.set(name, verdict);
    return verdict;
  };

  const decide = (name: string, stack: string[]): Verdict => {
    const sites = syntax.concurrency.filter((c) => c.workflow === name).flatMap((c) => c.sites);
    if (sites.length > 0) {
      const site = sites[0]!;
      return { bounded: false, open: true, reason: `${name} runs work side by side (\`${site.text}\` at ${rel(site.location)})` };
    }
    for (const s of untyped) {
      if (s.child) continue;
      const verdict = startVerdict(s, stack);
      if (!verdict.bounded) return { ...verdict, reason: `${verdict.reason}; the review cannot tell which workflow it starts` };
    }
    const workflow = workflows.find((w) => w.name === name);
    const names = [name, ...(workflow && 'className' in workflow && typeof workflow.className === 'string' ? [workflow.className] : [])];
    const own = starts.filter(
      (s) =>
        s.workflowType === name ||
        s.workflowTypeCandidates?.includes(name) ||
        (s.workflowType === null && !s.workflowTypeCandidates?.length && mentions(s.location.file, names)),
    );
    if (own.length === 0) return { bounded: false, open: false, reason: `nothing in the reviewed code starts ${name} (another service or a person may)` };
    const hows: string[] = [];
    let worst: Verdict | undefined;
    for (const s of own) {
      const verdict = startVerdict(s, stack);
      if (verdict.bounded) {
        if (!hows.includes(verdict.how)) hows.push(verdict.how);
      } else if (!worst || worse(verdict, worst)) worst = verdict;
    }
    return worst ?? { bounded: true, how: hows.join(' and ') };
  };

  // Workflows started the same way are named together: "A and B are started only by ...".
  const hows = new Map<string, string[]>();
  let worst: Verdict | undefined;
  for (const workflow of scope) {
    const verdict = workflowVerdict(workflow.name, []);
    if (verdict.bounded) hows.set(verdict.how, [...(hows.get(verdict.how) ?? []), workflow.name]);
    else if (!worst || worse(verdict, worst)) worst = verdict;
  }
  if (worst && !worst.bounded) return { kind: worst.open ? 'open' : 'unknown', reason: worst.reason };
  const sentences = [...hows].map(([how, names]) => `${listed(names)} ${names.length > 1 ? 'are' : 'is'} started only ${how}`);
  return { kind: 'bounded', reason: sentences.join('; '), workflows: scope.map((w) => w.name) };
}

/**
 * The workflows whose tasks and activities can reach the worker: those it registers, and those
 * that call the activities it registers. When either is not known, every workflow of the code base.
 */
function workflowsInScope(worker: WorkerFacts, model: CodeModel, workflows: WorkflowFacts[], hostedNames: string[] | 'unknown'): WorkflowFacts[] {
  if (hostedNames === 'unknown' || worker.activityNames === 'unknown') return workflows;
  const names = new Set(hostedNames);
  const registered = new Set(worker.activityNames);
  for (const proxy of model.activityProxies) {
    const used = proxy.usedActivityTypes === 'all' ? proxy.exposedActivityTypes : proxy.usedActivityTypes.map((u) => u.name);
    const reaches = proxy.usedActivityTypes === 'all' || used.some((name) => registered.has(name)) || (Array.isArray(proxy.usedActivityTypes) && proxy.usedActivityTypes.some((u) => u.guessed));
    if (!reaches) continue;
    if (proxy.workflowNames.length === 0) return workflows;
    for (const name of proxy.workflowNames) names.add(name);
  }
  if (names.size === 0) return workflows;
  return workflows.filter((w) => names.has(w.name));
}

/** Which reason to show: a per-request start first, then any open load, then what cannot be told. */
function worse(a: Verdict, b: Verdict): boolean {
  const rank = (v: Verdict) => (v.bounded ? -1 : v.perRequest ? 2 : v.open ? 1 : 0);
  return rank(a) > rank(b);
}

function listed(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The source without its comments (and, in Python, its triple-quoted strings): a workflow named
 * only in a commented-out schedule entry or a docstring is not started by the code around it.
 * Rough (a `#` or `//` inside a string ends the text early), which only makes fewer names found.
 */
export function withoutComments(text: string, file: string): string {
  if (/\.pyi?$/.test(file)) return text.replace(/("""|''')[\s\S]*?\1/g, ' ').replace(/#[^\n]*/g, '');
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

function isConstant(value: StaticValue | undefined): boolean {
  return (value?.kind === 'string' && !value.configurable) || value?.kind === 'number';
}
