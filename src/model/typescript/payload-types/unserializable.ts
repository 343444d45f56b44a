// Finds the parts of a payload type that the SDK's default payload converter cannot carry: it
// writes values with JSON.stringify, which gives `{}` for a Map, a Set, a WeakMap or a WeakSet (their
// entries are not own properties), and throws a TypeError for a bigint (the converter then fails
// with "Unable to convert ... to payload"). Walked like the collection detector: Promise unwrapped,
// unions split, aliases, interfaces and generics resolved, methods left out; types declared in
// packages (node_modules) are not looked into.

import ts from 'typescript';
import { locate } from '../locate.js';
import type { SourceLocation } from '../types.js';
import { awaited, constituents, dataProperties, symbolName, typeKey } from './type-graph.js';

export type UnserializableKind = 'map' | 'set' | 'weak' | 'bigint';

export interface UnserializablePart {
  kind: UnserializableKind;
  /** Where in the value: `input.continueAsNew.usage`, or the root name itself. */
  path: string;
  /** The type as the checker prints it, e.g. `Map<string, Usage>`. */
  typeText: string;
  /** The built-in the value is (`Map`, `Set`, `WeakMap`, `bigint`). */
  builtin: string;
  /** The field that declares it (`usage: Map<string, Usage>`), when it is a field declared in the reviewed code. */
  declaration?: { node: ts.Node; location: SourceLocation };
  /** True when bigint is the whole type of the position (not `number | bigint`). */
  only: boolean;
}

const KEYED: Record<string, UnserializableKind> = { Map: 'map', ReadonlyMap: 'map', Set: 'set', ReadonlySet: 'set', WeakMap: 'weak', WeakSet: 'weak' };
const MAX_DEPTH = 8;

export function findUnserializable(type: ts.Type, checker: ts.TypeChecker, rootName: string): UnserializablePart[] {
  const found: UnserializablePart[] = [];
  const visited = new Set<number>();

  const visit = (current: ts.Type, path: string, depth: number, declaration: UnserializablePart['declaration']): void => {
    const parts = constituents(current);
    for (const part of parts) {
      if (part.flags & ts.TypeFlags.BigIntLike) {
        const only = parts.every((p) => (p.flags & ts.TypeFlags.BigIntLike) !== 0);
        found.push({ kind: 'bigint', path, typeText: checker.typeToString(current), builtin: 'bigint', only, ...(declaration ? { declaration } : {}) });
        continue;
      }
      if (!(part.flags & ts.TypeFlags.Object)) continue;
      const builtin = keyedBuiltin(part);
      if (builtin) {
        found.push({ kind: KEYED[builtin]!, path, typeText: checker.typeToString(part), builtin, only: parts.length === 1, ...(declaration ? { declaration } : {}) });
        continue;
      }
      const name = symbolName(part);
      if (name && ['Date', 'RegExp', 'URL', 'Error', 'Function', 'Promise'].includes(name)) continue;
      if (checker.isArrayType(part)) {
        const element = checker.getTypeArguments(part as ts.TypeReference)[0];
        if (element && depth < MAX_DEPTH) visit(element, `${path}[]`, depth + 1, declaration);
        continue;
      }
      if (checker.isTupleType(part)) {
        checker.getTypeArguments(part as ts.TypeReference).forEach((element, i) => depth < MAX_DEPTH && visit(element, `${path}[${i}]`, depth + 1, declaration));
        continue;
      }
      if (fromPackage(part)) continue;
      const key = typeKey(part);
      if (visited.has(key) || depth >= MAX_DEPTH) continue;
      visited.add(key);
      for (const info of checker.getIndexInfosOfType(part)) {
        if (info.type.flags & ts.TypeFlags.Any) continue;
        visit(info.type, `${path}[key]`, depth + 1, declaration);
      }
      for (const property of dataProperties(part, checker)) {
        // #private fields are not own enumerable properties: JSON.stringify leaves them out.
        if (property.name.startsWith('#') || property.name.startsWith('__#')) continue;
        const symbol = part.getProperty(property.name);
        const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
        const own = decl && !decl.getSourceFile().isDeclarationFile ? { node: decl, location: locate(decl) } : undefined;
        visit(property.type, `${path}.${property.name}`, depth + 1, own);
      }
    }
  };
  visit(awaited(type, checker), rootName, 0, undefined);
  return found;
}

/** Map, Set, WeakMap, WeakSet (and their readonly views) of the standard library. */
function keyedBuiltin(type: ts.Type): string | undefined {
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  if (!name || !(name in KEYED)) return undefined;
  const declarations = symbol!.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => d.getSourceFile().isDeclarationFile) ? name : undefined;
}

/** A type declared in a package under node_modules: its fields are the package's business. */
function fromPackage(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const file = symbol?.declarations?.[0]?.getSourceFile();
  return !!file && file.isDeclarationFile && /[\\/]node_modules[\\/]/.test(file.fileName);
}
