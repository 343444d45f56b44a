// Makes visible what a Python workflow without the sandbox gives up: with `sandboxed=False` or a
// worker's UnsandboxedWorkflowRunner, nothing rejects datetime.now(), random or I/O in workflow
// code, so a non-deterministic call no longer fails its workflow task but breaks replays later. A
// SandboxedWorkflowRunner whose restrictions pass every module through does the same for the
// modules' functions (the workflow's module is the host's, with the host's datetime and random).

import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-sandbox-disabled',
  area: 'determinism',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'A Python workflow runs without the SDK sandbox: @workflow.defn(sandboxed=False), Worker(workflow_runner=UnsandboxedWorkflowRunner()), or a SandboxedWorkflowRunner whose restrictions pass every module through',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const off of model.workflowCode.sandboxOff) {
      const whose = off.workflows.length ? `Workflow ${off.workflows.join(', ')} runs` : 'The workflows of this worker run';
      if (off.how === 'passthrough_all_modules') {
        ctx.report({
          location: off.location,
          message:
            `${whose} in a sandbox that passes every module through (SandboxRestrictions.with_passthrough_all_modules()): the sandbox re-imports no module, ` +
            "the workflow's own module included, so workflow code calls the real datetime, time, random and uuid modules and nothing rejects datetime.now(), " +
            'time.time(), random or uuid4() there (temporalio 1.35.0; only builtins such as open() stay restricted). Such a call no longer fails the workflow task where it is written, ' +
            'it returns something else on replay and fails the replay later with a non-determinism error. Module state is also shared between workflow runs instead of re-imported per run.',
          fix:
            'Keep the default restrictions and pass through only the modules that need it (SandboxRestrictions.default.with_passthrough_modules("pydantic", ...) ' +
            'or with workflow.unsafe.imports_passed_through(): import ...), or keep it deliberately and replay recorded histories in CI (Replayer.replay_workflows).',
          data: { how: off.how, workflows: off.workflows },
        });
        continue;
      }
      ctx.report({
        location: off.location,
        message:
          `${whose} without the workflow sandbox (${off.how}). Nothing then rejects datetime.now(), time.time(), random, uuid4, ` +
          'os.environ or I/O in workflow code: such a call no longer fails the workflow task where it is written, it returns something else on replay ' +
          'and fails the replay later with a non-determinism error. Module state is also shared between workflow runs instead of re-imported per run.',
        fix:
          'Keep the sandbox and pass through only the imports that need it (with workflow.unsafe.imports_passed_through(): import ...), ' +
          'or keep it off deliberately and replay recorded histories in CI (Replayer.replay_workflows) so a non-deterministic change is caught before deploy.',
        data: { how: off.how, workflows: off.workflows },
      });
    }
  },
});
