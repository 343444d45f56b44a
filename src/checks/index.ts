// The check registry: a plain array, one import per check file. A test keeps it in step with
// the files under src/checks/<area>/.

import type { CheckDefinition } from './define-check.js';
import historyScheduleToStartHigh from './capacity/history-schedule-to-start-high.js';
import historyEventCountHigh from './payloads/history-event-count-high.js';
import historyPayloadOverLimit from './payloads/history-payload-over-limit.js';
import historySizeOverBudget from './payloads/history-size-over-budget.js';
import payloadCarriesCollection from './payloads/payload-carries-collection.js';
import payloadCarriesSecret from './payloads/payload-carries-secret.js';
import workflowUnboundedHistory from './payloads/workflow-unbounded-history.js';

export const checks: readonly CheckDefinition[] = [
  payloadCarriesCollection,
  payloadCarriesSecret,
  workflowUnboundedHistory,
  historySizeOverBudget,
  historyPayloadOverLimit,
  historyEventCountHigh,
  historyScheduleToStartHigh,
];
