// Prevents Python workflows that are stuck or that break on replay: the SDK's sandbox rejects
// datetime.now(), time.time(), random, uuid4, I/O and threads in workflow code at run time (the
// workflow task fails and is retried forever); where the sandbox is off or bypassed, the call runs
// and returns something else on replay. The facts: test/model/python/python-sdk-determinism-facts.test.ts.
//
// Requests on client objects (a pymongo collection, a SQLAlchemy session, a redis, httpx, boto3 or
// OpenAI client; python-blocking-calls.ts, clientIoCall) are network or database I/O in workflow
// code too, but the sandbox does not reliably stop them. Asked of temporalio 1.35.0 on a real
// worker (test/model/python/python-sdk-client-facts.test.ts): a sync pymongo query fails with
// RestrictedWorkflowAccessError (os.getpid), wherever the client was made; an httpx, requests,
// redis or boto3 client made outside the sandbox (a passed-through module) sends its request from
// workflow code; an async client's request (motor, redis.asyncio) fails on the workflow's event
// loop, which has no sockets (NotImplementedError), with the sandbox on or off.
//
// Commands scheduled in the order of a set of strings (python-set-order.ts) are the same defect
// without any call: str hashes are salted per process (PYTHONHASHSEED) and the sandbox does nothing
// about it, so another worker process iterates the set in another order and the replay fails or
// hands results to the wrong calls (test/model/python/python-sdk-set-order-facts.test.ts).

import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { NondeterministicCall, NondeterministicKind, SandboxState } from '../../model/python/python-workflow-code.js';
import { defineCheck } from '../define-check.js';

const REPLACEMENTS: Record<NondeterministicKind, string> = {
  clock: 'Use workflow.now() (the workflow task time, a UTC datetime, the same on replay) or workflow.time()',
  sleep: 'Use await asyncio.sleep(seconds) or await workflow.sleep(timedelta(...)): a durable timer',
  random: 'Use workflow.random() (a random.Random seeded per workflow, the same on replay), e.g. workflow.random().randint(1, 6)',
  uuid: 'Use workflow.uuid4() (derived from the workflow random, the same on replay)',
  thread: 'Run concurrent work as asyncio tasks in the workflow (asyncio.create_task, workflow.wait), or move it into an activity',
  process: 'Move it into an activity and call it with workflow.execute_activity',
  file: 'Move the file access into an activity and call it with workflow.execute_activity',
  network: 'Make the network call in an activity and call it with workflow.execute_activity',
  environment: 'Pass the value in the workflow input, or read it in an activity',
  client: 'Make the request in an activity and call it with workflow.execute_activity (with a start_to_close_timeout): on replay the workflow reads its result from the history instead of asking again',
};

const LET_THROUGH: Record<SandboxState, string> = {
  sandboxed: '',
  'sandbox-off': 'runs without the sandbox (sandboxed=False or UnsandboxedWorkflowRunner), so nothing stops it',
  'passed-through': 'is in code passed through the sandbox (workflow.unsafe.imports_passed_through or with_passthrough_modules), which the sandbox does not restrict',
  unrestricted: 'is inside workflow.unsafe.sandbox_unrestricted(), which lifts the restrictions',
  lifted: "is let through by the worker's own SandboxRestrictions, which remove this module's restriction",
  custom: "runs under a worker's own SandboxedWorkflowRunner(restrictions=...), which the reviewer cannot read; if they let it through",
};

