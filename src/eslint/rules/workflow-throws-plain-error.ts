// ESLint form of the check of the same id. In one file the rule cannot see the worker, so the
// worker's workflowFailureErrorTypes is an option. Suggests ApplicationFailure.nonRetryable for
// `throw new SomeError(message)`: the workflow then fails with that type instead of its task
// being retried forever.

import type { Rule } from 'eslint';
import type { Node as EsNode, ThrowStatement } from 'estree';
import { failureTypesCover } from '../../checks/determinism/workflow-throws-plain-error.js';
import type { Finding } from '../../engine/types.js';
import { checkRule } from '../check-rule.js';
import { addNamedImport } from '../named-import.js';
import { nodeAt } from '../node-at.js';

const WORKFLOW_MODULE = '@temporalio/workflow';

export default checkRule('workflow-throws-plain-error', {
  workflowCode: true,
  options: { workflowFailureErrorTypes: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
  keep(finding, options) {
    const listed = (options.workflowFailureErrorTypes as string[] | undefined) ?? [];
    const errorType = finding.data?.errorType;
    return !failureTypesCover(listed, typeof errorType === 'string' ? [errorType] : []);
  },
  suggest: (finding, context) => nonRetryableSuggestion(finding, context),
});

function nonRetryableSuggestion(finding: Finding, context: Rule.RuleContext): Rule.SuggestionReportDescriptor[] {
  const thrown = nodeAt(context, finding.line!, finding.column!);
  const statement = thrown && parentThrow(thrown, context);
  const created = statement?.argument;
  // Only `new X(message)`: other arguments (a cause, a code) would need a human to carry over.
  if (!created || created.type !== 'NewExpression' || created.arguments.length !== 1 || created.callee.type !== 'Identifier') return [];
  const message = created.arguments[0]!;
  if (message.type === 'SpreadElement') return [];
  const type = created.callee.name === 'Error' ? 'InvalidInput' : created.callee.name;
  const source = context.sourceCode;
  const imported = addNamedImport(context, WORKFLOW_MODULE, 'ApplicationFailure');
  if (!imported) return [];
  return [
    {
      desc: `Throw ApplicationFailure.nonRetryable(message, '${type}') to fail the workflow`,
      fix: (fixer) => [
        fixer.replaceText(created as EsNode, `ApplicationFailure.nonRetryable(${source.getText(message as EsNode)}, '${type}')`),
        ...imported(fixer),
      ],
    },
  ];
}

function parentThrow(node: EsNode, context: Rule.RuleContext): ThrowStatement | undefined {
  const chain = [node, ...context.sourceCode.getAncestors(node).reverse()];
  for (const candidate of chain) {
    if (candidate.type === 'ThrowStatement') return candidate;
    if (candidate.type.endsWith('Statement') || candidate.type.startsWith('Function') || candidate.type === 'ArrowFunctionExpression') return undefined;
  }
  return undefined;
}
