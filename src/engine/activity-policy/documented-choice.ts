// A policy choice the team documented next to the proxy (see policy-comment.ts): the checks
// restate its trade-off as a note instead of reporting an oversight.

import ts from 'typescript';
import { policyComment, type PolicyComment } from '../../model/typescript/policy-comment.js';
import type { ProxyReview } from './proxy-review.js';

export type { PolicyComment };

export function documentedChoice(review: ProxyReview, topic: RegExp, property?: string): PolicyComment | undefined {
  // Only the TypeScript front-end keeps the proxy's call node.
  const node = (review.proxy as { node?: unknown }).node;
  if (!node || !ts.isCallExpression(node as ts.Node)) return undefined;
  return policyComment(node as ts.CallExpression, topic, property);
}

/** ` The comment at workflows.ts:12 documents it as a choice: "..."` */
export function documentedNote(comment: PolicyComment, file: string): string {
  return ` The comment at ${file}:${comment.location.line} documents this as a choice ("${comment.text}"), so it is a trade-off, not an oversight.`;
}
