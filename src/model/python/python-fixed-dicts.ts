// Dicts whose keys the code fixes: a function that returns a dict literal with string keys (or a
// local built as one) returns a record of those keys, whatever its `dict[str, int]` annotation
// says. Writes that need the key to exist (`counts[name] += 1`) or that name a literal key keep it
// fixed; a write of a computed key, `update`, `setdefault` or `**` unpacking does not.

import type { PythonNode } from './parse-python.js';
import { returnValues } from './python-origins.js';
import { descendantsInScope, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

/** True when every value `fn` returns is a dict whose keys the function fixes. */
export function returnsFixedKeyDict(fn: PythonNode): boolean {
  const values = returnValues(fn);
  return values.length > 0 && values.every((value) => fixedKeys(unparenthesize(value), fn));
}

function fixedKeys(value: PythonNode, fn: PythonNode): boolean {
  if (value.type === 'dictionary') return literalKeysOnly(value);
  if (value.type !== 'identifier') return false;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let built = false;
  let open = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && left.text === value.text) {
        if (right && unparenthesize(right).type === 'dictionary' && literalKeysOnly(unparenthesize(right))) built = true;
        else open = true;
      } else if (left && isSubscriptOf(left, value.text) && !literalSubscript(left)) open = true;
    }
    // `counts.update(...)`, `counts.setdefault(key, ...)` add keys.
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const object = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (object?.text === value.text && (method === 'update' || method === 'setdefault' || method === '__setitem__')) open = true;
    }
  });
  return built && !open;
}

function literalKeysOnly(dictionary: PythonNode): boolean {
  const entries = namedChildrenOf(dictionary).filter((c) => c.type !== 'comment');
  return entries.length > 0 && entries.every((entry) => entry.type === 'pair' && stringLiteral(entry.childForFieldName('key')!) !== undefined);
}

function isSubscriptOf(node: PythonNode, name: string): boolean {
  return node.type === 'subscript' && node.childForFieldName('value')?.text === name;
}

function literalSubscript(node: PythonNode): boolean {
  const key = node.childForFieldName('subscript');
  return !!key && stringLiteral(key) !== undefined;
}
