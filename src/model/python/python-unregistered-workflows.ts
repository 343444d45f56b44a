// Python workflow classes that no worker registers and that the project does not start: a
// `@workflow.defn` class missing from every `Worker(workflows=[...])`, judged only when every
// worker's list was read, at least one worker registers some workflow, and no plugin (which can add
// workflows to a worker) is given to a worker or a client. A class another class derives from (a
// base) is left out. Where else the project names the class or its type (a map a start helper picks
// from, a schedule's type string) is kept: a start whose type is read at run time may use it.

import path from 'node:path';
import type { SourceLocation } from '../types.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorker, PythonWorkflow } from './python-temporal-calls.js';
import { callArguments, decoratorsOf, enclosing, locateNode, namedChildrenOf, stringLiteral } from './python-syntax.js';
import { isToolCode } from '../tool-code.js';

export interface UnregisteredWorkflow {
  /** The workflow type (the class name when the decorator's name is not a literal). */
  name: string;
  /** The decorator's `name=` is an expression the review cannot read (`f'{VERSION}_cluster'`). */
  nameUnread: boolean;
  className: string;
  /** The class name. */
  location: SourceLocation;
  /** Other places in the project that name the class or its type (imports left out). */
  mentions: SourceLocation[];
}

export function pythonUnregisteredWorkflows(root: string, files: string[], modules: PythonModules, workflows: PythonWorkflow[], workers: PythonWorker[]): UnregisteredWorkflow[] {
  if (workers.length === 0 || workers.some((worker) => worker.workflowNames === 'unknown')) return [];
  if (!workflows.some((workflow) => workflow.workerIds.length > 0)) return [];
  if (usesPlugins(files, modules)) return [];
  const found: UnregisteredWorkflow[] = [];
  for (const workflow of workflows) {
    if (workflow.workerIds.length > 0) continue;
    if (isToolCode(path.relative(root, workflow.file).split(path.sep).join('/'))) continue;
    const mentions: SourceLocation[] = [];
    let base = false;
    // The decorator (`@workflow.defn(name=...)`) is part of the definition.
    const definition = workflow.node.parent?.type === 'decorated_definition' ? workflow.node.parent : workflow.node;
    for (const file of files) {
      const rootNode = modules.files.get(file)?.tree.rootNode;
      if (!rootNode || !(rootNode.text.includes(workflow.className) || rootNode.text.includes(workflow.name))) continue;
      for (const identifier of rootNode.descendantsOfType('identifier')) {
        if (!identifier || identifier.text !== workflow.className) continue;
        if (inside(identifier, definition)) continue;
        if (enclosing(identifier, ['import_from_statement', 'import_statement'])) continue;
        // `obj.PredictiveRiskWorkflow` of something else is not the class.
        const parent = identifier.parent;
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) {
          const object = parent.childForFieldName('object');
          if (object?.type !== 'identifier' || modules.importBindingAt(file, object.text, identifier)?.kind !== 'module') continue;
        }
        if (enclosing(identifier, ['argument_list'])?.parent?.type === 'class_definition') base = true;
        mentions.push(locateNode(file, identifier));
      }
      for (const literal of rootNode.descendantsOfType('string')) {
        if (!literal || inside(literal, definition)) continue;
        const text = stringLiteral(literal);
        if (text === workflow.name || text === workflow.className) mentions.push(locateNode(file, literal));
      }
    }
    if (base) continue;
    found.push({ name: workflow.name, className: workflow.className, nameUnread: nameUnread(workflow, modules), location: workflow.location, mentions });
  }
  return found;
}

/** `@workflow.defn(name=<not a string literal>)`. */
function nameUnread(workflow: PythonWorkflow, modules: PythonModules): boolean {
  const decorator = decoratorsOf(workflow.node).find((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.defn');
  const args = decorator?.call ? callArguments(decorator.call) : undefined;
  const override = args?.keywords.get('name') ?? args?.positional[0];
  return override !== undefined && stringLiteral(override) === undefined;
}

function inside(node: { startIndex: number; endIndex: number }, outer: { startIndex: number; endIndex: number }): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/** A `plugins=` argument given to a call that is a Worker, a Client.connect or a Client: a plugin may register workflows. */
export function usesPlugins(files: string[], modules: PythonModules): boolean {
  for (const file of files) {
    const rootNode = modules.files.get(file)?.tree.rootNode;
    if (!rootNode || !rootNode.text.includes('plugins')) continue;
    for (const call of rootNode.descendantsOfType('call')) {
      if (!call) continue;
      const args = callArguments(call);
      if (!args.keywords.has('plugins')) continue;
      const plugins = args.keywords.get('plugins')!;
      if (plugins.type === 'list' && namedChildrenOf(plugins).length === 0) continue;
      return true;
    }
  }
  return false;
}
