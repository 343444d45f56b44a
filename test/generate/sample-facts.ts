// A hand-built project for generator tests: two workflow types on two task queues.
import { DEFAULT_EXPORT_OPTIONS } from '../../src/generate/metric-names.js';
import type { ProjectFacts } from '../../src/generate/project-facts.js';

export function sampleFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    projectName: 'Orders App',
    metricExport: DEFAULT_EXPORT_OPTIONS,
    scheduleToStartTargetMs: 500,
    runbookBase: 'docs/runbooks',
    taskQueues: ['orders', 'payments.v2'],
    workflows: [
      {
        name: 'processOrder',
        file: 'src/workflows/order.ts',
        line: 12,
        taskQueues: ['orders'],
        searchAttributes: [
          { name: 'CustomerId', type: 'KEYWORD' },
          { name: 'OrderTotal', type: 'DOUBLE' },
        ],
        failureTypes: ['OrderRejected'],
        activities: [
          {
            name: 'chargeCard',
            kind: 'remote',
            taskQueue: 'payments.v2',
            timeouts: { startToClose: 30_000, scheduleToClose: 600_000, scheduleToStart: 60_000, heartbeat: null },
            maximumAttempts: 5,
            nonRetryableErrorTypes: ['CardDeclined'],
            thrownErrors: [
              { type: 'CardDeclined', nonRetryable: false },
              { type: 'GatewayTimeout', nonRetryable: false },
            ],
            calls: 1,
          },
          {
            name: 'reserveStock',
            kind: 'remote',
            taskQueue: 'orders',
            timeouts: { startToClose: 10_000, scheduleToClose: null, scheduleToStart: null, heartbeat: null },
            maximumAttempts: null,
            nonRetryableErrorTypes: [],
            thrownErrors: [],
            calls: 'unknown',
          },
        ],
      },
      {
        name: 'refundOrder',
        file: 'src/workflows/refund.ts',
        line: 5,
        taskQueues: ['orders'],
        searchAttributes: [],
        failureTypes: [],
        activities: [
          {
            name: 'chargeCard',
            kind: 'remote',
            taskQueue: 'payments.v2',
            timeouts: { startToClose: 30_000, scheduleToClose: null, scheduleToStart: null, heartbeat: null },
            maximumAttempts: 'unknown',
            nonRetryableErrorTypes: [],
            thrownErrors: [],
            calls: 1,
          },
        ],
      },
    ],
    ...overrides,
  };
}
