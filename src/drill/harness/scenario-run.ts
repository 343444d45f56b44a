// Starts a scenario's workflows on a real server and follows them to the end through their
// histories (the drill's evidence is what the server recorded, not what the worker says).

import type { Client } from '@temporalio/client';
import type { ScenarioStart } from '../scenario.js';
import { historyFacts, type WorkflowFacts } from './history-facts.js';

export interface StartedWorkflow {
  key: string;
  workflowType: string;
  workflowId: string;
  runId: string;
}

export interface StartOptions {
  taskQueue: string;
  /** Workflow ids are `<idPrefix>-<start key>`. */
  idPrefix: string;
  /** Starts per second, overriding the scenario's own offsets. */
  ratePerSecond?: number;
}

export async function startScenario(client: Client, starts: ScenarioStart[], options: StartOptions): Promise<StartedWorkflow[]> {
  const begin = Date.now();
  const started: StartedWorkflow[] = [];
  const pending: Promise<void>[] = [];
  for (const [i, start] of starts.entries()) {
    await sleepUntil(begin + (options.ratePerSecond ? (i * 1000) / options.ratePerSecond : start.offsetMs));
    const workflowId = `${options.idPrefix}-${start.key}`;
    const launch = client.workflow
      .start(start.workflowType, { taskQueue: start.taskQueue ?? options.taskQueue, workflowId, args: start.args })
      .then((handle) => {
        started.push({ key: start.key, workflowType: start.workflowType, workflowId, runId: handle.firstExecutionRunId });
      });
    pending.push(launch);
    // keep a bounded number of start calls in flight
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return started.sort((a, b) => a.key.localeCompare(b.key, 'en'));
}

export async function fetchFacts(client: Client, workflows: StartedWorkflow[], concurrency = 8): Promise<Map<string, WorkflowFacts>> {
  const facts = new Map<string, WorkflowFacts>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, workflows.length) }, async () => {
      while (next < workflows.length) {
        const workflow = workflows[next++]!;
        const history = await client.workflow.getHandle(workflow.workflowId, workflow.runId).fetchHistory();
        facts.set(workflow.key, historyFacts(workflow.workflowId, history.events ?? []));
      }
    }),
  );
  return facts;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Give up early on workflows stuck on nondeterminism: no new event for this long. */
  stuckMs?: number;
  pollMs?: number;
  /** Called after each poll with the facts of the workflows still open. */
  onPoll?(open: number): void;
}

/** Polls until every workflow closed, the open ones are stuck on nondeterminism, or the timeout. */
export async function waitForClosure(client: Client, workflows: StartedWorkflow[], options: WaitOptions): Promise<Map<string, WorkflowFacts>> {
  const deadline = Date.now() + options.timeoutMs;
  const lastProgress = new Map<string, { eventId: number; at: number }>();
  let facts = new Map<string, WorkflowFacts>();
  let open = workflows;
  for (;;) {
    const polled = await fetchFacts(client, open);
    facts = new Map([...facts, ...polled]);
    open = open.filter((workflow) => facts.get(workflow.key)!.outcome === 'running');
    options.onPoll?.(open.length);
    if (open.length === 0 || Date.now() > deadline) return facts;
    const now = Date.now();
    for (const workflow of open) {
      const current = facts.get(workflow.key)!;
      const seen = lastProgress.get(workflow.key);
      if (!seen || seen.eventId !== current.lastEventId) lastProgress.set(workflow.key, { eventId: current.lastEventId, at: now });
    }
    const stuck = open.every((workflow) => {
      const current = facts.get(workflow.key)!;
      return current.nondeterminism.length > 0 && now - lastProgress.get(workflow.key)!.at >= (options.stuckMs ?? 5_000);
    });
    if (stuck) return facts;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

/**
 * Waits until no workflow with the id prefix is running, asking visibility for a count (one call
 * a poll, where polling every history would load the machine the drill is measuring).
 */
export async function waitForRunningCount(client: Client, idPrefix: string, options: { timeoutMs: number; pollMs?: number; onPoll?(open: number): void }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const query = `WorkflowId STARTS_WITH "${idPrefix}" AND ExecutionStatus = "Running"`;
  for (;;) {
    const { count } = await client.workflow.count(query);
    options.onPoll?.(count);
    if (count === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}

function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
