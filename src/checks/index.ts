// The check registry: a plain array, one import per check file. A test keeps it in step with
// the files under src/checks/<area>/.

import type { CheckDefinition } from './define-check.js';
import historyScheduleToStartHigh from './capacity/history-schedule-to-start-high.js';
import historyEventCountHigh from './payloads/history-event-count-high.js';
import historyPayloadOverLimit from './payloads/history-payload-over-limit.js';
import historySizeOverBudget from './payloads/history-size-over-budget.js';

export const checks: readonly CheckDefinition[] = [
  historySizeOverBudget,
  historyPayloadOverLimit,
  historyEventCountHigh,
  historyScheduleToStartHigh,
];
