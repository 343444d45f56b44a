// Where an except clause of Python workflow code takes the ContinueAsNewError that
// `workflow.continue_as_new(...)` raises, directly in the try body or through a helper of the
// project the try calls (one level), and does not raise it again. ContinueAsNewError derives from
// BaseException, not Exception (temporalio 1.35.0, temporalio/workflow/_workflow_ops.py), so
// `except Exception:` lets it through; only a bare `except:` or `except BaseException:` takes it
// (Python picks the first clause whose class matches, so an `except Exception:` before it is
// skipped). An `except ContinueAsNewError:` names it on purpose and is left alone. The re-raise is
// read as in TypeScript (typescript/caught-continue-as-new.ts): a bare `raise` or `raise e` of the
// alias, on the path the exception takes through the clause, with `isinstance(e, X)` weighed
// (it holds for ContinueAsNewError and BaseException only).

import type { CaughtContinueAsNew } from '../caught-continue-as-new.js';
import type { PythonNode } from './parse-python.js';
import { className, enclosingTries, exceptClauses, type ExceptClause } from './python-caught-errors.js';
import type { PythonModules } from './python-modules.js';
import { enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const NO = 0;
const MAYBE = 1;
const YES = 2;
type Tri = 0 | 1 | 2;
const and = (a: Tri, b: Tri): Tri => Math.min(a, b) as Tri;
const or = (a: Tri, b: Tri): Tri => Math.max(a, b) as Tri;
const not = (a: Tri): Tri => (2 - a) as Tri;
/** Classes a ContinueAsNewError is an instance of (the SDK's private subclass included). */
const CONTINUE_AS_NEW_CLASSES = new Set(['ContinueAsNewError', '_ContinueAsNewError', 'BaseException', 'object']);
const NESTED = new Set(['function_definition', 'lambda', 'class_definition']);

interface Hit {
  file: string;
  clause: ExceptClause;
  call: PythonNode;
  callFile: string;
  via?: string;
  reading: Reading;
}

interface Reading {
  verdict: 'rethrows' | 'swallows' | 'unclear' | 'named';
  outcome: CaughtContinueAsNew['outcome'];
  unclearAt?: PythonNode;
}

export function pythonCaughtContinueAsNew(files: string[], modules: PythonModules): CaughtContinueAsNew[] {
  const hits = new Map<number, Hit[]>();
  const add = (hit: Hit) => hits.set(hit.clause.node.id, [...(hits.get(hit.clause.node.id) ?? []), hit]);
  const escaping = new Map<number, { fn: PythonNode; call: PythonNode; file: string; name: string }>();
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree || !tree.rootNode.text.includes('continue_as_new')) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee || modules.qualifiedName(file, callee) !== CONTINUE_AS_NEW) continue;
      const fn = enclosing(call, ['function_definition']);
      const taken = firstTaking(call, fn, file, modules);
      if (taken) add({ file, ...taken, call, callFile: file });
      else if (fn && taken === undefined) {
        const name = fn.childForFieldName('name')?.text;
        if (name && !escaping.has(fn.id)) escaping.set(fn.id, { fn, call, file, name });
      }
    }
  }
  if (escaping.size > 0) {
    const names = new Set([...escaping.values()].map((e) => e.name));
    for (const file of files) {
      const tree = modules.files.get(file)?.tree;
      if (!tree || ![...names].some((name) => tree.rootNode.text.includes(name))) continue;
      for (const call of tree.rootNode.descendantsOfType('call')) {
        if (!call) continue;
        const helper = helperCalled(call, file, modules, escaping);
        if (!helper) continue;
        // An async helper runs only when its coroutine is awaited.
        if (isAsync(helper.fn) && call.parent?.type !== 'await') continue;
        const taken = firstTaking(call, enclosing(call, ['function_definition']), file, modules);
        if (taken) add({ file, ...taken, call: helper.call, callFile: helper.file, via: helper.name });
      }
    }
  }
  const found: CaughtContinueAsNew[] = [];
  for (const list of hits.values()) {
    const first = list[0]!;
    const { clause, reading } = first;
    const fn = enclosing(clause.node, ['function_definition']);
    found.push({
      location: locateNode(first.file, clause.node),
      callLocation: locateNode(first.callFile, first.call),
      otherCalls: list.slice(1).map((hit) => locateNode(hit.callFile, hit.call)),
      ...(first.via ? { via: first.via } : {}),
      verdict: reading.verdict === 'unclear' ? 'unclear' : 'swallows',
      outcome: reading.outcome,
      caught: clause.classes.length === 0 ? 'except:' : `except ${clause.classes.map((c) => c.text).join(', ')}${clause.alias ? ` as ${clause.alias}` : ''}`,
      ...(reading.unclearAt ? { unclearAt: { location: locateNode(first.file, reading.unclearAt), text: shortText(reading.unclearAt) } } : {}),
      inLoop: inLoop(clause.node),
      ...(fn?.childForFieldName('name') ? { functionName: fn.childForFieldName('name')!.text } : {}),
    });
  }
  found.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return found;
}

