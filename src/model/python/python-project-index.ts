// Every identifier and call of a Python project, indexed once: the readers that ask "who builds
// this class", "who calls this function" or "who writes this field" look names up here instead of
// walking every tree again.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';

export interface Located {
  node: PythonNode;
  file: string;
}

export interface ProjectIndex {
  modules: PythonModules;
  /** Every identifier of the project by its text. */
  byName: Map<string, Located[]>;
  calls: Located[];
  /** `x.f = v` targets (with a value other than None). */
  attributeWrites: Located[];
}

export function indexProject(files: string[], modules: PythonModules): ProjectIndex {
  const byName = new Map<string, Located[]>();
  const calls: Located[] = [];
  const attributeWrites: Located[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const node of root.descendantsOfType('identifier')) {
      if (!node) continue;
      const list = byName.get(node.text) ?? [];
      list.push({ node, file });
      byName.set(node.text, list);
    }
    for (const call of root.descendantsOfType('call')) if (call) calls.push({ node: call, file });
    for (const assignment of root.descendantsOfType('assignment')) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'attribute' && right?.type !== 'none') attributeWrites.push({ node: left, file });
    }
  }
  return { modules, byName, calls, attributeWrites };
}

/** The last name of a call's callee: `replace` for `dataclasses.replace(...)`. */
export function calleeName(call: PythonNode): string | undefined {
  const callee = call.childForFieldName('function');
  return callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
}

export function sameNode(a: PythonNode, b: PythonNode): boolean {
  return a.id === b.id;
}
