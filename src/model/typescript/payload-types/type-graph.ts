// Walks what a payload type is made of, the way the default JSON data converter would serialize
// it: Promise unwrapped, unions and intersections split, aliases, interfaces and generics resolved
// by the checker, methods left out. Shared by the collection and secret detectors.

import ts from 'typescript';
import type { SourceLocation } from '../types.js';
import { locate } from '../locate.js';

/** Built-in object types that serialize to a scalar (or are not data): never descended into. */
const SCALAR_OBJECTS = new Set(['Date', 'RegExp', 'URL', 'URLSearchParams', 'Error', 'Function', 'Symbol', 'BigInt', 'Number', 'String', 'Boolean']);

/** Built-in binary types: serialized as bytes (or not at all), whatever properties they declare. */
export const BINARY = new Set(['Buffer', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Blob', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);
/** Built-in keyed collections: their entries are the data, not their declared properties (`size`). */
export const MAPS = new Set(['Map', 'Set', 'ReadonlyMap', 'ReadonlySet', 'WeakMap', 'WeakSet']);

/** The type a value resolves to: Promise<T> and PromiseLike<T> give T. */
export function awaited(type: ts.Type, checker: ts.TypeChecker): ts.Type {
  return checker.getAwaitedType(type) ?? type;
}

/** The parts of a union or intersection (null and undefined dropped), or the type itself. */
export function constituents(type: ts.Type): ts.Type[] {
  if (type.isUnion() || type.isIntersection()) {
    return type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
  }
  return [type];
}

const LEAF_FLAGS =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.EnumLike |
  ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never | ts.TypeFlags.TypeParameter | ts.TypeFlags.NonPrimitive;

/** Primitives, literals, enums, unknown/any/never and scalar built-ins: nothing to look into. */
export function isLeaf(type: ts.Type): boolean {
  if (type.flags & LEAF_FLAGS) return true;
  const name = symbolName(type);
  return name !== undefined && SCALAR_OBJECTS.has(name);
}

export function symbolName(type: ts.Type): string | undefined {
  return (type.aliasSymbol ?? type.getSymbol())?.getName();
}

/** The data properties of an object type (methods and functions left out), with their types. */
export function dataProperties(type: ts.Type, checker: ts.TypeChecker): { name: string; type: ts.Type; symbol: ts.Symbol }[] {
  const properties: { name: string; type: ts.Type; symbol: ts.Symbol }[] = [];
  for (const symbol of checker.getPropertiesOfType(type)) {
    if (symbol.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Function)) continue;
    if (isClassAccessor(symbol)) continue;
    const propertyType = checker.getTypeOfSymbol(symbol);
    if (propertyType.getCallSignatures().length > 0 && checker.getPropertiesOfType(propertyType).length === 0) continue;
    properties.push({ name: symbol.getName(), type: propertyType, symbol });
  }
  return properties;
}

/**
 * A getter (or setter) declared in a class: it lives on the prototype, and JSON.stringify (the
 * default payload converter) writes only own enumerable properties, so it never reaches a payload.
 * A getter in an object literal is an own property and is written.
 */
function isClassAccessor(symbol: ts.Symbol): boolean {
  if (!(symbol.flags & ts.SymbolFlags.Accessor)) return false;
  const declarations = symbol.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => (ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d)) && ts.isClassLike(d.parent));
}

/** Where a named type (alias, interface, class) is declared, for messages. */
export function declaredAt(type: ts.Type): SourceLocation | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declaration = symbol?.declarations?.[0];
  if (!declaration || declaration.getSourceFile().isDeclarationFile) return undefined;
  return locate(declaration);
}

/** A stable key for the visited set (type ids are stable within one checker). */
export function typeKey(type: ts.Type): number {
  return (type as unknown as { id: number }).id;
}
