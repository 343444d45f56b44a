// Prevents Python workflows that are stuck or that break on replay: the SDK's sandbox rejects
// datetime.now(), time.time(), random, uuid4, I/O and threads in workflow code at run time (the
// workflow task fails and is retried forever); where the sandbox is off or bypassed, the call runs
// and returns something else on replay. The facts: test/model/python/python-sdk-determinism-facts.test.ts.

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
  description: 'Python workflow code calls datetime.now(), time.time(), random, uuid4, time.sleep, threads, subprocesses, file or network I/O, or reads os.environ',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const call of model.workflowCode.calls) {
      const workflows = call.workflows.join(', ');
      const via = call.via.length ? ` (reached through ${call.via.map((v) => `${relative(ctx.root, v.file)}:${v.line}`).join(' → ')})` : '';
      const what = `Workflow ${workflows} ${call.name === 'os.environ' ? 'reads' : 'calls'} ${call.text}${via}`;
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
        data: { call: call.name, kind: call.kind, sandbox: call.state, workflows: call.workflows },
      });
    }
  },
});

function consequence(call: NondeterministicCall): string {
  if (call.kind === 'sleep') return 'time.sleep blocks the workflow event loop instead of starting a durable timer, and it is not replayed as a timer.';
  if (['process', 'file', 'network'].includes(call.kind)) return 'the I/O runs again on every replay, outside any retry or timeout, and a decision taken on its result can differ and fail the replay with a non-determinism error.';
  return 'it returns a different value when the workflow is replayed on another worker, and a decision taken on it then fails the replay with a non-determinism error.';
}
