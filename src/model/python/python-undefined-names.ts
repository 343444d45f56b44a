// Bare names that activity or workflow code reads but nothing binds: `llm = make_llm()` in an
// activity of a module that neither defines nor imports make_llm. Python finds out only when the
// line runs, with a NameError: in an activity every attempt that reaches the line fails the same
// way, so the retry policy retries a failure no retry can fix; in workflow code the error fails the
// workflow task, which the server retries until the code changes.
//
// A name counts as bound when any scope that can see it binds it (an assignment, a for or with
// target, an except or match capture, a walrus, del, a parameter, a nested def or class, an
// import, global / nonlocal), when the module binds it anywhere at its top level (conditional
// definitions and try/except imports included), when a builtin has it (python-builtin-names.ts)
// or when it is a module dunder. A module that can bind names in ways a reading cannot follow
// (`from x import *`, exec / eval, globals() / locals() / vars(), a module __getattr__, patched
// builtins, sys.modules) is skipped whole, and so is a file with a syntax error. A read no path
// reaches (after a return, a raise, an if whose every branch returns or raises, a try whose body and
// every handler do) is not reported. A read inside a try that names NameError (or an exception the
// reading cannot tell apart from it: a project class, a tuple held in a variable) or inside
// `with suppress(...)` is not reported: that is probing on purpose. A read caught only by a broad
// handler (bare except, Exception, BaseException) is reported with the handler: the NameError does
// not fail the call, the fallback runs on every call instead.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { PYTHON_BUILTIN_NAMES } from './python-builtin-names.js';
import { classMembers, locateNode, moduleStatements, namedChildrenOf } from './python-syntax.js';

export interface UndefinedName {
  location: SourceLocation;
  name: string;
  /** Activity or workflow code. */
  context: 'activity' | 'workflow';
  /** The activity function or workflow class the code belongs to. */
  owner: string;
  /** The function the read is in, when it is a helper the activity or workflow calls (same module). */
  via?: string;
  /** The broad except clause (bare, Exception, BaseException) that takes the NameError and does not raise again. */
  caught?: { line: number; clause: string };
}

export interface UndefinedNameRoots {
  file: string;
  /** Activity function definitions of the file. */
  activities: { node: PythonNode; name: string }[];
  /** Workflow class definitions of the file. */
  workflows: { node: PythonNode; name: string }[];
}

const BUILTINS = new Set(PYTHON_BUILTIN_NAMES);
/** Names every module has (and `__class__`, the implicit cell of methods). */
const MODULE_DUNDERS = new Set(['__name__', '__file__', '__doc__', '__package__', '__spec__', '__loader__', '__path__', '__cached__', '__builtins__', '__annotations__', '__dict__', '__class__', '__module__', '__qualname__']);
/** Reads of these anywhere in the module mean names may be bound in ways a reading cannot follow. */
const DOUBT_NAMES = new Set(['exec', 'eval', 'execfile', 'globals', 'locals', 'vars', '__builtins__', 'builtins', '__builtin__', '__getattr__']);
/** gettext.install() puts `_` into builtins. */
const IGNORED = new Set(['_']);

const SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);
/** Nodes a target can nest its names in: `a, (b, *c) = ...`. */
const TARGET_CONTAINERS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat', 'expression_list']);
const PARAMETER_PARENTS = new Set(['parameters', 'lambda_parameters', 'list_splat_pattern', 'dictionary_splat_pattern', 'typed_parameter', 'default_parameter', 'typed_default_parameter']);
/** Exception types a `except X:` clause may name that cannot take a NameError. */
const NOT_NAME_ERROR = new Set(PYTHON_BUILTIN_NAMES.filter((name) => /(Error|Exception|Warning|Exit|Interrupt|Iteration|Group)$/.test(name) && !['Exception', 'BaseException', 'NameError', 'BaseExceptionGroup', 'ExceptionGroup'].includes(name)));

