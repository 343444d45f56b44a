// Sets of local names: the names a binding pattern declares, and whether code mentions any of them.

import ts from 'typescript';

/** Whether an identifier in `node` is one of `names`. */
export function mentionsAnyName(node: ts.Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(current) && names.has(current.text)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** Add the names a binding declares (`x`, `{ a, b: c }`, `[d, ...e]`) to `names`. */
export function addBindingNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) names.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, names);
}
