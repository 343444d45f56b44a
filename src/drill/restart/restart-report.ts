// The restart drill's verdict, per workflow and overall. Results are compared by digest, so the
// report never carries payload contents.

import type { WorkflowFacts, WorkflowOutcome } from '../harness/history-facts.js';

export interface RestartEvent {
  /** Milliseconds after the drill run started its workflows. */
  atMs: number;
  /** Workflows still open when the worker was killed. */
  openWorkflows: number;
  /** How long the replacement worker took to poll again. */
  restartMs: number;
}

export interface RestartWorkflowResult {
  key: string;
  workflowType: string;
  workflowId: string;
  outcome: WorkflowOutcome;
  durationMs: number | null;
  baselineDurationMs: number | null;
  nondeterminism: { eventId: number; message: string }[];
  /** `equal` / `differs` against the run without restarts; `no-baseline` when it has none; `open` when it never closed. */
  result: 'equal' | 'differs' | 'no-baseline' | 'open';
  resultDigest: string | null;
}

export interface RestartDrillReport {
  drill: 'restart';
  seed: number;
  taskQueue: string;
  restarts: RestartEvent[];
  plannedRestarts: number;
  baseline: { source: 'run' | 'file'; durationMs: number | null };
  summary: {
    workflows: number;
    completed: number;
    failed: number;
    open: number;
    nondeterminism: number;
    resultsDiffer: number;
  };
  workflows: RestartWorkflowResult[];
  /** One line per problem; empty when the drill passed. */
  problems: string[];
  verdict: 'pass' | 'fail';
}

/** What a baseline contributes: per start key, how it ended, its result digest and duration. */
export interface BaselineRecord {
  key: string;
  outcome: WorkflowOutcome;
  resultDigest: string | null;
  durationMs: number | null;
}

export function baselineFromFacts(facts: Map<string, WorkflowFacts>): BaselineRecord[] {
  return [...facts.entries()].map(([key, f]) => ({ key, outcome: f.outcome, resultDigest: f.resultDigest ?? null, durationMs: durationOf(f) }));
}

/** A previous `drill restart --format json` report used as the baseline. */
export function baselineFromReport(report: RestartDrillReport): BaselineRecord[] {
  return report.workflows.map((w) => ({ key: w.key, outcome: w.outcome, resultDigest: w.resultDigest, durationMs: w.durationMs }));
}

export function durationOf(facts: WorkflowFacts): number | null {
  return facts.closedAtMs !== undefined ? facts.closedAtMs - facts.startedAtMs : null;
}

export function judgeRestartDrill(
  drill: Map<string, WorkflowFacts>,
  baseline: BaselineRecord[] | undefined,
  keys: { key: string; workflowType: string; workflowId: string }[],
): Pick<RestartDrillReport, 'summary' | 'workflows' | 'problems'> {
  const byKey = new Map((baseline ?? []).map((record) => [record.key, record]));
  const problems: string[] = [];
  const workflows: RestartWorkflowResult[] = keys.map(({ key, workflowType, workflowId }) => {
    const facts = drill.get(key);
    const expected = byKey.get(key);
    const outcome = facts?.outcome ?? 'running';
    const digest = facts?.resultDigest ?? null;
    const result = outcome === 'running' ? 'open' : !expected ? 'no-baseline' : expected.outcome === outcome && expected.resultDigest === digest ? 'equal' : 'differs';
    const nondeterminism = facts?.nondeterminism ?? [];
    const label = `${workflowId} (${workflowType})`;
    const stuck = outcome === 'running' ? ' (still open: stuck)' : '';
    for (const event of nondeterminism) problems.push(`${label}: workflow task failed on nondeterminism at event ${event.eventId}${stuck}: ${event.message}`);
    if (outcome === 'running') {
      if (!nondeterminism.length) problems.push(`${label}: still open when the drill ended`);
    } else if (outcome !== 'completed') {
      const also = expected?.outcome === outcome ? ', as in the run without restarts' : expected ? `, ${expected.outcome} without restarts` : '';
      problems.push(`${label}: ${outcome}${also}`);
    } else if (result === 'differs') {
      problems.push(expected!.outcome !== outcome ? `${label}: completed with restarts, ${expected!.outcome} without` : `${label}: the result differs from the run without restarts`);
    }
    return {
      key,
      workflowType,
      workflowId,
      outcome,
      durationMs: facts ? durationOf(facts) : null,
      baselineDurationMs: expected?.durationMs ?? null,
      nondeterminism,
      result,
      resultDigest: digest,
    };
  });
  const count = (predicate: (w: RestartWorkflowResult) => boolean) => workflows.filter(predicate).length;
  return {
    workflows,
    problems,
    summary: {
      workflows: workflows.length,
      completed: count((w) => w.outcome === 'completed'),
      failed: count((w) => w.outcome !== 'completed' && w.outcome !== 'running'),
      open: count((w) => w.outcome === 'running'),
      nondeterminism: count((w) => w.nondeterminism.length > 0),
      resultsDiffer: count((w) => w.result === 'differs'),
    },
  };
}
