// temporal-preflight/eslint: the checks of `temporal-preflight check` that one file can decide, as
// ESLint rules for editors. Each rule runs its check on the model of the linted file; with type
// information (@typescript-eslint/parser and a project) the model sees imported modules too.
// Flat config only.

import type { ESLint, Linter, Rule } from 'eslint';
import { toolInfo } from '../engine/tool-info.js';
import { checkRule } from './check-rule.js';
import { checkSeverity } from './rule-docs.js';
import activityNonRetryableErrorsUncovered from './rules/activity-non-retryable-errors-uncovered.js';
import workerShutdownGraceMissing from './rules/worker-shutdown-grace-missing.js';
import workflowThrowsPlainError from './rules/workflow-throws-plain-error.js';

/** Rules about workflow code: the config decides which files are workflow code (see WORKFLOW_FILES). */
export const workflowRules: Record<string, Rule.RuleModule> = {
  'workflow-imports-node-builtin': checkRule('workflow-imports-node-builtin', { workflowCode: true }),
  'workflow-imports-activity-implementation': checkRule('workflow-imports-activity-implementation', { workflowCode: true }),
  'workflow-uses-unavailable-global': checkRule('workflow-uses-unavailable-global', { workflowCode: true }),
  'workflow-uses-weakref': checkRule('workflow-uses-weakref', { workflowCode: true }),
  'workflow-throws-plain-error': workflowThrowsPlainError,
};

/** Rules about activity options, workers and search attributes, wherever they are written. */
export const codeRules: Record<string, Rule.RuleModule> = Object.fromEntries([
  ...[
    'activity-retry-policy-missing',
    'activity-retry-backoff-default',
    'activity-retry-max-interval-unset',
    'activity-retry-attempts-unbounded',
    'activity-retry-policy-invalid',
    'activity-start-to-close-missing',
    'activity-schedule-to-close-missing',
    'activity-schedule-to-start-missing',
    'activity-timeout-invalid',
    'activity-timeouts-inconsistent',
    'worker-concurrency-implicit',
    'worker-concurrency-unbounded',
    'worker-ignored-poller-options',
    'search-attribute-text-for-identifier',
  ].map((id) => [id, checkRule(id, { workflowCode: 'auto' })] as const),
  ['activity-non-retryable-errors-uncovered', activityNonRetryableErrorsUncovered] as const,
  ['worker-shutdown-grace-missing', workerShutdownGraceMissing] as const,
]);

export const rules: Record<string, Rule.RuleModule> = { ...workflowRules, ...codeRules };

/** Where workflow code usually lives; override `files` to match your project. */
export const WORKFLOW_FILES = ['**/workflows/**/*.{ts,mts,cts,tsx}', '**/workflows.{ts,mts,cts,tsx}', '**/*.workflow.{ts,mts,cts,tsx}'];
/** Every TypeScript file: proxies, workers and search attribute keys can be anywhere. */
export const CODE_FILES = ['**/*.{ts,mts,cts,tsx}'];

const plugin: ESLint.Plugin & { configs: Record<string, Linter.Config[]> } = {
  meta: { name: 'temporal-preflight/eslint', version: toolInfo().version },
  rules,
  configs: {},
};

const severityOf = (id: string): Linter.RuleEntry => (checkSeverity(id) === 'error' ? 'error' : 'warn');

plugin.configs.recommended = [
  {
    name: 'temporal-preflight/recommended/workflows',
    files: WORKFLOW_FILES,
    plugins: { 'temporal-preflight': plugin },
    rules: Object.fromEntries(Object.keys(workflowRules).map((id) => [`temporal-preflight/${id}`, severityOf(id)])),
  },
  {
    name: 'temporal-preflight/recommended/code',
    files: CODE_FILES,
    plugins: { 'temporal-preflight': plugin },
    rules: Object.fromEntries(Object.keys(codeRules).map((id) => [`temporal-preflight/${id}`, severityOf(id)])),
  },
];

export default plugin;