/**
 * The innermost clause around the node (within its function) that takes a ContinueAsNewError and
 * does not surely raise it again; null when a clause names ContinueAsNewError on purpose (the code
 * handles it itself), undefined when it leaves the function.
 */
function firstTaking(node: PythonNode, fn: PythonNode | undefined, file: string, modules: PythonModules): { clause: ExceptClause; reading: Reading } | null | undefined {
  const stop = fn?.childForFieldName('body') ?? rootOf(node);
  for (const tryStatement of enclosingTries(node, stop)) {
    const clause = exceptClauses(tryStatement).find((candidate) => candidate.node.type === 'except_clause' && takes(candidate));
    if (!clause) continue;
    if (clause.classes.some((c) => /ContinueAsNewError$/.test(className(c)))) return null;
    const reading = readClause(clause, file, modules);
    if (reading.verdict !== 'rethrows') return { clause, reading };
  }
  return undefined;
}

function rootOf(node: PythonNode): PythonNode {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

/** A bare `except:`, or a clause naming BaseException or ContinueAsNewError. */
function takes(clause: ExceptClause): boolean {
  return clause.classes.length === 0 || clause.classes.some((c) => ['BaseException', 'ContinueAsNewError'].includes(className(c)));
}

function isAsync(fn: PythonNode): boolean {
  return fn.children.some((child) => child?.type === 'async');
}

function helperCalled(call: PythonNode, file: string, modules: PythonModules, escaping: Map<number, { fn: PythonNode; call: PythonNode; file: string; name: string }>) {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'identifier') {
    const definition = modules.lookup(file, callee.text);
    return definition?.node ? escaping.get(definition.node.id) : undefined;
  }
  if (callee.type === 'attribute' && ['self', 'cls'].includes(callee.childForFieldName('object')?.text ?? '')) {
    const name = callee.childForFieldName('attribute')?.text;
    const cls = enclosing(call, ['class_definition']);
    for (const entry of escaping.values()) {
      if (entry.name === name && entry.file === file && cls && enclosing(entry.fn, ['class_definition'])?.id === cls.id) return entry;
    }
  }
  return undefined;
}

function inLoop(node: PythonNode): boolean {
  for (let current = node.parent; current && !NESTED.has(current.type); current = current.parent) {
    if (current.type === 'for_statement' || current.type === 'while_statement') return true;
  }
  return false;
}

