// Calls named start_workflow / execute_workflow that do not start a workflow themselves: an
// interceptor handing the call on (`super().execute_workflow(input)`, `self.next.start_workflow(input)`)
// and the project's own wrappers (`TemporalClient.start_workflow(...)` on a class or module of the
// project, or an instance of a project class such as `service = WorkflowService(client)`), whose
// body holds the real client call, which is reviewed where it is written.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { parameterName, parameterOf, localValues } from './python-local-values.js';
import { namedChildrenOf, unparenthesize } from './python-syntax.js';

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
    if (projectWrapperInstance(target, file, modules)) return true;
  }
  return false;
}

/**
 * A local holding an instance of a project class that is not a Temporal client:
 * `service = WorkflowService(client)` then `await service.start_workflow(...)`, or a parameter
 * annotated with such a class. The class's own method holds the real client call.
 */
function projectWrapperInstance(name: PythonNode, file: string, modules: PythonModules): boolean {
  const values = localValues(name, file);
  if (values) {
    return values.every(({ node }) => {
      const value = unparenthesize(node.type === 'await' ? (node.namedChildren[0] ?? node) : node);
      if (value.type !== 'call') return false;
      const callee = value.childForFieldName('function');
      return !!callee && callee.type === 'identifier' && wrapperClass(callee.text, file, modules, name);
    });
  }
  const fn = parameterOf(name);
  const parameters = fn?.childForFieldName('parameters');
  if (!parameters) return false;
  for (const parameter of namedChildrenOf(parameters)) {
    if (parameterName(parameter) !== name.text) continue;
    const annotation = parameter.childForFieldName('type');
    const typeName = annotation ? unparenthesize(namedChildrenOf(annotation)[0] ?? annotation) : undefined;
    return typeName?.type === 'identifier' && wrapperClass(typeName.text, file, modules, name);
  }
  return false;
}

/** A class defined in the project whose bases do not name the SDK's Client. */
function wrapperClass(className: string, file: string, modules: PythonModules, at: PythonNode): boolean {
  const definition = modules.lookupAt(file, className, at);
  if (definition?.kind !== 'class') return false;
  const bases = definition.node.childForFieldName('superclasses');
  return !bases || !namedChildrenOf(bases).some((base) => /\bClient\b/.test(base.text));
}