export default defineCheck({
  id: 'workflow-nondeterministic-call',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Python workflow code calls datetime.now(), time.time(), random, uuid4, time.sleep, threads, subprocesses, file or network I/O (a database, HTTP or API client included), reads os.environ, or schedules activities in the order of a set of strings',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    // A call the sandbox lets through fails nothing where it is written: the same kind of call in the
    // same workflows, let through the same way, is one finding at the first call with the others
    // listed (one root cause: the workflow's module is not restricted, or its author lifted it).
    const letThrough = new Map<string, NondeterministicCall[]>();
    for (const call of model.workflowCode.calls) {
      if (call.client || call.state === 'sandboxed') continue;
      const key = `${call.workflows.join(',')}|${call.state}|${call.kind}`;
      letThrough.set(key, [...(letThrough.get(key) ?? []), call]);
    }
    const grouped = new Map<NondeterministicCall, NondeterministicCall[]>();
    const folded = new Set<NondeterministicCall>();
    for (const calls of letThrough.values()) {
      if (calls.length < 2) continue;
      grouped.set(calls[0]!, calls.slice(1));
      for (const other of calls.slice(1)) folded.add(other);
    }
    for (const call of model.workflowCode.calls) {
      if (folded.has(call)) continue;
      const others = grouped.get(call) ?? [];
      const workflows = call.workflows.join(', ');
      const via = call.via.length ? ` (reached through ${call.via.map((v) => `${relative(ctx.root, v.file)}:${v.line}`).join(' → ')})` : '';
      if (call.client) {
        ctx.report({
          location: call.location,
          // Inside sandbox_unrestricted() the author lifted the sandbox on purpose: still I/O on every replay.
          severity: call.state === 'unrestricted' ? 'warning' : 'error',
          message: `Workflow ${workflows} calls ${call.text}${via}: ${call.client.service} (${call.name}) made by workflow code. ${clientConsequence(call)}`,
          fix: `${REPLACEMENTS.client}.`,
          data: { call: call.name, kind: call.kind, sandbox: call.state, workflows: call.workflows, async: call.client.async },
        });
        continue;
      }
      const elsewhere = others.length
        ? `, and ${others.length === 1 ? 'a call of the same kind' : `${others.length} calls of the same kind`} at ${others.map((o) => `${relative(ctx.root, o.location.file)}:${o.location.line}`).join(', ')}`
        : '';
      const what = `Workflow ${workflows} ${call.name === 'os.environ' ? 'reads' : 'calls'} ${call.text}${via}${elsewhere}`;
      const sandboxed = call.state === 'sandboxed';
      ctx.report({
        location: call.location,
        // Lifted on purpose, or restrictions unknown: worth knowing, not a defect the reviewer can show.
        severity: sandboxed ? 'error' : call.state === 'lifted' || call.state === 'custom' ? 'info' : 'warning',
        message: sandboxed
          ? `${what}. The workflow sandbox rejects ${call.name} at run time with RestrictedWorkflowAccessError ("Cannot access ${call.name} ... from inside a workflow"): ` +
            (call.caught
              ? "an enclosing `except Exception` of the workflow catches that error (it is an Exception), so the workflow's failure path runs on every run and the work after this call never happens."
              : 'the workflow task fails and is retried forever, so the workflow is stuck while it looks alive.')
          : `${what}. It ${LET_THROUGH[call.state]}: ${consequence(call)}`,
        fix: `${REPLACEMENTS[call.kind]}.`,
        ...(others.length ? { related: others.map((o) => ({ ...o.location, message: `${o.text}: the same kind of call, let through the same way` })) } : {}),
        data: { call: call.name, kind: call.kind, sandbox: call.state, workflows: call.workflows, ...(others.length ? { calls: 1 + others.length } : {}) },
      });
    }
    for (const order of model.workflowCode.setOrders) {
      const at = (l: { file: string; line: number }) => `${relative(ctx.root, l.file)}:${l.line}`;
      const made = order.madeAt && order.madeAt.line !== order.location.line ? ` (made at ${at(order.madeAt)})` : '';
      const others = order.others.length ? `, and again at ${order.others.map(at).join(', ')}` : '';
      const loop = order.schedules.loop;
      const reaches =
        loop.file === order.location.file && loop.line === order.location.line
          ? `and schedules ${order.schedules.name} (at ${at(order.schedules.command)}) in that order`
          : `and the loop at ${at(loop)} schedules ${order.schedules.name} (at ${at(order.schedules.command)}) in that order`;
      const what = order.elements === 'str' ? 'a set of strings' : 'a set whose elements are not known to be ints';
      ctx.report({
        location: order.location,
        severity: 'error',
        message:
          `Workflow ${order.workflows.join(', ')} takes the order of \`${order.set}\`, ${what}${made}, in ${order.how}${others}, ${reaches}. ` +
          'A set iterates in the order of its elements\' hashes, and Python salts the hash of a str (and of what hashes like one: an Enum member, a tuple of strings) per process (PYTHONHASHSEED); the workflow sandbox does nothing about it. ' +
          'Another worker process, or this one after a restart, iterates the set in another order, and a replay matches the commands to the history by position: it fails with a non-determinism error where the activity types differ, and hands each call the result recorded for another element where they do not.',
        fix: `Iterate sorted(${order.set}) instead, or keep the elements in a list or a dict (both keep insertion order).`,
        ...(order.others.length ? { related: order.others.map((o) => ({ ...o, message: `the order of ${order.set} is taken here too` })) } : {}),
        data: { kind: 'set-order', set: order.set, elements: order.elements, workflows: order.workflows },
      });
    }
  },
});

function clientConsequence(call: NondeterministicCall): string {
  const replay = 'the request runs again on every replay of the workflow\'s history and can get another answer, and a decision taken on it then fails the replay with a non-determinism error; it also blocks the workflow task while it waits, outside any retry or timeout.';
  const failing = call.caught
    ? "an enclosing `except Exception` of the workflow catches that error (it is an Exception), so the workflow's failure path runs on every run and the work after this call never happens"
    : 'the workflow task fails and is retried forever, so the workflow is stuck while it looks alive';
  if (call.state === 'sandboxed' && call.client?.rejected) {
    return `In the sandbox it raises RestrictedWorkflowAccessError wherever the client was made (${call.client.rejected}): ${failing}. Without the sandbox, ${replay}`;
  }
  if (call.client?.async) {
    return "The workflow's event loop is Temporal's deterministic loop and does no network I/O: the awaited request fails on every run (NotImplementedError from the loop, or RestrictedWorkflowAccessError in the sandbox), so the work after it never happens.";
  }
  if (call.state === 'sandboxed') {
    return `Where it runs, ${replay} The sandbox does not make it safe: depending on the library and on where the client was made, the call either raises RestrictedWorkflowAccessError (the library touches os, threading or socket APIs the sandbox restricts), and then ${failing}, or the request runs.`;
  }
  return `It ${LET_THROUGH[call.state]}: ${replay}`;
}

function consequence(call: NondeterministicCall): string {
  if (call.kind === 'sleep') return 'time.sleep blocks the workflow event loop instead of starting a durable timer, and it is not replayed as a timer.';
  if (['process', 'file', 'network'].includes(call.kind)) return 'the I/O runs again on every replay, outside any retry or timeout, and a decision taken on its result can differ and fail the replay with a non-determinism error.';
  return (
    'it returns a different value when the workflow is replayed on another worker: a decision taken on it (a branch, a timer length, which activity runs) ' +
    'then fails the replay with a non-determinism error, and a value only recorded (a timestamp in the state or the result) differs between the run and its replays.'
  );
}
