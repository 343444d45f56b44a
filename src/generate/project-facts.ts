// What the generators need to know about a project, as plain data: workflow types, their task
// queues, the activities they call with the options that shape their failure modes, search
// attributes, and how the project exports metrics. Built from the model by collect-project-facts.ts;
// tests build it by hand.

import { encodeFileNamePart } from '../engine/file-name-part.js';
import type { MetricExportOptions } from './metric-names.js';

export interface ProjectFacts {
  /** Used in rule group names and the dashboard title. */
  projectName: string;
  /** Name and unit options of the project's Prometheus exporter (defaults when it has none). */
  metricExport: MetricExportOptions;
  /** Activity schedule-to-start p99 target in milliseconds (config targets.scheduleToStartP99). */
  scheduleToStartTargetMs: number;
  /**
   * Where runbooks live, as alert annotations should link them: a folder relative to the project
   * or a URL prefix. The runbook of a workflow type is `<runbookBase>/<type>.md`.
   */
  runbookBase: string;
  workflows: WorkflowFacts[];
  /** Every task queue a worker polls or a start or proxy names, sorted. */
  taskQueues: string[];
}

/** The SDK names a runbook quotes, per language. */
export interface SdkVocabulary {
  searchAttributesOption: string;
  patched: string;
  activityFailure: string;
  workflowTaskError: string;
  raises: string;
  maxActivities: string;
  maxWorkflowTasks: string;
  maxCachedWorkflows: string;
}

const TYPESCRIPT_VOCABULARY: SdkVocabulary = {
  searchAttributesOption: 'typedSearchAttributes',
  patched: 'patched',
  activityFailure: 'an ActivityFailure',
  workflowTaskError: 'workflow code threw an error that is not an ApplicationFailure',
  raises: 'Throws',
  maxActivities: 'maxConcurrentActivityTaskExecutions',
  maxWorkflowTasks: 'maxConcurrentWorkflowTaskExecutions',
  maxCachedWorkflows: 'maxCachedWorkflows',
};

const PYTHON_VOCABULARY: SdkVocabulary = {
  searchAttributesOption: 'search_attributes=TypedSearchAttributes([...])',
  patched: 'workflow.patched',
  activityFailure: 'an ActivityError',
  workflowTaskError: 'workflow code raised an exception that is not an ApplicationError or listed in workflow_failure_exception_types',
  raises: 'Raises',
  maxActivities: 'max_concurrent_activities',
  maxWorkflowTasks: 'max_concurrent_workflow_tasks',
  maxCachedWorkflows: 'max_cached_workflows',
};

/** The vocabulary of one workflow's SDK. */
export function vocabularyOf(workflow: Pick<WorkflowFacts, 'language'>): SdkVocabulary {
  return workflow.language === 'python' ? PYTHON_VOCABULARY : TYPESCRIPT_VOCABULARY;
}

/**
 * The vocabulary of the project's workers: Python's when every workflow type is Python. A mixed
 * project's worker runbook names both SDKs' options.
 */
export function workersVocabulary(facts: ProjectFacts): SdkVocabulary {
  const python = facts.workflows.filter((w) => w.language === 'python').length;
  if (python === 0) return TYPESCRIPT_VOCABULARY;
  if (python === facts.workflows.length) return PYTHON_VOCABULARY;
  const both = (key: keyof SdkVocabulary) => `${TYPESCRIPT_VOCABULARY[key]}\` (TypeScript) or \`${PYTHON_VOCABULARY[key]}`;
  return { ...TYPESCRIPT_VOCABULARY, maxActivities: both('maxActivities'), maxWorkflowTasks: both('maxWorkflowTasks'), maxCachedWorkflows: both('maxCachedWorkflows') };
}

export interface WorkflowFacts {
  name: string;
  /** Relative to the project, forward slashes. */
  file: string;
  line: number;
  /** Task queues of the workers hosting it (or of its starts when no worker is found). */
  taskQueues: string[];
  activities: WorkflowActivityFacts[];
  /** Search attributes set when it is started (from typedSearchAttributes / searchAttributes). */
  searchAttributes: SearchAttributeFacts[];
  /** Error types the workflow itself fails with (ApplicationFailure types it throws). */
  failureTypes: string[];
  /** The SDK the workflow is written for: its runbook names that SDK's API. Absent means TypeScript. */
  language?: 'python';
}

export interface SearchAttributeFacts {
  name: string;
  /** 'KEYWORD', 'TEXT', 'INT', ... or null when unknown (untyped searchAttributes). */
  type: string | null;
}

export interface WorkflowActivityFacts {
  /** The activity type. */
  name: string;
  kind: 'remote' | 'local';
  /** Task queue the activity is scheduled on (the proxy's taskQueue, else the workflow's). */
  taskQueue: string | null;
  /** Timeouts as milliseconds, null when unset, 'unknown' when not statically resolvable. */
  timeouts: {
    startToClose: number | null | 'unknown';
    scheduleToClose: number | null | 'unknown';
    scheduleToStart: number | null | 'unknown';
    heartbeat: number | null | 'unknown';
  };
  /** null = unlimited (no retry policy or no maximumAttempts). */
  maximumAttempts: number | null | 'unknown';
  nonRetryableErrorTypes: string[];
  /** Error types its implementation throws (sorted, unique), with whether they stop retries. */
  thrownErrors: { type: string; nonRetryable: boolean }[];
  /** Calls per workflow execution; 'unknown' when called in a loop. */
  calls: number | 'unknown';
}

/** The runbook for alerts about task queues and workers rather than one workflow type. */
export const WORKERS_RUNBOOK = 'temporal-workers.md';

/** The file name of a workflow type's runbook. */
export function runbookFileName(workflowType: string): string {
  return `${encodeFileNamePart(workflowType)}.md`;
}

/** Every activity type the project's workflows call, sorted and unique. */
export function activityTypesOf(facts: ProjectFacts): string[] {
  return [...new Set(facts.workflows.flatMap((w) => w.activities.map((a) => a.name)))].sort();
}
