// Every place where the application hands data to Temporal as a payload, with its type: activity
// parameters and results (of the activity types some workflow schedules through a proxy),
// workflow parameters and results, signal and update arguments and update results. Query results
// are left out: they are not recorded in history.

import ts from 'typescript';
import { scheduledActivities } from '../activity-options/activity-uses.js';
import { locate } from '../locate.js';
import type { PayloadSiteFacts } from '../../types.js';
import type { SourceLocation, TemporalModel } from '../types.js';

export type PayloadSignatureKind = 'activity' | 'workflow' | 'signal' | 'update';

export interface PayloadSignature {
  kind: PayloadSignatureKind;
  /** Activity or workflow type, or the signal / update name. */
  name: string;
  direction: 'input' | 'result';
  /** Parameter name for inputs (`args[0]` when unnamed), `result` for results. */
  valueName: string;
  type: ts.Type;
  checker: ts.TypeChecker;
  /** The parameter, the function name, or the defineSignal/defineUpdate call. */
  location: SourceLocation;
  /** The type as written (parameter or return annotation), when there is one. */
  typeNode?: ts.TypeNode;
}

export function payloadSignatures(model: TemporalModel): PayloadSignature[] {
  const signatures: PayloadSignature[] = [];
  // Only what a workflow schedules crosses Temporal; other exports of an activity module are plain functions.
  const scheduled = scheduledActivities(model);
  for (const activity of model.activities) {
    if (!scheduled.has(activity)) continue;
    const checker = model.checkerFor(activity.file);
    if (checker) signatures.push(...functionSignatures('activity', activity.name, activity.node, activity.location, checker));
  }
  for (const workflow of model.workflows) {
    const checker = model.checkerFor(workflow.file);
    if (checker) signatures.push(...functionSignatures('workflow', workflow.name, workflow.node, workflow.location, checker));
  }
  const seenHandlers = new Set<string>();
  for (const workflow of model.workflows) {
    const checker = model.checkerFor(workflow.file);
    if (!checker) continue;
    for (const handler of workflow.handlers) {
      if (handler.kind === 'query') continue;
      const location = handler.definitionLocation ?? handler.location;
      const key = `${location.file}:${location.line}:${location.column}`;
      if (seenHandlers.has(key)) continue;
      seenHandlers.add(key);
      const name = handler.name ?? '(unnamed)';
      handler.argTypes.forEach((type, i) => signatures.push({ kind: handler.kind as 'signal' | 'update', name, direction: 'input', valueName: `args[${i}]`, type, checker, location }));
      if (handler.kind === 'update' && handler.resultType) {
        signatures.push({ kind: 'update', name, direction: 'result', valueName: 'result', type: handler.resultType, checker, location });
      }
    }
  }
  return signatures;
}

function functionSignatures(kind: 'activity' | 'workflow', name: string, fn: ts.FunctionLikeDeclaration, nameLocation: SourceLocation, checker: ts.TypeChecker): PayloadSignature[] {
  const out: PayloadSignature[] = [];
  fn.parameters.forEach((parameter, i) => {
    const valueName = ts.isIdentifier(parameter.name) ? parameter.name.text : `args[${i}]`;
    out.push({ kind, name, direction: 'input', valueName, type: checker.getTypeAtLocation(parameter), checker, location: locate(parameter), ...(parameter.type ? { typeNode: parameter.type } : {}) });
  });
  const signature = checker.getSignatureFromDeclaration(fn);
  if (signature) {
    out.push({ kind, name, direction: 'result', valueName: 'result', type: checker.getReturnTypeOfSignature(signature), checker, location: fn.type ? locate(fn.type) : nameLocation, ...(fn.type ? { typeNode: fn.type } : {}) });
  }
  return out;
}

/** How a finding names a payload: `Activity chargeCard takes`, `Workflow onboarding returns`. */
export function payloadSubject(site: Pick<PayloadSiteFacts, 'kind' | 'name' | 'direction'>): string {
  const what = site.kind === 'activity' ? 'Activity' : site.kind === 'workflow' ? 'Workflow' : site.kind === 'signal' ? 'Signal' : 'Update';
  return `${what} ${site.name} ${site.direction === 'result' ? 'returns' : 'takes'}`;
}
