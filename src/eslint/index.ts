// temporal-preflight/eslint: the checks that need one file and the type checker, as ESLint rules
// for editors. Flat config only; the rules need @typescript-eslint/parser with type information.

import type { ESLint, Linter, Rule } from 'eslint';
import { toolInfo } from '../engine/tool-info.js';
import workflowThrowsPlainError from './rules/workflow-throws-plain-error.js';
import workflowUsesUnavailableGlobal from './rules/workflow-uses-unavailable-global.js';
import workflowUsesWeakref from './rules/workflow-uses-weakref.js';

export const rules: Record<string, Rule.RuleModule> = {
  'workflow-uses-unavailable-global': workflowUsesUnavailableGlobal,
  'workflow-uses-weakref': workflowUsesWeakref,
  'workflow-throws-plain-error': workflowThrowsPlainError,
};

/** Where workflow code usually lives; override `files` to match your project. */
export const WORKFLOW_FILES = ['**/workflows/**/*.{ts,mts,cts,tsx}', '**/workflows.{ts,mts,cts,tsx}', '**/*.workflow.{ts,mts,cts,tsx}'];

const plugin: ESLint.Plugin & { configs: Record<string, Linter.Config> } = {
  meta: { name: 'temporal-preflight/eslint', version: toolInfo().version },
  rules,
  configs: {},
};

plugin.configs.recommended = {
  name: 'temporal-preflight/recommended',
  files: WORKFLOW_FILES,
  plugins: { 'temporal-preflight': plugin },
  rules: Object.fromEntries(Object.keys(rules).map((id) => [`temporal-preflight/${id}`, 'error'])),
};

export default plugin;
