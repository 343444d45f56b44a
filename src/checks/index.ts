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
import workerCapacityBelowPeak from './capacity/worker-capacity-below-peak.js';
import workerConcurrencyImplicit from './capacity/worker-concurrency-implicit.js';
import workerConcurrencyUnbounded from './capacity/worker-concurrency-unbounded.js';
import workerIgnoredPollerOptions from './capacity/worker-ignored-poller-options.js';
import workerShutdownGraceMissing from './capacity/worker-shutdown-grace-missing.js';
import searchAttributeTextForIdentifier from './observability/search-attribute-text-for-identifier.js';
import workerMetricsNotExported from './observability/worker-metrics-not-exported.js';
import workflowFailureAlertMissing from './observability/workflow-failure-alert-missing.js';
import workflowRunbookMissing from './observability/workflow-runbook-missing.js';
import workflowStartWithoutSearchAttributes from './observability/workflow-start-without-search-attributes.js';

export const checks: readonly CheckDefinition[] = [
  workflowImportsNodeBuiltin,
  workflowImportsActivityImplementation,
  workflowUsesUnavailableGlobal,
  workflowUsesWeakref,
  workflowThrowsPlainError,
  workflowModuleMutableState,
  workflowNotRegistered,
  noReplayTest,
  workerConcurrencyImplicit,
  workerConcurrencyUnbounded,
  workerIgnoredPollerOptions,
  workerShutdownGraceMissing,
  workerCapacityBelowPeak,
  workerMetricsNotExported,
  workflowStartWithoutSearchAttributes,
  searchAttributeTextForIdentifier,
  workflowFailureAlertMissing,
  workflowRunbookMissing,
];
