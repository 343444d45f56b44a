// Shared helpers for model tests: build a fixture's model once per test file, find declarations
// by name, and turn resolved values into plain data for exact assertions.

import path from 'node:path';
import ts from 'typescript';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import type { StaticValue, TemporalModel } from '../../src/model/typescript/types.js';

export const fixturesDir = path.resolve(import.meta.dirname, '..', 'fixtures');

const built = new Map<string, ReturnType<typeof buildTemporalModel>>();

export function fixtureModel(name: string): ReturnType<typeof buildTemporalModel> {
  let result = built.get(name);
  if (!result) {
    result = buildTemporalModel({ root: path.join(fixturesDir, name) });
    built.set(name, result);
  }
  return result;
}

/** The initializer of `const <name>` in a file of the model. */
export function initializerOf(model: TemporalModel, relativeFile: string, name: string): ts.Expression {
  const sourceFile = model.sourceFile(path.join(model.root, relativeFile));
  if (!sourceFile) throw new Error(`no source file ${relativeFile}`);
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) found = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (!found) throw new Error(`no const ${name} in ${relativeFile}`);
  return found;
}

/** Plain data for a resolved value: primitives as themselves, unknowns as { unknown: text }. */
export function plain(value: StaticValue | undefined): unknown {
  if (!value) return value;
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.configurable ? { value: value.value, env: value.configurable.env } : value.value;
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'array':
      return value.elements.map(plain);
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, property] of value.properties) result[key] = plain(property);
      if (value.unknownSpreads.length > 0) result['...'] = value.unknownSpreads.map((s) => s.text);
      return result;
    }
    default:
      return { unknown: value.text };
  }
}

export function rel(model: TemporalModel, file: string): string {
  return path.relative(model.root, file).split(path.sep).join('/');
}

export function at(model: TemporalModel, location: { file: string; line: number; column?: number }): string {
  return `${rel(model, location.file)}:${location.line}`;
}
