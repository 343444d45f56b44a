// A project helper that starts a workflow whose type it takes as a parameter:
//
//     async def start_workflow(client, workflow_type, workflow_id, args=()):
//         return await client.start_workflow(workflow_type, *args, id=workflow_id, task_queue=...)
//
//     await start_workflow(client, workflow_type="daily_digest", workflow_id=...)
//
// The start's candidate types are the ones every visible caller passes for that parameter
// (positionally, by keyword, or by leaving it to its default), as TypeScript does for a start
// helper (extract-starts.ts). Any caller the reader cannot follow (the helper passed on as a
// value, imported under another name, a `*args` or `**kwargs` that may carry the parameter, a
// value that names no type) leaves the type unknown: a caller out of sight may pass any workflow.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import type { ProjectIndex } from './python-project-index.js';
import { sameNode } from './python-project-index.js';
import { parametersOf, rebound } from './python-activity-wrappers.js';
import { callArguments, decoratorsOf, enclosing, unparenthesize } from './python-syntax.js';
import type { TemporalCalls } from './python-temporal-calls.js';

/**
 * Fill `workflowTypeCandidates` of each start (client or child) whose workflow is a parameter of
 * the function it sits in, from what every caller of that function passes. `typeOf` reads one
 * value as a workflow type (python-temporal-calls.ts workflowTypeOf).
 */
export function resolveParameterWorkflowStarts(calls: TemporalCalls, index: ProjectIndex, typeOf: (node: PythonNode, file: string) => string | null): void {
  // the SDK start calls themselves: a helper named like the SDK method (`start_workflow`) is not called by them
  const sdkCalls = new Set(calls.startCalls.map((site) => site.call.id));
  calls.startCalls.forEach((site, i) => {
    const start = calls.starts[i];
    if (!start || start.workflowType !== null || start.workflowTypeCandidates) return;
    const args = site.forwarded?.args ?? callArguments(site.call);
    const first = args.positional[0] ?? args.keywords.get('workflow');
    const types = first ? parameterTypes(first, index, sdkCalls, typeOf) : undefined;
    if (types && types.length > 0) start.workflowTypeCandidates = types;
  });
}

function parameterTypes(argument: PythonNode, index: ProjectIndex, sdkCalls: Set<number>, typeOf: (node: PythonNode, file: string) => string | null): string[] | undefined {
  const name = unparenthesize(argument);
  if (name.type !== 'identifier') return undefined;
  const fn = enclosing(name, ['function_definition', 'lambda', 'class_definition']);
  if (fn?.type !== 'function_definition') return undefined;
  const parameters = parametersOf(fn);
  const parameter = parameters.find((p) => p.name === name.text);
  if (!parameter || parameter.kind === 'args' || parameter.kind === 'kwargs' || rebound(fn, name.text)) return undefined;
  // a decorated function (a route, a task) has callers the reader cannot see
  if (decoratorsOf(fn).some((d) => !/^(?:staticmethod|classmethod)$/.test(d.expression.text))) return undefined;
  const owner = enclosing(fn, ['class_definition', 'function_definition']);
  const method = owner?.type === 'class_definition';
  const isStatic = decoratorsOf(fn).some((d) => d.expression.text === 'staticmethod');
  const positional = parameters.filter((p) => p.kind === 'positional');
  const position = positional.findIndex((p) => p.name === name.text) - (method && !isStatic ? 1 : 0);
  const fnName = fn.childForFieldName('name')?.text;
  const fnFile = fileOf(fn, index.modules);
  if (!fnName || !fnFile) return undefined;
  const types: string[] = [];
  let callers = 0;
  for (const use of index.byName.get(fnName) ?? []) {
    const parent = use.node.parent;
    if (!parent) return undefined;
    // the definition itself
    if (sameNode(parent, fn)) continue;
    // `from app.client import start_workflow` under its own name: the calls follow by name
    if (parent.type === 'dotted_name' && enclosing(parent, ['import_from_statement'])) {
      if (parent.parent?.type === 'aliased_import') return undefined;
      continue;
    }
    let call: PythonNode | undefined;
    if (parent.type === 'call' && sameNode(parent.childForFieldName('function')!, use.node)) {
      // `start_workflow(...)`: this function, when the name resolves to it here
      if (method) return undefined;
      const definition = index.modules.lookupAt(use.file, use.node.text, use.node);
      if (!definition) return undefined;
      if (definition.kind !== 'function' || !sameNode(definition.node, fn)) continue;
      call = parent;
    } else if (parent.type === 'attribute' && sameNode(parent.childForFieldName('attribute')!, use.node)) {
      const outer = parent.parent;
      if (outer?.type === 'call' && sdkCalls.has(outer.id)) continue;
      if (outer?.type !== 'call' || !sameNode(outer.childForFieldName('function')!, parent)) return undefined;
      const receiver = parent.childForFieldName('object');
      if (method) {
        // `self.start(...)` inside the same class
        if (receiver?.type !== 'identifier' || !/^(?:self|cls)$/.test(receiver.text) || !sameNode(enclosing(outer, ['class_definition']) ?? outer, owner!)) return undefined;
      } else {
        // `client_module.start_workflow(...)`: the module holding this function
        const binding = receiver?.type === 'identifier' ? index.modules.importBindingAt(use.file, receiver.text, receiver) : undefined;
        if (binding?.kind !== 'module' || binding.file !== fnFile) return undefined;
      }
      call = outer;
    } else if (parent.type === 'function_definition' && sameNode(parent.childForFieldName('name')!, use.node)) {
      // another definition of the same name (a method, a fake) is not a caller
      continue;
    } else if (parent.type === 'keyword_argument' && sameNode(parent.childForFieldName('name')!, use.node)) {
      // `start_workflow=` as a keyword name
      continue;
    } else {
      // passed on as a value, or a local of the same name: callers out of sight
      return undefined;
    }
    const passed = callArguments(call);
    let value = passed.keywords.get(name.text);
    let file = use.file;
    if (!value && parameter.kind === 'positional' && position >= 0 && !passed.starred) value = passed.positional[position];
    if (!value) {
      // `*args` / `**kwargs` may carry it; else the default, read where the helper is written
      if (passed.starred || passed.spreads.length > 0 || !parameter.fallback) return undefined;
      value = parameter.fallback;
      file = fnFile;
    }
    const type = typeOf(value, file);
    if (type === null) return undefined;
    callers++;
    if (!types.includes(type)) types.push(type);
  }
  return callers > 0 ? types : undefined;
}

function fileOf(node: PythonNode, modules: PythonModules): string | undefined {
  let root: PythonNode = node;
  while (root.parent) root = root.parent;
  for (const [file, parsed] of modules.files) if (sameNode(parsed.tree.rootNode, root)) return file;
  return undefined;
}
