// ESLint form of the check of the same id: a workflow that throws anything but an
// ApplicationFailure fails its workflow task, which the server retries forever. In one file the
// rule cannot see the worker, so the worker's workflowFailureErrorTypes is an option.

import type { Rule } from 'eslint';
import type { Node as EsNode, ThrowStatement } from 'estree';
import ts from 'typescript';
import { classifyThrownValue } from '../../model/typescript/sandbox/thrown-value.js';
import { ruleDocs } from '../rule-docs.js';
import { typeServices } from '../type-services.js';

interface Options {
  /** The worker's `workflowFailureErrorTypes`: error classes that fail the workflow as intended. */
  workflowFailureErrorTypes?: string[];
}

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: ruleDocs('workflow-throws-plain-error'),
    schema: [
      {
        type: 'object',
        properties: { workflowFailureErrorTypes: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
        additionalProperties: false,
      },
    ],
    messages: {
      plain:
        'Throws {{what}}, not an ApplicationFailure: the SDK fails the workflow task instead of the workflow, and the server retries ' +
        "that task forever. Throw ApplicationFailure.nonRetryable(message, '{{type}}'), or list '{{listed}}' in the worker's workflowFailureErrorTypes.",
    },
  },
  create(context) {
    const covered = new Set((context.options[0] as Options | undefined)?.workflowFailureErrorTypes ?? []);
    return {
      ThrowStatement(node: ThrowStatement & Rule.NodeParentExtension) {
        if (isCaughtLocally(node, context)) return;
        const { checker, tsNode } = typeServices(context);
        const statement = tsNode(node);
        if (!statement || !ts.isThrowStatement(statement)) return;
        const value = classifyThrownValue(statement.expression, checker);
        if (value.kind !== 'plain') return;
        if (covered.has('Error') || value.typeNames.some((name) => covered.has(name))) return;
        const typeName = value.typeNames[0];
        context.report({
          node: node.argument,
          messageId: 'plain',
          data: {
            what: typeName ? (value.isError ? `a plain ${typeName}` : `a ${typeName} value`) : 'a value that is not an Error',
            type: typeName && typeName !== 'Error' ? typeName : 'InvalidInput',
            listed: typeName ?? 'Error',
          },
        });
      },
    };
  },
};

/** Inside the `try` block of a try/catch in the same function: the code handles its own throw. */
function isCaughtLocally(node: EsNode, context: Rule.RuleContext): boolean {
  const ancestors = context.sourceCode.getAncestors(node);
  let child: EsNode = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const ancestor = ancestors[i]!;
    if (ancestor.type === 'TryStatement' && ancestor.block === child && ancestor.handler) return true;
    if (ancestor.type === 'FunctionDeclaration' || ancestor.type === 'FunctionExpression' || ancestor.type === 'ArrowFunctionExpression') return false;
    child = ancestor;
  }
  return false;
}

export default rule;
