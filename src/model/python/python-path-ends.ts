// Statements after which a Python path does not go on: `return`, `raise`, and
// `workflow.continue_as_new(...)`, which raises ContinueAsNewError to end the run (the SDK's
// continue_as_new is typed NoReturn). Code after such a call in the same block never runs, and a
// value tested with `if x is not None: workflow.continue_as_new(x)` is None past the test.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { namedChildrenOf, unparenthesize } from './python-syntax.js';

const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';

/** `workflow.continue_as_new(...)` as a statement (awaited or not). */
export function isContinueAsNew(statement: PythonNode, file: string, modules: PythonModules): boolean {
  if (statement.type !== 'expression_statement') return false;
  let expression = namedChildrenOf(statement)[0];
  if (expression?.type === 'await') expression = namedChildrenOf(expression)[0];
  if (!expression) return false;
  const call = unparenthesize(expression);
  const callee = call.type === 'call' ? call.childForFieldName('function') : undefined;
  return !!callee && modules.qualifiedName(file, callee) === CONTINUE_AS_NEW;
}

/** The statement ends the path: return, raise, or continue-as-new. */
export function endsPath(statement: PythonNode, file: string, modules: PythonModules): boolean {
  return statement.type === 'return_statement' || statement.type === 'raise_statement' || isContinueAsNew(statement, file, modules);
}

/** A block whose last statement ends the path (a branch that never falls through). */
export function blockEndsPath(block: PythonNode | null | undefined, file: string, modules: PythonModules): boolean {
  const last = block ? namedChildrenOf(block).at(-1) : undefined;
  return last !== undefined && endsPath(last, file, modules);
}

/**
 * True when every `return` of the function gives None: a bare `return`, `return None`, or `return
 * x` where an earlier statement of the same block is `if x is not None: <ends the path>` (with no
 * else) and nothing assigns x in between. A function that falls off its end returns None too.
 */
export function returnsOnlyNone(fn: PythonNode, file: string, modules: PythonModules): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  let onlyNone = true;
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (!onlyNone || child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (child.type === 'yield') onlyNone = false;
      if (child.type === 'return_statement') {
        const value = namedChildrenOf(child)[0];
        if (value && value.type !== 'none' && !(value.type === 'identifier' && noneBefore(child, value.text, file, modules))) onlyNone = false;
      }
      visit(child);
    }
  };
  visit(body);
  return onlyNone;
}

/** `name` is None at `statement`: an earlier sibling `if name is not None: <ends>` and no assignment to it after that. */
function noneBefore(statement: PythonNode, name: string, file: string, modules: PythonModules): boolean {
  const block = statement.parent;
  if (!block) return false;
  let none = false;
  for (const sibling of namedChildrenOf(block)) {
    if (sibling.id === statement.id) return none;
    if (sibling.type === 'if_statement') {
      const condition = sibling.childForFieldName('condition');
      const branches = namedChildrenOf(sibling).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause');
      if (condition && branches.length === 0 && isNotNoneTest(condition, name) && blockEndsPath(sibling.childForFieldName('consequence'), file, modules)) {
        none = true;
        continue;
      }
    }
    if (assigns(sibling, name)) none = false;
  }
  return false;
}

function isNotNoneTest(condition: PythonNode, name: string): boolean {
  const expression = unparenthesize(condition);
  return expression.type === 'comparison_operator' && /^(\w+)\s+is\s+not\s+None$/.exec(expression.text)?.[1] === name;
}

function assigns(statement: PythonNode, name: string): boolean {
  return statement.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a?.childForFieldName('left')?.text === name);
}
