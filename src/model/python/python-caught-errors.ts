// What the `try` statements of a Python function do with an exception raised inside them: which
// `except` clause takes it (Python picks the first clause whose class is the exception's class or
// one of its bases), and whether that clause lets it go on (a bare `raise`, `raise e` of the
// caught name) or stops it (it logs, returns, or raises something else: `raise ApplicationError(...)
// from e` is a raise of its own, counted where it is written). The same reading as the TypeScript
// front-end's caught throws (src/model/typescript/escaping-throws.ts), in Python's syntax.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { namedChildrenOf } from './python-syntax.js';

/** A builtin exception's bases up to Exception, for clauses (and failure-type lists) naming a base class. */
export const BUILTIN_BASES: Record<string, string[]> = {
  KeyError: ['LookupError'],
  IndexError: ['LookupError'],
  FileNotFoundError: ['OSError'],
  PermissionError: ['OSError'],
  ConnectionError: ['OSError'],
  TimeoutError: ['OSError'],
  NotImplementedError: ['RuntimeError'],
  RecursionError: ['RuntimeError'],
  UnicodeDecodeError: ['UnicodeError', 'ValueError'],
  UnicodeEncodeError: ['UnicodeError', 'ValueError'],
  ZeroDivisionError: ['ArithmeticError'],
  OverflowError: ['ArithmeticError'],
};

/** The raised class and its bases by name, nearest first: project classes followed through imports, builtins from a table. */
export function classChain(classNode: PythonNode | null | undefined, type: string, file: string, modules: PythonModules): string[] {
  const chain = [type];
  let current: { node: PythonNode; file: string } | undefined = classNode?.type === 'identifier' ? { node: classNode, file } : undefined;
  for (let depth = 0; current && depth < 6; depth++) {
    const definition = modules.lookup(current.file, current.node.text);
    if (definition?.kind !== 'class') break;
    const base = definition.node.childForFieldName('superclasses')?.namedChildren.find((b) => b && b.type !== 'keyword_argument' && b.type !== 'comment');
    if (!base) break;
    const name = base.type === 'attribute' ? (base.childForFieldName('attribute')?.text ?? '') : base.text;
    chain.push(name);
    current = base.type === 'identifier' ? { node: base, file: definition.file } : undefined;
  }
  chain.push(...(BUILTIN_BASES[chain[chain.length - 1]!] ?? []));
  return chain;
}

/** One `except` clause: the class expressions it names (empty for a bare `except:`) and its alias. */
export interface ExceptClause {
  node: PythonNode;
  /** `except (A, mod.B) as e` -> the nodes A and mod.B. */
  classes: PythonNode[];
  alias?: string;
}

export function exceptClauses(tryStatement: PythonNode): ExceptClause[] {
  const clauses: ExceptClause[] = [];
  for (const clause of namedChildrenOf(tryStatement)) {
    if (clause.type !== 'except_clause' && clause.type !== 'except_group_clause') continue;
    const value = namedChildrenOf(clause).find((c) => c.type !== 'block' && c.type !== 'comment');
    const types = value?.type === 'as_pattern' ? namedChildrenOf(value)[0] : value;
    const alias = value?.type === 'as_pattern' ? value.childForFieldName('alias')?.text : undefined;
    const classes = types?.type === 'tuple' || types?.type === 'parenthesized_expression' ? namedChildrenOf(types) : types ? [types] : [];
    clauses.push({ node: clause, classes, ...(alias ? { alias } : {}) });
  }
  return clauses;
}

export function className(node: PythonNode): string {
  return node.type === 'attribute' ? (node.childForFieldName('attribute')?.text ?? '') : node.text;
}

/** A clause that takes every exception: bare, `Exception` or `BaseException`. */
export function catchesAll(clause: ExceptClause): boolean {
  return clause.classes.length === 0 || clause.classes.some((c) => className(c) === 'Exception' || className(c) === 'BaseException');
}

/** The try statements whose body holds `node`, innermost first, up to (not including) `stop`. */
export function enclosingTries(node: PythonNode, stop: PythonNode): PythonNode[] {
  const tries: PythonNode[] = [];
  for (let current: PythonNode | null = node; current && current.id !== stop.id; current = current.parent) {
    const parent = current.parent;
    if (parent?.type === 'try_statement' && parent.childForFieldName('body')?.id === current.id) tries.push(parent);
  }
  return tries;
}

/** The classes the try statements around a node (within the function) catch, by name; 'all' for a bare except, Exception or BaseException. */
export function caughtAround(node: PythonNode, stop: PythonNode): string[] | 'all' {
  const caught: string[] = [];
  for (const tryStatement of enclosingTries(node, stop)) {
    for (const clause of exceptClauses(tryStatement)) {
      if (catchesAll(clause)) return 'all';
      caught.push(...clause.classes.map(className));
    }
  }
  return caught;
}

/**
 * Whether an exception of the given class chain, raised at `node`, leaves the function (`stop` is
 * its body). A clause that names a class the chain does not show (a library base the reviewer
 * cannot read) is taken not to catch it; an unknown chain is caught only by a catch-all clause.
 */
