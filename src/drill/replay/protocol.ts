// Messages between the replay coordinator and its worker processes.

export interface ReplayItem {
  index: number;
  /** A history file to read, or the history's proto3 JSON text (streamed from a namespace). */
  file?: string;
  json?: string;
  workflowId: string;
}

export interface ReplayInit {
  type: 'run';
  codePath: string;
  payloadCodecModule?: string;
  interceptorModules: string[];
  items: ReplayItem[];
}

export interface ReplayItemResult {
  type: 'result';
  index: number;
  workflowId: string;
  runId: string;
  workflowType: string;
  /** Present when replay failed: the SDK error's class name and message. */
  error?: { name: string; message: string };
  /** False for a history without a close event: the execution was still running when recorded. */
  closed?: boolean;
  /** The history's events (id, type, activity or child type) for locating a divergence. */
  events: { eventId: number; eventType: string; activityType?: string; childWorkflowType?: string }[];
}

export type ChildMessage = ReplayItemResult | { type: 'done' } | { type: 'fatal'; message: string };
