// Small readers over tree-sitter-python nodes that every extractor shares: locations, names,
// call arguments and string literals.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';

export function locateNode(file: string, node: PythonNode): SourceLocation {
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** The named children of a node, without the nulls the binding may return. */
export function namedChildrenOf(node: PythonNode): PythonNode[] {
  return node.namedChildren.filter((child): child is PythonNode => child !== null && child.type !== 'comment');
}

/** Unwraps `(expr)`. */
export function unparenthesize(node: PythonNode): PythonNode {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = namedChildrenOf(current)[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

export interface CallArguments {
  positional: PythonNode[];
  keywords: Map<string, PythonNode>;
  /** `**spread` operands, in order. */
  spreads: PythonNode[];
  /** True when a `*args` splat hides some positional arguments. */
  starred: boolean;
}

export function callArguments(call: PythonNode): CallArguments {
  const result: CallArguments = { positional: [], keywords: new Map(), spreads: [], starred: false };
  const list = call.childForFieldName('arguments');
  if (!list) return result;
  for (const argument of namedChildrenOf(list)) {
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name && value) result.keywords.set(name, value);
    } else if (argument.type === 'dictionary_splat') {
      const operand = namedChildrenOf(argument)[0];
      if (operand) result.spreads.push(operand);
    } else if (argument.type === 'list_splat') {
      result.starred = true;
    } else {
      result.positional.push(argument);
    }
  }
  return result;
}

/**
 * A message as written: string literals kept, each f-string field and other computed part shown
 * as `…` (`f"user {uid} not found"` gives `user … not found`, `"bad: " + x` gives `bad: …`,
 * `"no {}".format(x)` gives `no {}`); undefined when it holds no literal text at all.
 */
export function writtenText(node: PythonNode): string | undefined {
  let literal = false;
  const text = (current: PythonNode): string => {
    const target = unparenthesize(current);
    if (target.type === 'concatenated_string') return namedChildrenOf(target).map(text).join('');
    if (target.type === 'string') {
      let value = '';
      for (const child of namedChildrenOf(target)) {
        if (child.type === 'interpolation') value += '…';
        else if (child.type === 'string_content') value += unescape(child);
        else if (child.type === 'escape_sequence') value += unescapeSequence(child.text);
      }
      literal ||= value.replace(/…/g, '').trim() !== '';
      return value;
    }
    if (target.type === 'binary_operator' && ['+', '%'].includes(target.childForFieldName('operator')?.text ?? '')) {
      const left = target.childForFieldName('left');
      const right = target.childForFieldName('right');
      return (left ? text(left) : '…') + (target.childForFieldName('operator')?.text === '+' && right ? text(right) : '');
    }
    // `"... {}".format(x)`: the template is the literal text.
    if (target.type === 'call') {
      const callee = target.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      if (object && callee?.childForFieldName('attribute')?.text === 'format') return text(object);
    }
    return '…';
  };
  const written = text(node);
  return literal ? written : undefined;
}

/** The value of a plain string literal (no f-string interpolation), or undefined. */
export function stringLiteral(node: PythonNode): string | undefined {
  const target = unparenthesize(node);
  if (target.type === 'concatenated_string') {
    const parts = namedChildrenOf(target).map(stringLiteral);
    return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
  }
  if (target.type !== 'string') return undefined;
  let value = '';
  for (const child of namedChildrenOf(target)) {
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') value += unescape(child);
    else if (child.type === 'escape_sequence') value += unescapeSequence(child.text);
  }
  return value;
}

function unescape(content: PythonNode): string {
  let value = '';
  let last = content.startIndex;
  for (const child of namedChildrenOf(content)) {
    if (child.type !== 'escape_sequence') continue;
    value += content.text.slice(last - content.startIndex, child.startIndex - content.startIndex) + unescapeSequence(child.text);
    last = child.endIndex;
  }
  return value + content.text.slice(last - content.startIndex);
}

function unescapeSequence(text: string): string {
  const simple: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"' };
  return simple[text] ?? text;
}

/** `@workflow.defn(name="x")` -> the decorator expression's callee and its call (when called). */
export function decoratorsOf(definition: PythonNode): { expression: PythonNode; call?: PythonNode; node: PythonNode }[] {
  const parent = definition.parent;
  if (!parent || parent.type !== 'decorated_definition') return [];
  return namedChildrenOf(parent)
    .filter((child) => child.type === 'decorator')
    .flatMap((decorator) => {
      const expression = namedChildrenOf(decorator)[0];
      if (!expression) return [];
      if (expression.type === 'call') {
        const callee = expression.childForFieldName('function');
        return callee ? [{ expression: callee, call: expression, node: decorator }] : [];
      }
      return [{ expression, node: decorator }];
    });
}

/** Top-level statements of a module (decorated definitions unwrapped). */
export function moduleStatements(root: PythonNode): PythonNode[] {
  return namedChildrenOf(root).map((statement) => (statement.type === 'decorated_definition' ? (statement.childForFieldName('definition') ?? statement) : statement));
}

/** Statements of a class body, definitions unwrapped from their decorators. */
export function classMembers(classNode: PythonNode): PythonNode[] {
  const body = classNode.childForFieldName('body');
  return body ? moduleStatements(body) : [];
}

export function isAsyncFunction(fn: PythonNode): boolean {
  return fn.children.some((child) => child?.type === 'async');
}

/** Every descendant of `node`, not entering nested function or class definitions. */
export function descendantsInScope(node: PythonNode, visit: (descendant: PythonNode) => void): void {
  for (const child of namedChildrenOf(node)) {
    visit(child);
    if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
    descendantsInScope(child, visit);
  }
}

/** The nearest enclosing node of one of the types. */
export function enclosing(node: PythonNode, types: string[]): PythonNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (types.includes(current.type)) return current;
  return undefined;
}

/**
 * The comments on the lines right above a statement, top first. tree-sitter puts the comments
 * before the first statement of a block outside the block (after the `:`), so those count too.
 */
export function commentsAbove(statement: PythonNode): string[] {
  const above: string[] = [];
  let previous = statement.previousNamedSibling;
  if (!previous && statement.parent?.type === 'block') previous = statement.parent.previousNamedSibling;
  for (; previous?.type === 'comment'; previous = previous.previousNamedSibling) above.unshift(previous.text);
  return above;
}

/** The key/value pairs of a dict literal, or the keyword arguments of a call (`Result(ok=False)`). */
export function fieldPairs(value: PythonNode): [string, PythonNode][] {
  const pairs: [string, PythonNode][] = [];
  if (value.type === 'call') {
    for (const [name, argument] of callArguments(value).keywords) pairs.push([name, argument]);
  } else if (value.type === 'dictionary') {
    for (const pair of namedChildrenOf(value)) {
      if (pair.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const item = pair.childForFieldName('value');
      const name = key ? stringLiteral(key) : undefined;
      if (name !== undefined && item) pairs.push([name, item]);
    }
  }
  return pairs;
}
