// The check registry: a plain array, one import per check file. A test keeps it in step with
// the files under src/checks/<area>/.

import type { CheckDefinition } from './define-check.js';
import clientConnectionPerCall from './capacity/client-connection-per-call.js';
import connectionWithoutTlsOption from './capacity/connection-without-tls-option.js';
import clientNamespaceMismatch from './capacity/client-namespace-mismatch.js';
import workerConnectionHardCoded from './capacity/worker-connection-hard-coded.js';
import historyScheduleToStartHigh from './capacity/history-schedule-to-start-high.js';
import noReplayTest from './determinism/no-replay-test.js';
import patchedWorkflowNotReplayed from './determinism/patched-workflow-not-replayed.js';
import workflowImportsActivityImplementation from './determinism/workflow-imports-activity-implementation.js';
import workflowImportsNodeBuiltin from './determinism/workflow-imports-node-builtin.js';
import workflowModuleMutableState from './determinism/workflow-module-mutable-state.js';
import workflowNotRegistered from './determinism/workflow-not-registered.js';
import workflowSignalUnhandled from './determinism/workflow-signal-unhandled.js';
import workflowHandlersUnfinished from './determinism/workflow-handlers-unfinished.js';
import workflowSignalStateReadTooEarly from './determinism/workflow-signal-state-read-too-early.js';
import activityMethodsNotRegistered from './determinism/activity-methods-not-registered.js';
import activityNotRegistered from './determinism/activity-not-registered.js';
import activityTypeCollision from './determinism/activity-type-collision.js';
import workerActivityOverwritten from './determinism/worker-activity-overwritten.js';
import workflowThrowsPlainError from './determinism/workflow-throws-plain-error.js';
import workflowConversionFailsTask from './determinism/workflow-conversion-fails-task.js';
import workflowResultTypeMissing from './determinism/workflow-result-type-missing.js';
import workflowStartArgumentsMismatch from './determinism/workflow-start-arguments-mismatch.js';
import temporalSdkNameMissing from './determinism/temporal-sdk-name-missing.js';
import activityNameUndefined from './retries/activity-name-undefined.js';
import activityAwaitsSyncCall from './retries/activity-awaits-sync-call.js';
import activityArgumentsMismatch from './retries/activity-arguments-mismatch.js';
import projectImportNameMissing from './determinism/project-import-name-missing.js';
import workflowLogNotReplayAware from './observability/workflow-log-not-replay-aware.js';
import workflowCleanupInCancelledScope from './determinism/workflow-cleanup-in-cancelled-scope.js';
import workflowTerminatedNotCancelled from './determinism/workflow-terminated-not-cancelled.js';
import workflowUsesUnavailableGlobal from './determinism/workflow-uses-unavailable-global.js';
import workflowUsesWeakref from './determinism/workflow-uses-weakref.js';
import workflowDateFromPayload from './determinism/workflow-date-from-payload.js';
import workflowPromiseDropped from './determinism/workflow-promise-dropped.js';
import workflowNondeterministicCall from './determinism/workflow-nondeterministic-call.js';
import workflowSandboxDisabled from './determinism/workflow-sandbox-disabled.js';
import workerCapacityBelowPeak from './capacity/worker-capacity-below-peak.js';
import workerConcurrencyImplicit from './capacity/worker-concurrency-implicit.js';
import workerConcurrencyUnbounded from './capacity/worker-concurrency-unbounded.js';
import workerIgnoredPollerOptions from './capacity/worker-ignored-poller-options.js';
import workerShutdownGraceMissing from './capacity/worker-shutdown-grace-missing.js';
import workerBundlesAtStartup from './capacity/worker-bundles-at-startup.js';
import workerModuleMissing from './capacity/worker-module-missing.js';
import workerTaskQueueVersioned from './capacity/worker-task-queue-versioned.js';
import workerHeartbeatThrottleLow from './capacity/worker-heartbeat-throttle-low.js';
import workerWorkflowCacheDisabled from './capacity/worker-workflow-cache-disabled.js';
import workerShutdownNotDrained from './capacity/worker-shutdown-not-drained.js';
import workerRunFailureSwallowed from './capacity/worker-run-failure-swallowed.js';
import clientConnectFailureSwallowed from './capacity/client-connect-failure-swallowed.js';
import workflowCatchTestsApplicationFailure from './retries/workflow-catch-tests-application-failure.js';
import workflowStartedByProcessTimer from './capacity/workflow-started-by-process-timer.js';
import workflowChildLimitIneffective from './capacity/workflow-child-limit-ineffective.js';
import workerActivitySlotsShared from './capacity/worker-activity-slots-shared.js';
import workerBuildIdVersioningDeprecated from './capacity/worker-build-id-versioning-deprecated.js';
import workerSyncActivityWithoutExecutor from './capacity/worker-sync-activity-without-executor.js';
import activityBlocksEventLoop from './capacity/activity-blocks-event-loop.js';
import searchAttributeTextForIdentifier from './observability/search-attribute-text-for-identifier.js';
import workerProbeChecksNothing from './observability/worker-probe-checks-nothing.js';
import workerMetricsNotExported from './observability/worker-metrics-not-exported.js';
import workflowFailureAlertMissing from './observability/workflow-failure-alert-missing.js';
import workflowRunbookMissing from './observability/workflow-runbook-missing.js';
import workflowFailureSwallowed from './observability/workflow-failure-swallowed.js';
import workflowStartWithoutSearchAttributes from './observability/workflow-start-without-search-attributes.js';
import workflowHandleIdRegenerated from './observability/workflow-handle-id-regenerated.js';
import workflowStartFailureSwallowed from './observability/workflow-start-failure-swallowed.js';
import workflowSignalFailureSwallowed from './observability/workflow-signal-failure-swallowed.js';
import workflowStatusPollIncomplete from './observability/workflow-status-poll-incomplete.js';
import workflowStartIdRandom from './retries/workflow-start-id-random.js';
import workflowIdCollision from './retries/workflow-id-collision.js';
import workflowStartConflictUnhandled from './retries/workflow-start-conflict-unhandled.js';
import workflowStartBeforeCommit from './retries/workflow-start-before-commit.js';
import scheduleCreateIgnoresExisting from './timeouts/schedule-create-ignores-existing.js';
import scheduleRecreatedAtStartup from './timeouts/schedule-recreated-at-startup.js';
import workflowStartTaskQueueUnpolled from './capacity/workflow-start-task-queue-unpolled.js';
import activityRetryPolicyMissing from './retries/activity-retry-policy-missing.js';
import activityRetryAttemptsUnbounded from './retries/activity-retry-attempts-unbounded.js';
import activityRetryBackoffDefault from './retries/activity-retry-backoff-default.js';
import activityRetryMaxIntervalUnset from './retries/activity-retry-max-interval-unset.js';
import activityNonRetryableErrorsUncovered from './retries/activity-non-retryable-errors-uncovered.js';
import activityPermanentErrorRetried from './retries/activity-permanent-error-retried.js';
import activityCatchAllNonRetryable from './retries/activity-catch-all-non-retryable.js';
import activityFailureReturned from './retries/activity-failure-returned.js';
import activityFailureResultIgnored from './retries/activity-failure-result-ignored.js';
import activityFailureSwallowed from './retries/activity-failure-swallowed.js';
import activityRetryRepeatsSideEffect from './retries/activity-retry-repeats-side-effect.js';
import activityNonRetryableTypeUnknown from './retries/activity-non-retryable-type-unknown.js';
import activityRetryPolicyInvalid from './retries/activity-retry-policy-invalid.js';
import activityOptionsUnknownField from './retries/activity-options-unknown-field.js';
import activityRetryDisabled from './retries/activity-retry-disabled.js';
import activityRetryWindowShort from './retries/activity-retry-window-short.js';
import activityErrorClassifierRetriesAll from './retries/activity-error-classifier-retries-all.js';
import activityUnknownErrorNonRetryable from './retries/activity-unknown-error-non-retryable.js';
import workflowRetryMultipliesActivityRetries from './retries/workflow-retry-multiplies-activity-retries.js';
import workflowStartTerminatesChain from './retries/workflow-start-terminates-chain.js';
import activityRetriesInLoop from './retries/activity-retries-in-loop.js';
import activityRetriesStacked from './retries/activity-retries-stacked.js';
import workflowWaitWithoutTimeout from './timeouts/workflow-wait-without-timeout.js';
import workflowConditionTimeoutIgnored from './timeouts/workflow-condition-timeout-ignored.js';
import workflowChildTerminatedOnClose from './timeouts/workflow-child-terminated-on-close.js';
import activityStartToCloseMissing from './timeouts/activity-start-to-close-missing.js';
import activityScheduleToStartMissing from './timeouts/activity-schedule-to-start-missing.js';
import activityScheduleToCloseMissing from './timeouts/activity-schedule-to-close-missing.js';
import activityHeartbeatTimeoutMissing from './timeouts/activity-heartbeat-timeout-missing.js';
import activityHeartbeatTimeoutWithoutHeartbeat from './timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import activityHeartbeatFromTimer from './timeouts/activity-heartbeat-from-timer.js';
import activityCancellationIgnored from './timeouts/activity-cancellation-ignored.js';
import workflowCancellationSwallowed from './timeouts/workflow-cancellation-swallowed.js';
import activityHeartbeatTimeoutLong from './timeouts/activity-heartbeat-timeout-long.js';
import activityChildProcessUnstoppable from './timeouts/activity-child-process-unstoppable.js';
import activityCallWithoutTimeout from './timeouts/activity-call-without-timeout.js';
import activityStateInWorkerMemory from './capacity/activity-state-in-worker-memory.js';
import activityLocalFileHandoff from './capacity/activity-local-file-handoff.js';
import temporalSdkNotDeclared from './capacity/temporal-sdk-not-declared.js';
import workerNotDeployed from './capacity/worker-not-deployed.js';
import activityLongLoopWithoutHeartbeat from './timeouts/activity-long-loop-without-heartbeat.js';
import activityTimeoutsInconsistent from './timeouts/activity-timeouts-inconsistent.js';
import activityTimeoutBelowCallTimeout from './timeouts/activity-timeout-below-call-timeout.js';
import perRunWorkflowWithoutTimeout from './timeouts/per-run-workflow-without-timeout.js';
import workflowResultAwaitedInRequest from './timeouts/workflow-result-awaited-in-request.js';
import cronExecutionTimeoutEndsSchedule from './timeouts/cron-execution-timeout-ends-schedule.js';
import scheduleRunUnbounded from './timeouts/schedule-run-unbounded.js';
import workflowExecutionTimeoutBelowWaits from './timeouts/workflow-execution-timeout-below-waits.js';
import activityTimeoutInvalid from './timeouts/activity-timeout-invalid.js';
import replayNondeterminism from './determinism/replay-nondeterminism.js';
import replayFailed from './determinism/replay-failed.js';
import historyEventCountHigh from './payloads/history-event-count-high.js';
import historyPayloadOverLimit from './payloads/history-payload-over-limit.js';
import historySizeOverBudget from './payloads/history-size-over-budget.js';
import payloadCarriesCollection from './payloads/payload-carries-collection.js';
import payloadCarriesSecret from './payloads/payload-carries-secret.js';
import payloadCarriesDocument from './payloads/payload-carries-document.js';
import payloadConverterRawEncoding from './payloads/payload-converter-raw-encoding.js';
import payloadTypeNotSerializable from './payloads/payload-type-not-serializable.js';
import payloadCarriesLogOutput from './payloads/payload-carries-log-output.js';
import workflowUnboundedHistory from './payloads/workflow-unbounded-history.js';
import workflowLoopSkipsWait from './payloads/workflow-loop-skips-wait.js';
import workflowChildPerLoopRound from './payloads/workflow-child-per-loop-round.js';
import continueAsNewCaught from './payloads/continue-as-new-caught.js';
import continueAsNewCountsSuccesses from './payloads/continue-as-new-counts-successes.js';
import continueAsNewExactLength from './payloads/continue-as-new-exact-length.js';
import continueAsNewDropsState from './payloads/continue-as-new-drops-state.js';
import signalHandlerPerCall from './payloads/signal-handler-per-call.js';

