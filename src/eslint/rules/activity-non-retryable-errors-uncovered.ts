// ESLint form of the check of the same id (it needs type information: the thrown errors are read
// from the activity implementations the proxy's type argument names). Suggests adding the
// uncovered types to retry.nonRetryableErrorTypes when the options are an object literal at the call.

import type { Rule } from 'eslint';
import type { ArrayExpression, CallExpression, Node as EsNode, ObjectExpression } from 'estree';
import { checkRule } from '../check-rule.js';
import { nodeAt, selfAndAncestors } from '../node-at.js';
import { addProperty, propertyNamed } from '../object-property-edit.js';

export default checkRule('activity-non-retryable-errors-uncovered', {
  workflowCode: 'auto',
  suggest(finding, context) {
    const types = finding.data?.uncoveredErrorTypes;
    if (!Array.isArray(types) || types.length === 0) return [];
    const node = nodeAt(context, finding.line!, finding.column!);
    const call = node && selfAndAncestors(context, node).find((n): n is CallExpression => n.type === 'CallExpression');
    const options = call?.arguments[0];
    if (options?.type !== 'ObjectExpression') return [];
    const fix = addErrorTypes(context, options, types.map((type) => `'${String(type)}'`));
    return fix ? [{ desc: `Add ${types.map((t) => `'${String(t)}'`).join(', ')} to retry.nonRetryableErrorTypes`, fix }] : [];
  },
});

function addErrorTypes(context: Rule.RuleContext, options: ObjectExpression, entries: string[]): Rule.ReportFixer | undefined {
  const list = `[${entries.join(', ')}]`;
  const retry = propertyNamed(options, 'retry');
  if (!retry) {
    if (options.properties.some((p) => p.type === 'SpreadElement')) return undefined;
    return addProperty(context, options, 'retry', `{ nonRetryableErrorTypes: ${list} }`);
  }
  if (retry.value.type !== 'ObjectExpression') return undefined;
  const written = propertyNamed(retry.value, 'nonRetryableErrorTypes');
  if (!written) {
    if (retry.value.properties.some((p) => p.type === 'SpreadElement')) return undefined;
    return addProperty(context, retry.value, 'nonRetryableErrorTypes', list);
  }
  if (written.value.type !== 'ArrayExpression') return undefined;
  const array: ArrayExpression = written.value;
  const last = array.elements[array.elements.length - 1];
  if (!last) return (fixer) => fixer.replaceText(array as EsNode, list);
  return (fixer) => fixer.insertTextAfter(last as EsNode, `, ${entries.join(', ')}`);
}
