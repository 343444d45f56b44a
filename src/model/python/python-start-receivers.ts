// Calls named start_workflow / execute_workflow that do not start a workflow themselves: an
// interceptor handing the call on (`super().execute_workflow(input)`, `self.next.start_workflow(input)`)
// and the project's own wrappers (`TemporalClient.start_workflow(...)` on a class or module of the
// project), whose body holds the real client call, which is reviewed where it is written.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { unparenthesize } from './python-syntax.js';

export function isPassThroughStart(callee: PythonNode, file: string, modules: PythonModules): boolean {
  const object = callee.childForFieldName('object');
  if (!object) return false;
  const target = unparenthesize(object);
  if (target.type === 'call' && target.childForFieldName('function')?.text === 'super') return true;
  if (target.type === 'attribute' && /^_?next$/.test(target.childForFieldName('attribute')?.text ?? '')) return true;
  if (target.type === 'identifier') {
    const definition = modules.lookup(file, target.text);
    if (definition?.kind === 'class') return true;
    const binding = modules.importsOf(file).get(target.text);
    if (binding?.kind === 'module' && binding.file) return true;
  }
  return false;
}
