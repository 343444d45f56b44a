// The check registry: a plain array, one import per check file. A test keeps it in step with
// the files under src/checks/<area>/.

import type { CheckDefinition } from './define-check.js';
import activityRetryPolicyMissing from './retries/activity-retry-policy-missing.js';
import activityRetryAttemptsUnbounded from './retries/activity-retry-attempts-unbounded.js';
import activityRetryBackoffDefault from './retries/activity-retry-backoff-default.js';
import activityRetryMaxIntervalUnset from './retries/activity-retry-max-interval-unset.js';
import activityNonRetryableErrorsUncovered from './retries/activity-non-retryable-errors-uncovered.js';
import activityNonRetryableTypeUnknown from './retries/activity-non-retryable-type-unknown.js';
import activityRetryPolicyInvalid from './retries/activity-retry-policy-invalid.js';
import activityStartToCloseMissing from './timeouts/activity-start-to-close-missing.js';
import activityScheduleToStartMissing from './timeouts/activity-schedule-to-start-missing.js';
import activityScheduleToCloseMissing from './timeouts/activity-schedule-to-close-missing.js';
import activityHeartbeatTimeoutMissing from './timeouts/activity-heartbeat-timeout-missing.js';
import activityHeartbeatTimeoutWithoutHeartbeat from './timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import activityLongLoopWithoutHeartbeat from './timeouts/activity-long-loop-without-heartbeat.js';
import activityTimeoutsInconsistent from './timeouts/activity-timeouts-inconsistent.js';
import activityTimeoutInvalid from './timeouts/activity-timeout-invalid.js';

export const checks: readonly CheckDefinition[] = [
  activityRetryPolicyMissing,
  activityRetryAttemptsUnbounded,
  activityRetryBackoffDefault,
  activityRetryMaxIntervalUnset,
  activityNonRetryableErrorsUncovered,
  activityNonRetryableTypeUnknown,
  activityRetryPolicyInvalid,
  activityStartToCloseMissing,
  activityScheduleToStartMissing,
  activityScheduleToCloseMissing,
  activityHeartbeatTimeoutMissing,
  activityHeartbeatTimeoutWithoutHeartbeat,
  activityLongLoopWithoutHeartbeat,
  activityTimeoutsInconsistent,
  activityTimeoutInvalid,
];
