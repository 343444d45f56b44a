// Where the project reads a workflow's outcome later, by its id, outside the code that starts it:
//
//   @router.get("/pipelines/{workflow_id}/result")
//   async def pipeline_result(workflow_id: str):
//       handle = client.get_workflow_handle(workflow_id)
//       return await handle.result()                      # the run's result, read by another request
//
//   progress = await client.get_workflow_handle(workflow_id).query(Pipeline.get_progress)
//
// `result()` on a handle from `get_workflow_handle_for(Workflow.run, id)` reads that workflow's
// result; on an untyped `get_workflow_handle(id)` it reads the result of some workflow the review
// cannot name, so it counts for every workflow. A query reads the state of the workflows that
// define it: `Workflow.get_progress` names the class, a string names the workflows with a query
// handler of that name. Code inside workflow classes is not read (it cannot wait for a run by id).
// workflow-failure-swallowed uses this so that it never says nobody reads a result the project
// fetches in another place.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

export interface PythonResultReader {
  location: SourceLocation;
  /** `result` or `query`. */
  kind: 'result' | 'query';
  /** The workflow types it may read; null when the handle names none (an untyped result()). */
  workflows: string[] | null;
}

const HANDLE_MAKERS = new Set(['get_workflow_handle', 'get_workflow_handle_for']);

export function pythonResultReaders(workflows: PythonWorkflow[], modules: PythonModules): PythonResultReader[] {
  const found: PythonResultReader[] = [];
  const workflowNodes = new Set(workflows.map((w) => w.node.id));
  for (const [file, parsed] of modules.files) {
    if (!parsed.text.includes('get_workflow_handle')) continue;
    for (const call of parsed.tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || callee?.type !== 'attribute') continue;
      const member = callee.childForFieldName('attribute')?.text;
      if (member !== 'result' && member !== 'query') continue;
      const cls = enclosing(call, ['class_definition']);
      if (cls && workflowNodes.has(cls.id)) continue;
      const object = callee.childForFieldName('object');
      const made = object ? handleMaker(unparenthesize(object), call) : undefined;
      if (!made) continue;
      const typed = made.typedAs ? workflowsOfClassText(made.typedAs, workflows) : null;
      if (member === 'result') {
        found.push({ location: locateNode(file, call), kind: 'result', workflows: typed });
        continue;
      }
      const queried = queriedWorkflows(call, workflows);
      const names = typed ? (queried ? queried.filter((name) => typed.includes(name)) : typed) : queried;
      if (names && names.length > 0) found.push({ location: locateNode(file, call), kind: 'query', workflows: names });
    }
  }
  return found;
}

/**
 * The `get_workflow_handle(...)` / `get_workflow_handle_for(...)` call the handle comes from: the
 * object itself, or a name the function assigns from such a call (every assignment of it).
 */
function handleMaker(object: PythonNode, use: PythonNode): { typedAs?: string } | undefined {
  const direct = makerCall(object);
  if (direct) return direct;
  if (object.type !== 'identifier') return undefined;
  const fn = enclosing(use, ['function_definition']);
  if (!fn) return undefined;
  let result: { typedAs?: string } | undefined;
  let other = false;
  for (const assignment of fn.descendantsOfType('assignment')) {
    if (!assignment || assignment.childForFieldName('left')?.text !== object.text) continue;
    if (enclosing(assignment, ['function_definition'])?.id !== fn.id) continue;
    const right = assignment.childForFieldName('right');
    const made = right ? makerCall(unparenthesize(right.type === 'await' ? namedChildrenOf(right)[0] ?? right : right)) : undefined;
    if (made) result ??= made;
    else other = true;
  }
  return other ? undefined : result;
}

function makerCall(node: PythonNode): { typedAs?: string } | undefined {
  if (node.type === 'await') return makerCall(unparenthesize(namedChildrenOf(node)[0] ?? node));
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  if (!method || !HANDLE_MAKERS.has(method)) return undefined;
  if (method === 'get_workflow_handle') return {};
  const args = callArguments(node);
  const workflow = args.keywords.get('workflow') ?? args.positional[0];
  return workflow ? { typedAs: workflow.text } : {};
}

/** `Pipeline.run`, `Pipeline` or `"Pipeline"`: the workflows of that class or type name. */
function workflowsOfClassText(text: string, workflows: PythonWorkflow[]): string[] | null {
  const literal = /^["'](.*)["']$/.exec(text)?.[1];
  const name = literal ?? text.replace(/\.run$/, '').split('.').pop()!;
  const matched = workflows.filter((w) => (literal ? w.name === name : w.className === name)).map((w) => w.name);
  return matched.length > 0 ? matched : null;
}

/** The workflows that define the query: `Pipeline.get_progress` (the class), `"get_progress"` (the handler name). */
function queriedWorkflows(call: PythonNode, workflows: PythonWorkflow[]): string[] | null {
  const first = callArguments(call).positional[0];
  if (!first) return null;
  const literal = stringLiteral(first);
  if (literal !== undefined) {
    const matched = workflows.filter((w) => w.handlers.some((h) => h.kind === 'query' && h.name === literal)).map((w) => w.name);
    return matched.length > 0 ? matched : null;
  }
  if (first.type === 'attribute') {
    const cls = first.childForFieldName('object')?.text.split('.').pop();
    const matched = workflows.filter((w) => w.className === cls).map((w) => w.name);
    return matched.length > 0 ? matched : null;
  }
  return null;
}
