// Python code that creates a schedule and takes "it already exists" as success:
// `await client.create_schedule(id, Schedule(...))` in a try whose except clause for
// ScheduleAlreadyRunningError (the SDK raises it when the schedule id is taken; it is a
// TemporalError) neither updates nor deletes the schedule. The same reading as the TypeScript
// side of schedule-create-ignores-existing, in Python's syntax: the clause that takes the error is
// the first one naming ScheduleAlreadyRunningError, or a broader one (TemporalError, Exception,
// bare) whose text tests for it; a `.update(...)` or `.delete(...)` call in that clause or in the
// function holding the create (directly or in a project function it calls, two levels) counts as
// applying the current definition. A clause that raises hands the error on: no finding.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, exceptClauses } from './python-caught-errors.js';
import { callArguments, enclosing, locateNode, namedChildrenOf, stringLiteral } from './python-syntax.js';

/** The error the client raises for an existing schedule id, by class, name or message. */
const ALREADY_RUNNING = /ScheduleAlreadyRunning|already\s*(exists|running)|AlreadyExists|ALREADY_EXISTS/i;
/** The classes an except clause may name that take ScheduleAlreadyRunningError. */
const TAKING = new Set(['ScheduleAlreadyRunningError', 'TemporalError', 'Exception', 'BaseException']);

export interface IgnoredExistingSchedule {
  /** The except clause that takes the error as success. */
  location: SourceLocation;
  /** The create_schedule call. */
  createLocation: SourceLocation;
  /** The schedule id as written, when it is a string literal. */
  scheduleId: string | null;
}

export function pythonSchedulesIgnoringExisting(files: string[], modules: PythonModules): IgnoredExistingSchedule[] {
  const found: IgnoredExistingSchedule[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      if (!call || !isCreateSchedule(call, file, modules)) continue;
      const clause = clauseTakingExisting(call);
      if (!clause) continue;
      const block = namedChildrenOf(clause).find((child) => child.type === 'block');
      // A clause that raises (the error itself, or the project's own "already exists" error after
      // logging it) hands the failure to its caller: the existing schedule is not taken as success.
      if (block && raises(block)) continue;
      const fn = enclosing(call, ['function_definition']);
      if ((fn && changesSchedule(fn, file, modules, 0)) || (block && changesSchedule(block, file, modules, 0))) continue;
      const args = callArguments(call);
      const idNode = args.keywords.get('id') ?? args.positional[0];
      found.push({ location: locateNode(file, clause), createLocation: locateNode(file, call), scheduleId: idNode ? (stringLiteral(idNode) ?? null) : null });
    }
  }
  return found;
}

/** `client.create_schedule(...)`: a method of that name on a client, not on a project module or class (a wrapper of its own). */
function isCreateSchedule(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'create_schedule') return false;
  const object = callee.childForFieldName('object');
  if (object?.type !== 'identifier') return true;
  if (modules.importsOf(file).get(object.text)?.file) return false;
  const definition = modules.lookupAt(file, object.text, call);
  return definition?.kind !== 'class' && definition?.kind !== 'function';
}

/** The except clause that receives ScheduleAlreadyRunningError from an awaited call, when the code tells that error apart. */
function clauseTakingExisting(call: PythonNode): PythonNode | undefined {
  let awaited = false;
  let child: PythonNode = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition' || node.type === 'module') return undefined;
    if (node.type === 'await') awaited = true;
    if (node.type !== 'try_statement' || node.childForFieldName('body')?.id !== child.id) continue;
    if (!awaited) return undefined;
    const clauses = exceptClauses(node);
    if (clauses.length === 0) continue;
    const clause = clauses.find((candidate) => candidate.classes.length === 0 || candidate.classes.some((c) => TAKING.has(className(c))));
    if (!clause || clause.node.type !== 'except_clause') return undefined;
    return ALREADY_RUNNING.test(clause.node.text) ? clause.node : undefined;
  }
  return undefined;
}

/**
 * A raise among the clause's own statements (not under an `if`: a clause that raises only when the
 * message is not "already running" still takes the existing schedule as success).
 */
function raises(block: PythonNode): boolean {
  return namedChildrenOf(block).some((statement) => statement.type === 'raise_statement');
}

/** A `.update(...)` or `.delete(...)` call in the node, or in a project function it calls (two levels). */
function changesSchedule(node: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  for (const call of node.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (!callee) continue;
    if (callee.type === 'attribute' && /^(update|delete)$/.test(callee.childForFieldName('attribute')?.text ?? '')) return true;
    if (depth >= 2) continue;
    const target = calledFunction(call!, callee, file, modules);
    if (target && target.node.id !== node.id && changesSchedule(target.node, target.file, modules, depth + 1)) return true;
  }
  return false;
}

function calledFunction(call: PythonNode, callee: PythonNode, file: string, modules: PythonModules): { node: PythonNode; file: string } | undefined {
  if (callee.type === 'identifier') {
    const definition = modules.lookupAt(file, callee.text, call);
    return definition?.kind === 'function' ? { node: definition.node, file: definition.file } : undefined;
  }
  if (callee.type === 'attribute' && /^(self|cls)$/.test(callee.childForFieldName('object')?.text ?? '')) {
    const name = callee.childForFieldName('attribute')?.text;
    const body = enclosing(call, ['class_definition'])?.childForFieldName('body');
    for (const member of body ? namedChildrenOf(body) : []) {
      const definition = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
      if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === name) return { node: definition, file };
    }
  }
  return undefined;
}