export function pythonUndefinedNames(roots: UndefinedNameRoots[], rootOf: (file: string) => PythonNode | undefined, hasSyntaxError: (file: string) => boolean): UndefinedName[] {
  const found: UndefinedName[] = [];
  for (const { file, activities, workflows } of roots) {
    if (!activities.length && !workflows.length) continue;
    const root = rootOf(file);
    if (!root || hasSyntaxError(file) || doubtful(root)) continue;
    const reader = new ModuleReader(root);
    const seen = new Set<string>();
    const report = (reads: UnboundRead[], context: UndefinedName['context'], owner: string) => {
      for (const { node, via, caught } of reads) {
        const key = `${node.startIndex}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const handler = caught ? { line: locateNode(file, caught).line, clause: exceptHead(caught) } : undefined;
        found.push({ location: locateNode(file, node), name: node.text, context, owner, ...(via ? { via } : {}), ...(handler ? { caught: handler } : {}) });
      }
    };
    for (const activity of activities) report(reader.unboundReads([activity.node]), 'activity', activity.name);
    for (const workflow of workflows) {
      const methods = classMembers(workflow.node).filter((member) => member.type === 'function_definition');
      report(reader.unboundReads(methods), 'workflow', workflow.name);
    }
  }
  return found;
}

/** A module that can bind names where a reading does not see it. */
/**
 * Every name a module binds at its top level (definitions, assignments, imports, conditional ones
 * included, and names some function declares global), or undefined when the module can bind names
 * a reading cannot follow (star imports, exec, globals(), a module __getattr__, sys.modules).
 */
export function moduleTopLevelNames(root: PythonNode): Set<string> | undefined {
  return doubtful(root) ? undefined : new ModuleReader(root).topLevelNames();
}

function doubtful(root: PythonNode): boolean {
  if (/\bsys\.modules\b/.test(root.text)) return true;
  if (root.descendantsOfType('wildcard_import').length) return true;
  for (const identifier of root.descendantsOfType('identifier')) {
    if (!identifier || !DOUBT_NAMES.has(identifier.text)) continue;
    // a module-level def __getattr__; a class's own makes attributes, not module names
    if (identifier.text === '__getattr__') {
      if (atModuleLevel(identifier)) return true;
      continue;
    }
    // a read or an import of exec, globals, builtins...; `model.eval()`, `def eval(self)`,
    // `f(vars=...)` touch no name of the module
    if (bindingKind(identifier) === undefined) return true;
  }
  return false;
}

function atModuleLevel(node: PythonNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return false;
    if (current.type === 'function_definition' && current.childForFieldName('name')?.id !== node.id) return false;
  }
  return true;
}

interface UnboundRead {
  node: PythonNode;
  via?: string;
  /** The broad except clause that takes the NameError (of the read, or of the call that led to the helper). */
  caught?: PythonNode;
}

class ModuleReader {
  private readonly scopeBindings = new Map<number, Set<string>>();
  private readonly moduleBindings: Set<string>;
  /** Module-level functions by name (the last definition wins, as at run time; any conditional one counts). */
  private readonly functions = new Map<string, PythonNode>();

  constructor(private readonly root: PythonNode) {
    this.moduleBindings = this.bindingsOf(root);
    // `global x` in any function binds x in the module once that function runs.
    for (const statement of root.descendantsOfType('global_statement')) {
      for (const identifier of statement ? namedChildrenOf(statement) : []) if (identifier.type === 'identifier') this.moduleBindings.add(identifier.text);
    }
    for (const statement of moduleStatements(root)) {
      const name = statement.type === 'function_definition' ? statement.childForFieldName('name')?.text : undefined;
      if (name) this.functions.set(name, statement);
    }
  }

  topLevelNames(): Set<string> {
    return new Set(this.moduleBindings);
  }

  /** Reads of unbound names in the functions and in the same-module functions they call (three calls deep). */
  unboundReads(entries: PythonNode[]): UnboundRead[] {
    const reads: UnboundRead[] = [];
    const done = new Set<number>();
    let queue = entries.map((fn) => ({ fn, via: undefined as string | undefined, caught: undefined as PythonNode | undefined }));
    for (let depth = 0; depth < 4 && queue.length; depth++) {
      const next: typeof queue = [];
      for (const { fn, via, caught } of queue) {
        if (done.has(fn.id)) continue;
        done.add(fn.id);
        const body = fn.childForFieldName('body');
        if (!body) continue;
        const reach = new Reach();
        for (const identifier of body.descendantsOfType('identifier')) {
          if (!identifier || !this.isRead(identifier) || this.isBound(identifier)) continue;
          const guard = guarded(identifier, body);
          if (guard === 'skip' || reach.unreachable(identifier, body)) continue;
          const handler = guard ?? caught;
          reads.push({ node: identifier, ...(via ? { via } : {}), ...(handler ? { caught: handler } : {}) });
        }
        for (const call of body.descendantsOfType('call')) {
          const callee = call?.childForFieldName('function');
          if (!call || !callee) continue;
          const guard = guarded(call, body);
          if (guard === 'skip' || reach.unreachable(call, body)) continue;
          const target = this.calledFunction(callee, fn);
          if (target && !entries.some((entry) => entry.id === target.id)) next.push({ fn: target, via: target.childForFieldName('name')?.text ?? via, caught: guard ?? caught });
        }
      }
      queue = next;
    }
    return reads;
  }

  /** `helper()` (a module-level function) or `self.helper()` (a method of the same class). */
  private calledFunction(callee: PythonNode, fn: PythonNode): PythonNode | undefined {
    if (callee.type === 'identifier') {
      if (this.boundInFunctions(callee)) return undefined;
      return this.functions.get(callee.text);
    }
    if (callee.type !== 'attribute') return undefined;
    const object = callee.childForFieldName('object');
    const attribute = callee.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || (object.text !== 'self' && object.text !== 'cls') || !attribute) return undefined;
    let classNode = fn.parent;
    while (classNode && classNode.type !== 'class_definition') classNode = classNode.parent;
    if (!classNode) return undefined;
    return classMembers(classNode).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === attribute);
  }

  /** A bare name the code loads (not a target, parameter, keyword, attribute name, import or annotation). */
  private isRead(identifier: PythonNode): boolean {
    if (IGNORED.has(identifier.text) || BUILTINS.has(identifier.text) || MODULE_DUNDERS.has(identifier.text)) return false;
    for (let node: PythonNode | null = identifier.parent; node; node = node.parent) {
      // annotations of locals are never evaluated; match patterns and imports bind
      if (['type', 'case_pattern', 'import_statement', 'import_from_statement', 'future_import_statement', 'global_statement', 'nonlocal_statement', 'type_parameter', 'decorator'].includes(node.type)) return false;
      if (node.type === 'block' || node.type === 'module') break;
    }
    return bindingKind(identifier) === undefined;
  }

  /** Bound in an enclosing function, lambda or class (class scope only for code right in it), the module or nowhere. */
  private isBound(identifier: PythonNode): boolean {
    if (this.boundInFunctions(identifier)) return true;
    return this.moduleBindings.has(identifier.text);
  }

  private boundInFunctions(identifier: PythonNode): boolean {
    let first = true;
    for (let node: PythonNode | null = identifier.parent; node; node = node.parent) {
      if (!SCOPES.has(node.type)) continue;
      // a class's names are visible to code right in its body, not to its methods; its type
      // parameters (`class Id[T: str]`) are visible to both
      if (node.type !== 'class_definition' || first) {
        if (this.bindingsOf(node).has(identifier.text)) return true;
      } else if (node.childForFieldName('type_parameters')?.descendantsOfType('identifier').some((name) => name?.text === identifier.text)) return true;
      first = false;
    }
    return false;
  }

  /** Every name the scope binds (comprehension variables count for the scope around them). */
  private bindingsOf(scope: PythonNode): Set<string> {
    const cached = this.scopeBindings.get(scope.id);
    if (cached) return cached;
    const names = new Set<string>();
    this.scopeBindings.set(scope.id, names);
    const visit = (node: PythonNode) => {
      for (const child of namedChildrenOf(node)) {
        if (child.type === 'identifier') {
          if (bindingKind(child) !== undefined || insideBindingStatement(child, scope)) names.add(child.text);
          continue;
        }
        if (SCOPES.has(child.type)) {
          // a nested def or class binds its name here; its body is its own scope
          const name = child.type === 'lambda' ? undefined : child.childForFieldName('name');
          if (name) names.add(name.text);
          // default values and decorators are evaluated here; what they bind (walrus) counts too
          continue;
        }
        visit(child);
      }
    };
    if (scope.type === 'module') visit(scope);
    else {
      for (const field of ['parameters', 'type_parameters', 'body']) {
        const part = scope.childForFieldName(field);
        if (part) {
          if (part.type === 'identifier') continue;
          visit(part);
        }
      }
    }
    return names;
  }
}

/** How an identifier binds a name where it stands, or undefined when it is not a binding. */
function bindingKind(identifier: PythonNode): string | undefined {
  const parent = identifier.parent;
  if (!parent) return undefined;
  if ((parent.type === 'function_definition' || parent.type === 'class_definition') && parent.childForFieldName('name')?.id === identifier.id) return 'definition';
  if (PARAMETER_PARENTS.has(parent.type)) {
    if (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') return parent.childForFieldName('name')?.id === identifier.id ? 'parameter' : undefined;
    if (parent.type === 'list_splat_pattern' || parent.type === 'dictionary_splat_pattern') return parent.parent && (parent.parent.type === 'parameters' || parent.parent.type === 'lambda_parameters' || parent.parent.type === 'typed_parameter') ? 'parameter' : targetKind(identifier);
    return 'parameter';
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) return 'keyword';
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) return 'attribute';
  if (parent.type === 'named_expression' && parent.childForFieldName('name')?.id === identifier.id) return 'walrus';
  if (parent.type === 'as_pattern' && parent.childForFieldName('alias')?.id === identifier.id) return 'as';
  if (parent.type === 'keyword_pattern') return 'pattern';
  return targetKind(identifier);
}

/** A name in an assignment, for, with, except or del target. */
function targetKind(identifier: PythonNode): string | undefined {
  let node = identifier;
  while (node.parent && TARGET_CONTAINERS.has(node.parent.type)) node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'as_pattern_target') return 'as';
  if (parent.type === 'delete_statement') return 'del';
  if ((parent.type === 'assignment' || parent.type === 'augmented_assignment' || parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('left')?.id === node.id) return 'target';
  return undefined;
}

/** Names bound by imports, global / nonlocal, match patterns and type parameters of the scope. */
function insideBindingStatement(identifier: PythonNode, scope: PythonNode): boolean {
  for (let node: PythonNode | null = identifier.parent; node && node.id !== scope.id; node = node.parent) {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        return importBinds(identifier, node);
      case 'global_statement':
      case 'nonlocal_statement':
      case 'case_pattern':
      case 'type_parameter':
        return true;
      case 'type':
        // `type X = ...` binds X
        if (node.parent?.type === 'type_alias_statement' && node.parent.childForFieldName('left')?.id === node.id) return true;
        break;
    }
  }
  return false;
}

/** `import a.b` binds a, `import a.b as c` binds c, `from m import x` binds x, `from m import x as y` binds y. */
function importBinds(identifier: PythonNode, statement: PythonNode): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (parent.type === 'aliased_import') return parent.childForFieldName('alias')?.id === identifier.id;
  if (parent.type !== 'dotted_name') return false;
  if (statement.type === 'import_from_statement' && statement.childForFieldName('module_name')?.id === parent.id) return false;
  if (parent.parent?.type === 'relative_import' || parent.parent?.type === 'aliased_import') return false;
  return parent.namedChildren[0]?.id === identifier.id;
}

/**
 * How a try around the node, up to the function body, treats a NameError it raises: 'skip' inside a
 * try with an except clause that names NameError or an exception the reading cannot tell apart from
 * it (a project class, a tuple in a variable, ExceptionGroup), or inside `with suppress(...)`; the
 * except clause when a broad one (bare, Exception, BaseException) takes it and does not always raise
 * again; undefined when nothing catches it.
 */
function guarded(node: PythonNode, body: PythonNode): 'skip' | PythonNode | undefined {
  for (let child = node, parent = node.parent; parent && child.id !== body.id; child = parent, parent = parent.parent) {
    if (parent.type === 'try_statement' && parent.childForFieldName('body')?.id === child.id) {
      const clauses = namedChildrenOf(parent).filter((clause) => clause.type === 'except_clause' || clause.type === 'except_group_clause');
      const kinds = clauses.map((clause) => ({ clause, kind: nameErrorCatch(clause) }));
      if (kinds.some(({ kind }) => kind === 'named')) return 'skip';
      const broad = kinds.find(({ kind }) => kind === 'broad');
      // a handler that raises on every path hands the error on to the try around it
      if (broad && !blockTerminates(handlerBlock(broad.clause), new Map(), ['raise_statement'])) return broad.clause;
    }
    if (parent.type === 'with_statement' && /\bsuppress\b/.test(parent.childForFieldName('body') ? parent.text.slice(0, (parent.childForFieldName('body')?.startIndex ?? 0) - parent.startIndex) : '')) return 'skip';
  }
  return undefined;
}

const BROAD = new Set(['Exception', 'BaseException']);

/** 'broad' for a bare except, Exception or BaseException; 'named' when it may name NameError some other way; 'no' when it cannot take one. */
function nameErrorCatch(clause: PythonNode): 'broad' | 'named' | 'no' {
  if (clause.type === 'except_group_clause') return 'named';
  let value = clause.childForFieldName('value') ?? namedChildrenOf(clause).find((child) => child.type !== 'block');
  if (!value) return 'broad'; // bare except
  if (value.type === 'as_pattern') value = namedChildrenOf(value)[0];
  if (!value) return 'named';
  const names = value.type === 'tuple' || value.type === 'parenthesized_expression' ? namedChildrenOf(value).flatMap((name) => (name.type === 'tuple' ? namedChildrenOf(name) : [name])) : [value];
  if (names.some((name) => name.type !== 'identifier' || (!NOT_NAME_ERROR.has(name.text) && !BROAD.has(name.text)))) return 'named';
  return names.some((name) => BROAD.has(name.text)) ? 'broad' : 'no';
}

function handlerBlock(clause: PythonNode): PythonNode | undefined {
  return namedChildrenOf(clause).find((child) => child.type === 'block');
}

/** `except Exception` (the clause's head, as written, without its alias). */
function exceptHead(clause: PythonNode): string {
  const head = clause.text.slice(0, (handlerBlock(clause)?.startIndex ?? clause.endIndex) - clause.startIndex).replace(/\s+as\s+\w+\s*:?\s*$/, '').replace(/\s*:\s*$/, '');
  return head.replace(/\s+/g, ' ').trim();
}

/** Code no path reaches: after a statement of the same block that returns or raises on every path. */
class Reach {
  private readonly terminating = new Map<number, boolean>();

  unreachable(node: PythonNode, body: PythonNode): boolean {
    for (let child = node, parent = node.parent; parent && child.id !== body.id; child = parent, parent = parent.parent) {
      if (parent.type !== 'block') continue;
      for (const statement of namedChildrenOf(parent)) {
        if (statement.startIndex >= child.startIndex) break;
        if (statementTerminates(statement, this.terminating, ['return_statement', 'raise_statement'])) return true;
      }
    }
    return false;
  }
}

/**
 * The block never falls through: one of its statements ends every path in one of `ends` (return,
 * raise). Only what a reading can be sure of counts: a return or raise, an if whose every branch (an
 * else included) ends so, a try whose body (or else) and every handler end so, or whose finally
 * does. Loops, with blocks (a context manager can swallow the exception) and match do not count.
 */
function blockTerminates(block: PythonNode | undefined | null, memo: Map<number, boolean>, ends: string[]): boolean {
  if (!block) return false;
  return namedChildrenOf(block).some((statement) => statementTerminates(statement, memo, ends));
}

function statementTerminates(statement: PythonNode, memo: Map<number, boolean>, ends: string[]): boolean {
  const known = memo.get(statement.id);
  if (known !== undefined) return known;
  let result = false;
  if (ends.includes(statement.type)) result = true;
  else if (statement.type === 'if_statement') {
    const alternatives = statement.childrenForFieldName('alternative').filter((n): n is PythonNode => n !== null);
    result =
      blockTerminates(statement.childForFieldName('consequence'), memo, ends) &&
      alternatives.some((alternative) => alternative.type === 'else_clause') &&
      alternatives.every((alternative) => blockTerminates(alternative.childForFieldName(alternative.type === 'else_clause' ? 'body' : 'consequence'), memo, ends));
  } else if (statement.type === 'try_statement') {
    const parts = namedChildrenOf(statement);
    const finallyBlock = parts.find((part) => part.type === 'finally_clause');
    const elseBlock = parts.find((part) => part.type === 'else_clause')?.childForFieldName('body');
    const handlers = parts.filter((part) => part.type === 'except_clause' || part.type === 'except_group_clause');
    result =
      (finallyBlock !== undefined && blockTerminates(handlerBlock(finallyBlock), memo, ends)) ||
      ((blockTerminates(statement.childForFieldName('body'), memo, ends) || blockTerminates(elseBlock, memo, ends)) && handlers.every((handler) => blockTerminates(handlerBlock(handler), memo, ends)));
  }
  memo.set(statement.id, result);
  return result;
}
