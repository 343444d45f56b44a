// Python client code that looks a workflow up by an id it makes anew (workflow-handle-id-regenerated):
//
//   async def cancel_scan(user_id: str) -> None:
//       handle = client.get_workflow_handle(f"scan-{user_id}-{uuid4()}")   # a new id: never the running one
//       await handle.cancel()
//
// The id passed to `get_workflow_handle(...)` / `get_workflow_handle_for(..., id)` is read as a
// start's id is (python-start-ids.ts): random when a part of it is a fresh value at every call
// (`uuid4()`, `time.time()`, `datetime.now()`, `secrets.token_hex()`), written in place, held in
// a name the function assigns once, or returned by a project function. A function that also starts
// a workflow may look up the run it has just started with the same value, and is left alone.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { pythonIdExpressionShape } from './python-start-ids.js';
import { callArguments, enclosing, locateNode } from './python-syntax.js';

export interface RegeneratedHandleId {
  location: SourceLocation;
  /** `client.get_workflow_handle`, as written. */
  callee: string;
  /** The id expression as written, on one line. */
  idText: string;
  /** The function around the call. */
  functionName: string | null;
}

const STARTS_IN_FUNCTION = /\b(?:start_workflow|execute_workflow|signal_with_start_workflow|start_child_workflow|execute_child_workflow)\s*\(|\bstart_signal\s*=/;

export function pythonRegeneratedHandleIds(files: string[], modules: PythonModules): RegeneratedHandleId[] {
  const found: RegeneratedHandleId[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree || !tree.rootNode.text.includes('get_workflow_handle')) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || callee?.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text;
      if (method !== 'get_workflow_handle' && method !== 'get_workflow_handle_for') continue;
      const args = callArguments(call);
      const id = args.keywords.get('workflow_id') ?? args.positional[method === 'get_workflow_handle' ? 0 : 1];
      if (!id || pythonIdExpressionShape(id, file, modules) !== 'random') continue;
      const fn = enclosing(call, ['function_definition']);
      if (fn && STARTS_IN_FUNCTION.test(fn.text)) continue;
      found.push({ location: locateNode(file, call), callee: callee.text, idText: oneLine(id.text), functionName: fn?.childForFieldName('name')?.text ?? null });
    }
  }
  return found;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
