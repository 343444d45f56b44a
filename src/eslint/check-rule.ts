// An ESLint rule made from a check of the `check` command: it reports that check's findings in the
// linted file, with the check's own message, fix, line and column. The rule has no logic of its
// own beyond suggestions: what is a defect is decided by the check (see file-findings.ts).

import type { Rule } from 'eslint';
import { UsageError } from '../engine/errors.js';
import type { Finding } from '../engine/types.js';
import { findingsInFile, type FileFindings } from './file-findings.js';
import { ruleDocs } from './rule-docs.js';

export interface CheckRuleSpec {
  /** Whether the files the rule lints are workflow code (see findingsInFile). */
  workflowCode: boolean | 'auto';
  /** More rule options, beside `reportInfo`. */
  options?: Record<string, Record<string, unknown>>;
  /** Leaves out a finding the rule's options say is intended. */
  keep?: (finding: Finding, options: Record<string, unknown>) => boolean;
  /** Mechanical, safe edits the user may apply (never applied by --fix). */
  suggest?: (finding: Finding, context: Rule.RuleContext, facts: FileFindings) => Rule.SuggestionReportDescriptor[];
}

export interface CheckRuleOptions {
  /** Also report the check's info findings ("cannot tell", notes); off by default in the editor. */
  reportInfo?: boolean;
}

const reportedProblems = new WeakSet<object>();

export function checkRule(checkId: string, spec: CheckRuleSpec): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: ruleDocs(checkId),
      ...(spec.suggest ? { hasSuggestions: true } : {}),
      schema: [
        {
          type: 'object',
          properties: { reportInfo: { type: 'boolean' }, ...spec.options },
          additionalProperties: false,
        },
      ],
      messages: { finding: '{{message}} Fix: {{fix}}', cannotReview: 'temporal-preflight cannot review this file: {{problem}}' },
    },
    create(context) {
      const options = (context.options[0] ?? {}) as CheckRuleOptions & Record<string, unknown>;
      return {
        'Program:exit'() {
          let facts: FileFindings;
          try {
            facts = findingsInFile(context, checkId, spec.workflowCode);
          } catch (error) {
            // A broken preflight.config.json: one message per file (not one per rule), not a crash of the lint run.
            if (!(error instanceof UsageError)) throw error;
            if (!reportedProblems.has(context.sourceCode)) context.report({ loc: { line: 1, column: 0 }, messageId: 'cannotReview', data: { problem: error.message } });
            reportedProblems.add(context.sourceCode);
            return;
          }
          for (const finding of facts.findings) {
            if (finding.severity === 'info' && !options.reportInfo) continue;
            if (spec.keep && !spec.keep(finding, options)) continue;
            const suggestions = spec.suggest?.(finding, context, facts) ?? [];
            context.report({
              loc: { line: finding.line!, column: (finding.column ?? 1) - 1 },
              messageId: 'finding',
              data: { message: finding.message, fix: finding.fix },
              ...(suggestions.length > 0 ? { suggest: suggestions } : {}),
            });
          }
        },
      };
    },
  };
}
