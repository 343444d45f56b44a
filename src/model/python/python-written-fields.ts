// Field names a Python project writes after construction: `x.f = v`, `setattr(x, "f", v)`,
// `dataclasses.replace(x, f=v)` / `model_copy(update={...})`. A payload field that no constructor
// passes may still be filled this way, so the producer reading counts it as set.

import type { PythonNode } from './parse-python.js';
import type { ClassConstructions, ClassRef } from './python-class-constructions.js';
import { enclosingClass, localValues, parameterName } from './python-local-values.js';
import { calleeName, type Located, type ProjectIndex } from './python-project-index.js';
import { callArguments, enclosing, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { payloadFields } from './python-type-graph.js';

/** True when the project may write the field after construction ('*': any field may be). */
export function writtenFields(index: ProjectIndex, classes: ClassConstructions): (field: string) => boolean {
  const { modules } = index;
  const written = new Set<string>();
  const dynamicWrites: Located[] = [];
  for (const { node, file } of index.calls) {
    const last = calleeName(node);
    if (last === 'setattr') dynamicWrites.push({ node, file });
    else if (last === 'replace' || last === 'evolve' || last === 'model_copy' || last === 'copy') {
      const args = callArguments(node);
      if (args.spreads.length > 0) written.add('*');
      for (const key of args.keywords.keys()) written.add(key);
      const update = args.keywords.get('update');
      if (update) for (const pair of update.type === 'dictionary' ? namedChildrenOf(update) : []) written.add(stringLiteral(pair.childForFieldName('key') ?? pair) ?? '*');
      if (update && update.type !== 'dictionary') written.add('*');
    }
  }

  /** The project class a name is annotated with as a parameter, or built from as a local. */
  const parameterClass = (object: PythonNode, file: string): ClassRef | undefined => {
    if (object.type !== 'identifier') return undefined;
    if (object.text === 'self') return enclosingClass(object, file);
    const fn = enclosing(object, ['function_definition']);
    const parameter = namedChildrenOf(fn?.childForFieldName('parameters') ?? object).find((p) => parameterName(p) === object.text);
    const annotation = parameter?.childForFieldName('type');
    const head = annotation ? namedChildrenOf(annotation)[0] : undefined;
    if (head && (head.type === 'identifier' || head.type === 'attribute')) return classes.projectClass(head, file);
    const values = localValues(object, file);
    const built = values?.length === 1 && values[0]!.node.type === 'call' ? values[0]!.node.childForFieldName('function') : undefined;
    return built ? classes.projectClass(built, file) : undefined;
  };

  /**
   * `deployment = Deployment.objects.create(...)`, then `deployment.snapshot = ...`: a local built
   * from a class that is not a payload class (an ORM model) is not a payload being filled in.
   */
  const builtAsOtherClass = (object: PythonNode, file: string): boolean => {
    if (object.type !== 'identifier') return false;
    const values = localValues(object, file);
    return (
      values !== undefined &&
      values.every((value) => {
        let head: PythonNode | null = unparenthesize(value.node);
        while (head && ['await', 'call', 'attribute'].includes(head.type)) head = head.type === 'await' ? namedChildrenOf(head)[0]! : head.type === 'call' ? head.childForFieldName('function') : head.childForFieldName('object');
        const definition = head?.type === 'identifier' ? modules.lookup(value.file, head.text) : undefined;
        return definition?.kind === 'class' && payloadFields(definition.node, definition.file, modules) === undefined;
      })
    );
  };

  let read = false;
  return (name: string) => {
    if (!read) {
      read = true;
      for (const write of index.attributeWrites) {
        const object = write.node.childForFieldName('object');
        if (!object || !builtAsOtherClass(object, write.file)) written.add(write.node.childForFieldName('attribute')?.text ?? '*');
      }
      // `setattr(snapshot, change.field, value)`: the fields of the object's class when the reader
      // knows it; on an object of unknown class it is taken for metaprogramming, not a payload.
      for (const write of dynamicWrites) {
        const [object, field] = callArguments(write.node).positional;
        const literal = field && stringLiteral(field);
        if (literal !== undefined) written.add(literal);
        const cls = object ? parameterClass(object, write.file) : undefined;
        for (const declared of (literal === undefined && cls && payloadFields(cls.node, cls.file, modules)) || []) written.add(declared.name);
      }
    }
    return written.has(name) || written.has('*');
  };
}
