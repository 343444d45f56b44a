// Names the code reads from a temporalio module that no release of the SDK has: `workflow.RetryPolicy`
// (RetryPolicy lives in temporalio.common), `activity.heartbeat_details`. Python finds out only when
// the line runs: an AttributeError (or an ImportError for `from temporalio.workflow import X`, when
// the module loads). In workflow code that fails the workflow task, which the server retries until
// the code changes. The names are every top-level name of each module in any published release
// (temporalio-names.ts), so a project pinned to an old SDK is not told a name it has is missing.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { catchesAll, className, enclosingTries, exceptClauses } from './python-caught-errors.js';
import { qualifiedNameOf } from './python-origins.js';
import { enclosing, locateNode } from './python-syntax.js';
import { TEMPORALIO_NAMES } from './temporalio-names.js';

export interface MissingSdkName {
  location: SourceLocation;
  /** `temporalio.workflow` */
  module: string;
  /** The name the module does not have, e.g. `RetryPolicy`. */
  name: string;
  /** The text as written (`workflow.RetryPolicy`). */
  text: string;
  /** `attribute` when read at run time, `import` when a from-import names it. */
  kind: 'attribute' | 'import';
  /** Where it runs: inside a workflow class, an activity, or other code. */
  context: 'workflow' | 'activity' | 'other';
  /** The module that has the name, when one of the others does (`temporalio.common`). */
  foundIn?: string;
  /**
   * Workflow code only: the `except` clauses (one per path) that take the AttributeError on its
   * way out, in the function or around every call of the helper method holding the read up to the
   * run method, and do not raise again (python-activity-call-handling.ts, pythonRaisedHandling):
   * the run takes the handler's path instead of failing the workflow task.
   */
  caughtBy?: SourceLocation[];
}

const KNOWN = new Map(Object.entries(TEMPORALIO_NAMES).map(([module, names]) => [module, new Set(names)]));

export function missingSdkNames(
  files: string[],
  modules: PythonModules,
  contextOf: (node: PythonNode, file: string) => MissingSdkName['context'],
  caughtBy?: (node: PythonNode, file: string) => SourceLocation[] | undefined,
): MissingSdkName[] {
  const found: MissingSdkName[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root || !root.text.includes('temporalio')) continue;
    for (const node of root.descendantsOfType(['attribute', 'import_from_statement'])) {
      if (!node) continue;
      const missing = node.type === 'attribute' ? missingAttribute(node, file, modules) : importGuarded(node, root) ? [] : missingImports(node);
      for (const { module, name, at } of missing) {
        const foundIn = [...KNOWN].find(([other, names]) => other !== module && names.has(name))?.[0];
        const context = contextOf(node, file);
        const caught = context === 'workflow' && node.type === 'attribute' ? caughtBy?.(at, file) : undefined;
        found.push({
          location: locateNode(file, at),
          module,
          name,
          text: at.text.replace(/\s+/g, ''),
          kind: node.type === 'attribute' ? 'attribute' : 'import',
          context,
          ...(foundIn ? { foundIn } : {}),
          ...(caught?.length ? { caughtBy: caught } : {}),
        });
      }
    }
  }
  return found;
}

/**
 * `activity.ApplicationError` read where `activity` is temporalio.activity, which has no such name:
 * the module and the name (reading it raises AttributeError). Undefined for any other expression.
 */
export function missingSdkAttribute(node: PythonNode, file: string, modules: PythonModules): { module: string; name: string } | undefined {
  if (node.type !== 'attribute') return undefined;
  const [found] = missingAttribute(node, file, modules);
  return found ? { module: found.module, name: found.name } : undefined;
}

/** `workflow.RetryPolicy` where `workflow` is temporalio.workflow (also `temporalio.workflow.X`). */
function missingAttribute(node: PythonNode, file: string, modules: PythonModules): { module: string; name: string; at: PythonNode }[] {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  if (!object || !attribute) return [];
  let head = object;
  while (head.type === 'attribute' && head.childForFieldName('object')) head = head.childForFieldName('object')!;
  if (head.type !== 'identifier') return [];
  const module = qualifiedNameOf(object, file, modules);
  const names = module ? KNOWN.get(module) : undefined;
  if (!module || !names || names.has(attribute.text)) return [];
  // `for activity in activities: activity.name` in a file that imports temporalio.activity
  // (checked last: it reads the whole enclosing function)
  if (boundLocally(head)) return [];
  return [{ module, name: attribute.text, at: node }];
}

/** What a failed from-import raises, with its bases: ImportError (not ModuleNotFoundError, its subclass). */
const IMPORT_ERROR_CHAIN = ['ImportError', 'Exception', 'BaseException'];

/**
 * `try: from temporalio.client import X` / `except ImportError: from temporalio.exceptions import
 * X`: a try around the import has a clause that takes the ImportError (ImportError, or a catch-all)
 * and raises nothing, so the module still loads and the fallback decides what the name is.
 */
function importGuarded(statement: PythonNode, root: PythonNode): boolean {
  return enclosingTries(statement, root).some((tryStatement) => {
    const clause = exceptClauses(tryStatement).find((c) => catchesAll(c) || c.classes.some((cls) => IMPORT_ERROR_CHAIN.includes(className(cls))));
    return !!clause && !clause.node.descendantsOfType('raise_statement').length;
  });
}

/** `from temporalio.workflow import RetryPolicy`. */
function missingImports(statement: PythonNode): { module: string; name: string; at: PythonNode }[] {
  const module = statement.childForFieldName('module_name')?.text.replace(/\s+/g, '');
  const names = module ? KNOWN.get(module) : undefined;
  if (!module || !names) return [];
  const missing: { module: string; name: string; at: PythonNode }[] = [];
  for (const item of statement.childrenForFieldName('name')) {
    if (!item) continue;
    const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
    if (name && !names.has(name)) missing.push({ module, name, at: item });
  }
  return missing;
}

/** Node types whose identifiers bind a name in a function (parameters, targets of for, with, except). */
const BINDING_PARENTS = new Set(['parameters', 'typed_parameter', 'default_parameter', 'typed_default_parameter', 'lambda_parameters', 'as_pattern_target', 'pattern_list', 'tuple_pattern', 'list_pattern', 'global_statement', 'nonlocal_statement']);

/** The name is a parameter or a local of an enclosing function (or lambda, or comprehension). */
function boundLocally(head: PythonNode): boolean {
  for (let scope = enclosing(head, SCOPES); scope; scope = enclosing(scope, SCOPES)) {
    for (const identifier of scope.descendantsOfType('identifier')) {
      if (!identifier || identifier.text !== head.text) continue;
      const parent = identifier.parent;
      if (!parent) continue;
      if (BINDING_PARENTS.has(parent.type)) return true;
      if ((parent.type === 'assignment' || parent.type === 'augmented_assignment' || parent.type === 'named_expression') && parent.childForFieldName(parent.type === 'named_expression' ? 'name' : 'left')?.id === identifier.id) return true;
      if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('left')?.id === identifier.id) return true;
    }
  }
  return false;
}

const SCOPES = ['function_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];