export function escapesTries(chain: string[] | undefined, node: PythonNode, stop: PythonNode): boolean {
  for (const tryStatement of enclosingTries(node, stop)) {
    const clause = exceptClauses(tryStatement).find((c) => catchesAll(c) || (chain !== undefined && c.classes.some((cls) => chain.includes(className(cls)))));
    if (clause && !reraises(clause)) return false;
  }
  return true;
}

/** The clause raises what it caught again: a bare `raise`, or `raise e` of its alias (outside nested functions). */
function reraises(clause: ExceptClause): boolean {
  const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
  if (!block) return false;
  let found = false;
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (found || child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (child.type === 'raise_statement') {
        const raised = namedChildrenOf(child)[0];
        if (!raised || (clause.alias !== undefined && raised.type === 'identifier' && raised.text === clause.alias)) found = true;
      }
      visit(child);
    }
  };
  visit(block);
  return found;
}

/**
 * The library exception classes an `except` clause around `raise` (the raise in its block) caught:
 * `except ClientError: raise StorageError(...)` wraps botocore's ClientError. Only classes imported
 * from outside the project count; builtins and the project's own classes do not (`except KeyError:
 * raise OrderNotFound()` turns a lookup into a business outcome).
 */
/** What a catch-all clause wraps, as named in messages. */
export const CATCH_ALL = 'any exception (a catch-all)';

export function wrappedLibraryErrors(raise: PythonNode, stop: PythonNode, file: string, modules: PythonModules): string[] {
  for (let current: PythonNode | null = raise.parent; current && current.id !== stop.id; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') return [];
    if (current.type !== 'except_clause' && current.type !== 'except_group_clause') continue;
    const clause = current.parent ? exceptClauses(current.parent).find((c) => c.node.id === current!.id) : undefined;
    if (!clause) return [];
    // `except Exception as e: raise ApplicationError(..., type='GIT_ERROR') from e`: one name for
    // every failure of the step, network and service failures included.
    if (catchesAll(clause)) return [CATCH_ALL];
    return clause.classes.filter((cls) => isLibraryClass(cls, file, modules)).map((cls) => className(cls));
  }
  return [];
}

function isLibraryClass(node: PythonNode, file: string, modules: PythonModules): boolean {
  let head = node;
  while (head.type === 'attribute') {
    const object = head.childForFieldName('object');
    if (!object) return false;
    head = object;
  }
  if (head.type !== 'identifier') return false;
  const binding = modules.importsOf(file).get(head.text);
  // Imported, and the import does not resolve into the project: a library's class.
  return binding !== undefined && binding.file === undefined && modules.lookup(file, head.text) === undefined;
}

/** A clause that raises what it caught again on every path: its caught classes, by name ('all' for a catch-all), and where. */
export interface Reraise {
  node: PythonNode;
  classes: string[] | 'all';
}

/**
 * What the try statements around a node (within the function) do with an exception raised there,
 * for workflow raises: the classes of the clauses that stop it (by name; 'all' when a catch-all
 * clause stops it), and the clauses that raise it again on every path (`except Exception: log;
 * raise`). A clause that re-raises only on some path (`if retryable: raise`) counts as stopping it.
 * Python picks the first matching clause; a catch-all that stops is taken to stop everything, so a
 * `except ValueError: raise` before it is not followed (silence rather than a guess).
 */
export function handledAround(node: PythonNode, stop: PythonNode): { caught: string[] | 'all'; reraises: Reraise[] } {
  const caught: string[] = [];
  const reraised: Reraise[] = [];
  for (const tryStatement of enclosingTries(node, stop)) {
    for (const clause of exceptClauses(tryStatement)) {
      const again = reraisesAlways(clause);
      if (again) {
        reraised.push({ node: again, classes: catchesAll(clause) ? 'all' : clause.classes.map(className) });
        continue;
      }
      if (catchesAll(clause)) return { caught: 'all', reraises: reraised };
      caught.push(...clause.classes.map(className));
    }
  }
  return { caught, reraises: reraised };
}

/**
 * The `raise` (bare, or `raise e` of the clause's alias) that ends every path of the clause: a
 * statement of the clause's own block, with no `return`, `break` or `continue` in the block that
 * could leave it first (nested functions aside).
 */
export function reraisesAlways(clause: ExceptClause): PythonNode | undefined {
  const block = namedChildrenOf(clause.node).find((c) => c.type === 'block');
  if (!block) return undefined;
  const again = namedChildrenOf(block).find((statement) => {
    if (statement.type !== 'raise_statement') return false;
    const raised = namedChildrenOf(statement)[0];
    return !raised || (clause.alias !== undefined && raised.type === 'identifier' && raised.text === clause.alias && namedChildrenOf(statement).length === 1);
  });
  if (!again) return undefined;
  let leaves = false;
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (leaves || child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (child.startIndex >= again.startIndex) return;
      if (child.type === 'return_statement' || child.type === 'break_statement' || child.type === 'continue_statement') leaves = true;
      // A raise of something else before it (`if bad: raise ApplicationError(...)`) leaves on that path.
      if (child.type === 'raise_statement') leaves = true;
      visit(child);
    }
  };
  visit(block);
  return leaves ? undefined : again;
}
