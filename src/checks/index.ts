// The check registry: a plain array, one import per check file. A test keeps it in step with
// the files under src/checks/<area>/.

import type { CheckDefinition } from './define-check.js';
import noReplayTest from './determinism/no-replay-test.js';
import workflowImportsActivityImplementation from './determinism/workflow-imports-activity-implementation.js';
import workflowImportsNodeBuiltin from './determinism/workflow-imports-node-builtin.js';
import workflowModuleMutableState from './determinism/workflow-module-mutable-state.js';
import workflowNotRegistered from './determinism/workflow-not-registered.js';
import workflowThrowsPlainError from './determinism/workflow-throws-plain-error.js';
import workflowUsesUnavailableGlobal from './determinism/workflow-uses-unavailable-global.js';
import workflowUsesWeakref from './determinism/workflow-uses-weakref.js';

export const checks: readonly CheckDefinition[] = [
  workflowImportsNodeBuiltin,
  workflowImportsActivityImplementation,
  workflowUsesUnavailableGlobal,
  workflowUsesWeakref,
  workflowThrowsPlainError,
  workflowModuleMutableState,
  workflowNotRegistered,
  noReplayTest,
];