export const checks: readonly CheckDefinition[] = [
  payloadCarriesCollection,
  payloadCarriesDocument,
  payloadCarriesSecret,
  payloadConverterRawEncoding,
  payloadTypeNotSerializable,
  payloadCarriesLogOutput,
  workflowUnboundedHistory,
  workflowLoopSkipsWait,
  workflowChildPerLoopRound,
  continueAsNewCaught,
  continueAsNewCountsSuccesses,
  continueAsNewExactLength,
  continueAsNewDropsState,
  signalHandlerPerCall,
  workflowImportsNodeBuiltin,
  workflowImportsActivityImplementation,
  workflowUsesUnavailableGlobal,
  workflowUsesWeakref,
  workflowDateFromPayload,
  workflowPromiseDropped,
  workflowNondeterministicCall,
  workflowSandboxDisabled,
  workflowThrowsPlainError,
  workflowConversionFailsTask,
  workflowResultTypeMissing,
  workflowStartArgumentsMismatch,
  temporalSdkNameMissing,
  activityNameUndefined,
  activityAwaitsSyncCall,
  activityArgumentsMismatch,
  projectImportNameMissing,
  workflowLogNotReplayAware,
  workflowCleanupInCancelledScope,
  workflowTerminatedNotCancelled,
  workflowModuleMutableState,
  workflowNotRegistered,
  workflowSignalUnhandled,
  workflowHandlersUnfinished,
  workflowSignalStateReadTooEarly,
  activityMethodsNotRegistered,
  activityNotRegistered,
  activityTypeCollision,
  workerActivityOverwritten,
  noReplayTest,
  patchedWorkflowNotReplayed,
  replayNondeterminism,
  replayFailed,
  workerConcurrencyImplicit,
  workerConcurrencyUnbounded,
  workerIgnoredPollerOptions,
  workerShutdownGraceMissing,
  workerBundlesAtStartup,
  workerModuleMissing,
  workerSyncActivityWithoutExecutor,
  activityBlocksEventLoop,
  workerTaskQueueVersioned,
  workflowStartTaskQueueUnpolled,
  workerHeartbeatThrottleLow,
  workerWorkflowCacheDisabled,
  workerShutdownNotDrained,
  workerRunFailureSwallowed,
  clientConnectFailureSwallowed,
  workflowCatchTestsApplicationFailure,
  workflowStartedByProcessTimer,
  workflowChildLimitIneffective,
  workerActivitySlotsShared,
  workerBuildIdVersioningDeprecated,
  workerCapacityBelowPeak,
  clientConnectionPerCall,
  connectionWithoutTlsOption,
  clientNamespaceMismatch,
  workerConnectionHardCoded,
  workerMetricsNotExported,
  workerProbeChecksNothing,
  workflowStartWithoutSearchAttributes,
  workflowHandleIdRegenerated,
  workflowStartFailureSwallowed,
  workflowSignalFailureSwallowed,
  workflowStatusPollIncomplete,
  searchAttributeTextForIdentifier,
  workflowFailureAlertMissing,
  workflowRunbookMissing,
  workflowFailureSwallowed,
  activityRetryPolicyMissing,
  activityCatchAllNonRetryable,
  activityFailureReturned,
  activityFailureResultIgnored,
  activityFailureSwallowed,
  activityRetryRepeatsSideEffect,
  activityRetryAttemptsUnbounded,
  activityRetryBackoffDefault,
  activityRetryMaxIntervalUnset,
  activityNonRetryableErrorsUncovered,
  activityPermanentErrorRetried,
  activityNonRetryableTypeUnknown,
  activityRetryPolicyInvalid,
  activityOptionsUnknownField,
  activityRetryDisabled,
  activityRetryWindowShort,
  activityErrorClassifierRetriesAll,
  activityUnknownErrorNonRetryable,
  workflowRetryMultipliesActivityRetries,
  workflowStartTerminatesChain,
  activityRetriesInLoop,
  activityRetriesStacked,
  workflowStartIdRandom,
  workflowStartConflictUnhandled,
  workflowStartBeforeCommit,
  workflowIdCollision,
  activityStartToCloseMissing,
  activityScheduleToStartMissing,
  activityScheduleToCloseMissing,
  activityHeartbeatTimeoutMissing,
  activityHeartbeatTimeoutWithoutHeartbeat,
  activityHeartbeatFromTimer,
  activityCancellationIgnored,
  workflowCancellationSwallowed,
  activityHeartbeatTimeoutLong,
  activityChildProcessUnstoppable,
  activityCallWithoutTimeout,
  activityStateInWorkerMemory,
  activityLocalFileHandoff,
  temporalSdkNotDeclared,
  workerNotDeployed,
  activityLongLoopWithoutHeartbeat,
  activityTimeoutsInconsistent,
  activityTimeoutBelowCallTimeout,
  activityTimeoutInvalid,
  perRunWorkflowWithoutTimeout,
  workflowResultAwaitedInRequest,
  cronExecutionTimeoutEndsSchedule,
  workflowExecutionTimeoutBelowWaits,
  scheduleCreateIgnoresExisting,
  scheduleRecreatedAtStartup,
  scheduleRunUnbounded,
  workflowWaitWithoutTimeout,
  workflowConditionTimeoutIgnored,
  workflowChildTerminatedOnClose,
  historySizeOverBudget,
  historyPayloadOverLimit,
  historyEventCountHigh,
  historyScheduleToStartHigh,
];