function shortText(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function blockOf(clause: PythonNode): PythonNode | undefined {
  return namedChildrenOf(clause).find((c) => c.type === 'block');
}

function readClause(clause: ExceptClause, file: string, modules: PythonModules): Reading {
  const block = blockOf(clause.node);
  if (!block) return { verdict: 'swallows', outcome: 'goes-on' };
  const alias = clause.alias;
  let best = NO as Tri;
  let bestUnclear: PythonNode | undefined;
  let again = NO as Tri;
  let againAt: PythonNode | undefined;
  let unclearAt: PythonNode | undefined;
  const isContinueAsNew = (call: PythonNode) => {
    const callee = call.childForFieldName('function');
    return !!callee && modules.qualifiedName(file, callee) === CONTINUE_AS_NEW;
  };

  const condition = (expression: PythonNode): Tri => {
    const value = unparenthesize(expression);
    if (value.type === 'not_operator') {
      const operand = value.childForFieldName('argument');
      return operand ? not(condition(operand)) : MAYBE;
    }
    if (value.type === 'boolean_operator') {
      const left = value.childForFieldName('left');
      const right = value.childForFieldName('right');
      if (!left || !right) return MAYBE;
      return value.childForFieldName('operator')?.text === 'and' ? and(condition(left), condition(right)) : or(condition(left), condition(right));
    }
    if (value.type === 'call' && value.childForFieldName('function')?.text === 'isinstance') {
      const [target, classes] = namedChildrenOf(value.childForFieldName('arguments')!);
      if (!target || !classes || !alias || unparenthesize(target).text !== alias) return MAYBE;
      const list = unparenthesize(classes);
      const names = (list.type === 'tuple' ? namedChildrenOf(list) : [list]).map(className);
      return names.some((name) => CONTINUE_AS_NEW_CLASSES.has(name)) ? YES : NO;
    }
    return MAYBE;
  };

  const exits = (statement: PythonNode): boolean => {
    if (['return_statement', 'raise_statement', 'break_statement', 'continue_statement'].includes(statement.type)) return true;
    if (statement.type === 'block') return namedChildrenOf(statement).some(exits);
    return false;
  };
  const containsExit = (node: PythonNode): boolean =>
    !NESTED.has(node.type) && (node.type === 'return_statement' || node.type === 'raise_statement' || namedChildrenOf(node).some(containsExit));

  const passes = (statement: PythonNode): Tri => {
    if (exits(statement)) return NO;
    if (statement.type === 'if_statement') {
      const branches = namedChildrenOf(statement).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause');
      const consequence = statement.childForFieldName('consequence');
      const test = statement.childForFieldName('condition');
      if (branches.length === 0 && consequence && test && exits(consequence)) {
        const tri = condition(test);
        if (tri === MAYBE) unclearAt ??= test;
        return not(tri);
      }
    }
    if (containsExit(statement)) {
      unclearAt ??= statement;
      return MAYBE;
    }
    return YES;
  };

  const path = (site: PythonNode): Tri => {
    let tri: Tri = YES;
    for (let current: PythonNode = site; current.id !== block.id && current.parent; current = current.parent) {
      const parent = current.parent;
      if (parent.type === 'block') {
        for (const earlier of namedChildrenOf(parent)) {
          if (earlier.id === current.id) break;
          tri = and(tri, passes(earlier));
        }
      } else if (parent.type === 'if_statement' && parent.childForFieldName('consequence')?.id === current.id) {
        const test = parent.childForFieldName('condition');
        const value = test ? condition(test) : MAYBE;
        if (value === MAYBE) unclearAt ??= test ?? parent;
        tri = and(tri, value);
      } else if (['elif_clause', 'else_clause', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'case_clause'].includes(parent.type)) {
        if (parent.type !== 'with_statement') {
          tri = and(tri, MAYBE);
          unclearAt ??= parent;
        }
      }
      if (tri === NO) return NO;
    }
    return tri;
  };

  const visit = (node: PythonNode): void => {
    for (const child of namedChildrenOf(node)) {
      if (NESTED.has(child.type)) continue;
      if (child.type === 'raise_statement') {
        const raised = namedChildrenOf(child)[0];
        const same = !raised || (alias !== undefined && unparenthesize(raised).text === alias);
        if (same) {
          unclearAt = undefined;
          const tri = path(child);
          if (tri > best) {
            best = tri;
            bestUnclear = unclearAt;
          }
        }
      } else if (child.type === 'call' && isContinueAsNew(child)) {
        unclearAt = undefined;
        const tri = path(child);
        if (tri > again) {
          again = tri;
          againAt = child;
        }
      }
      visit(child);
    }
  };
  visit(block);

  const last = namedChildrenOf(block).at(-1);
  const raisedCall = last?.type === 'raise_statement' ? namedChildrenOf(last)[0] : undefined;
  const raisedName = raisedCall?.type === 'call' ? className(raisedCall.childForFieldName('function') ?? raisedCall) : undefined;
  const lastCall = last?.type === 'expression_statement' ? namedChildrenOf(last)[0] : undefined;
  const outcome: CaughtContinueAsNew['outcome'] =
    last?.type === 'return_statement'
      ? 'returns'
      : last?.type === 'raise_statement'
        ? raisedName === 'ApplicationError'
          ? 'throws-failure'
          : 'throws-other'
        : lastCall?.type === 'call' && isContinueAsNew(lastCall)
          ? 'continues-again'
          : 'goes-on';
  if (best === YES) return { verdict: 'rethrows', outcome };
  if (best === MAYBE) return { verdict: 'unclear', outcome, ...(bestUnclear ? { unclearAt: bestUnclear } : {}) };
  if (again > NO && againAt) return { verdict: 'unclear', outcome: 'continues-again', unclearAt: againAt };
  return { verdict: 'swallows', outcome };
}
