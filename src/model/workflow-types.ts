// The workflow types a team operates: what alerts, runbooks and dashboards are about.

import type { WorkflowFacts } from './types.js';

/** The model's workflows without the helper exports of workflow modules (see helper-exports.ts). */
export function operatedWorkflowTypes<T extends WorkflowFacts>(workflows: readonly T[]): T[] {
  return workflows.filter((workflow) => !workflow.helperExport);
}
