// The ESTree node at a finding's line and column, to anchor a suggestion on the code the check
// pointed at.

import type { Rule } from 'eslint';
import type { Node as EsNode } from 'estree';

/** The innermost node that contains the 1-based line and column. */
export function nodeAt(context: Rule.RuleContext, line: number, column: number): EsNode | undefined {
  const source = context.sourceCode;
  const index = source.getIndexFromLoc({ line, column: column - 1 });
  return (source.getNodeByRangeIndex(index) as EsNode | null) ?? undefined;
}

/** The node and its ancestors, innermost first. */
export function selfAndAncestors(context: Rule.RuleContext, node: EsNode): EsNode[] {
  return [node, ...context.sourceCode.getAncestors(node).reverse()];
}
