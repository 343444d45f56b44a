// The comment that documents a proxy's policy choice: a comment on the option itself
// (`// each retry is a new fenced attempt` above `retry:`), inside the options, or above the
// statement that creates the proxy (or the small factory that only returns it). A team that
// wrote down why it left an option out (no heartbeatTimeout, unbounded retries) made a choice the
// review should restate as a trade-off, not report as an oversight.

import ts from 'typescript';
import type { SourceLocation } from './types.js';

export interface PolicyComment {
  /** The comment's first sentence, without comment markers, at most 240 characters. */
  text: string;
  location: SourceLocation;
}

/** A reminder to do it is not a documented choice. */
const PENDING = /\b(TODO|FIXME|XXX|HACK)\b/;

/**
 * The first comment next to the proxy created by `call` that documents a choice about its options:
 * a comment attached to `property` in the options literal (whatever it says), or a comment inside
 * the options or above the proxy's statement that mentions `topic`.
 */
export function policyComment(call: ts.CallExpression, topic: RegExp, property?: string): PolicyComment | undefined {
  const sourceFile = call.getSourceFile();
  const text = sourceFile.text;
  const options = call.arguments[0] && ts.isObjectLiteralExpression(call.arguments[0]) ? call.arguments[0] : undefined;
  if (options && property) {
    const assignment = options.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === property);
    if (assignment) {
      const own = [...(ts.getLeadingCommentRanges(text, assignment.getFullStart()) ?? []), ...(ts.getTrailingCommentRanges(text, assignment.getEnd()) ?? [])];
      const found = firstComment(sourceFile, own, () => true);
      if (found) return found;
    }
  }
  const inside = options ? commentsWithin(sourceFile, options) : [];
  const around = statementComments(call);
  return firstComment(sourceFile, [...inside, ...around], (comment) => topic.test(comment));
}

function firstComment(sourceFile: ts.SourceFile, ranges: ts.CommentRange[], accept: (comment: string) => boolean): PolicyComment | undefined {
  for (const range of mergeLineComments(sourceFile.text, ranges)) {
    const raw = sourceFile.text.slice(range.pos, range.end);
    if (PENDING.test(raw) || !accept(raw)) continue;
    const body = raw
      .replace(/^\/\*\*?|\*\/$/g, '')
      .split('\n')
      .map((line) => line.replace(/^\s*(\/\/+|\*)?\s?/, '').trim())
      .filter(Boolean)
      .join(' ');
    if (!body) continue;
    const sentence = body.match(/^.*?[.!?](\s|$)/)?.[0]?.trim() ?? body;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(range.pos);
    return { text: sentence.length > 240 ? `${sentence.slice(0, 237)}...` : sentence, location: { file: sourceFile.fileName, line: line + 1, column: character + 1 } };
  }
  return undefined;
}

/** Consecutive `//` lines are one comment. */
function mergeLineComments(text: string, ranges: ts.CommentRange[]): ts.CommentRange[] {
  const merged: ts.CommentRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.pos - b.pos)) {
    const last = merged[merged.length - 1];
    const between = last ? text.slice(last.end, range.pos) : '';
    if (last && last.kind === ts.SyntaxKind.SingleLineCommentTrivia && range.kind === ts.SyntaxKind.SingleLineCommentTrivia && /^[ \t]*\r?\n[ \t]*$/.test(between)) {
      merged[merged.length - 1] = { ...last, end: range.end };
    } else if (!last || range.pos >= last.end) {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** Every comment inside a node, in source order. */
function commentsWithin(sourceFile: ts.SourceFile, node: ts.Node): ts.CommentRange[] {
  const ranges: ts.CommentRange[] = [];
  const seen = new Set<number>();
  const visit = (child: ts.Node): void => {
    for (const range of [...(ts.getLeadingCommentRanges(sourceFile.text, child.getFullStart()) ?? []), ...(ts.getTrailingCommentRanges(sourceFile.text, child.getEnd()) ?? [])]) {
      if (range.pos > node.getStart(sourceFile) && range.end < node.getEnd() && !seen.has(range.pos)) {
        seen.add(range.pos);
        ranges.push(range);
      }
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return ranges.sort((a, b) => a.pos - b.pos);
}

/**
 * Comments above the statement that creates the proxy; when that statement is all a function does
 * (`function sweep() { return proxyActivities(...) }`, `const forQueue = (q) => proxyActivities(...)`),
 * also the comments above that function. A proxy inside a larger function gets only its own statement's.
 */
function statementComments(call: ts.CallExpression): ts.CommentRange[] {
  const sourceFile = call.getSourceFile();
  const ranges: ts.CommentRange[] = [];
  const take = (node: ts.Node) => ranges.push(...(ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? []));
  let node: ts.Node = call;
  while (node.parent && !ts.isSourceFile(node.parent)) {
    const parent: ts.Node = node.parent;
    if (ts.isBlock(parent)) {
      // Only a function whose body is this one statement is a proxy factory; any other block ends the climb.
      if (!ts.isFunctionLike(parent.parent) || parent.statements.length !== 1) break;
    } else if (ts.isClassLike(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      break;
    }
    node = parent;
    if (ts.isStatement(node) || ts.isClassElement(node) || ts.isVariableStatement(node)) take(node);
  }
  return [...new Map(ranges.map((r) => [r.pos, r])).values()];
}
