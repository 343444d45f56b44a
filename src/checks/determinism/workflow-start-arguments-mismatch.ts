// Prevents Python workflows that can never run: a start passes more positional arguments than the
// workflow's run method takes, or fewer than its required parameters. The SDK calls the run method
// with the decoded arguments; the TypeError that raises is not a FailureError, so it fails the
// workflow task and the server retries that task until the code changes (checked on a real worker,
// temporalio 1.35.0). One finding per start: each workflow it can reach that cannot take the
// arguments is a related location.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { StartArgumentMismatch, StartArgumentTarget } from '../../model/python/python-start-arguments.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-start-arguments-mismatch',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description:
    "A Python start passes more positional arguments than the workflow's run method takes, or fewer than it requires, so the workflow task fails on every attempt; or it expands a dict of workflow parameters into keyword arguments the start call does not take, so the call raises TypeError",
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const spread of model.startKeywordSpreads ?? []) {
      const known = spread.unknownKeys.length > 0;
      const keys = spread.unknownKeys.map((key) => `'${key}'`).join(', ');
      ctx.report({
        location: spread.location,
        // the keys of a parameter are not known: its name says it holds the workflow's arguments
        ...(known ? {} : { severity: 'warning' as const }),
        message:
          `${spread.callText}(...) expands **${spread.spread} into keyword arguments` +
          (known ? `, with key${spread.unknownKeys.length > 1 ? 's' : ''} ${keys} that the call does not take` : `: ${spread.spread} is a parameter of the function, passed as the workflow's arguments (the call passes no arg= or args=)`) +
          `. The SDK's ${spread.child ? 'child start' : 'start'} takes only its own options as keywords (no **kwargs), so ${known ? 'the call raises' : 'any key that is not one of those options makes the call raise'} TypeError ("unexpected keyword argument") and no run starts.`,
        fix: `Pass the workflow's parameters positionally, in the order its run method takes them: args=[...] when it takes several, or ${spread.callText}(workflow, ${spread.spread}, id=..., task_queue=...) when it takes the whole dict (or a dataclass) as its one argument.`,
        related: spread.parameter ? [{ ...spread.parameter, message: `${spread.spread} is a parameter here` }] : [],
        data: { spread: spread.spread, unknownKeys: spread.unknownKeys, child: spread.child },
      });
    }
    for (const mismatch of model.startArgumentMismatches ?? []) {
      const [first] = mismatch.targets;
      if (!first) continue;
      const targets = mismatch.targets.map((t) => describeTarget(mismatch, t)).join('; ');
      const kind = mismatch.child ? 'child workflow' : 'workflow';
      ctx.report({
        location: mismatch.location,
        message:
          `${mismatch.callText}(...) starts ${kind} ${mismatch.via ? `by a name read from ${mismatch.via.text}` : first.name} with ${mismatch.argumentsText}: ${targets}. ` +
          `The Python SDK calls the run method with the start's arguments, so it raises TypeError in workflow code; that is not a FailureError, ` +
          `so the workflow task fails and the server retries it until the code changes: the workflow stays Running and never runs a step.`,
        fix:
          `Pass exactly the arguments the run method takes (one dataclass argument is easiest to change later without breaking running starts), ` +
          `or give the extra parameters defaults in the run method.`,
        related: mismatch.targets.flatMap((t) => [
          { ...t.run, message: `${t.className}.run(${t.parameters}) takes ${takes(t)}` },
          ...(t.entry ? [{ ...t.entry, message: `${mismatch.via?.mapName ?? 'the map'}[${JSON.stringify(t.key)}] names ${t.name}` }] : []),
        ]),
        data: { given: mismatch.given, child: mismatch.child, workflows: mismatch.targets.map((t) => ({ name: t.name, min: t.min, max: t.max, key: t.key ?? null })) },
      });
    }
  },
});

function describeTarget(mismatch: StartArgumentMismatch, target: StartArgumentTarget): string {
  const head = target.key !== undefined ? `when the key is ${JSON.stringify(target.key)} it starts ${target.name}, whose ` : `${target.className}.`;
  const why = target.max !== null && mismatch.given > target.max ? `not ${mismatch.given}` : `not ${mismatch.given}: a required parameter gets no argument`;
  return `${head}run(${target.parameters}) takes ${takes(target)}, ${why}`;
}

function takes(target: StartArgumentTarget): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (target.max === null) return `at least ${plural(target.min)}`;
  if (target.min === target.max) return target.min === 0 ? 'no argument' : `exactly ${plural(target.min)}`;
  return `from ${target.min} to ${plural(target.max)}`;
}
