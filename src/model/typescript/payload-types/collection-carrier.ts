// Finds the carrier pattern in a payload type: arrays, binary data (Buffer, typed arrays),
// maps and records, or object graphs too large to be a summary, anywhere inside it: through
// aliases, interfaces, generics, nested properties and Promise.

import ts from 'typescript';
import type { SourceLocation } from '../types.js';
import { awaited, BINARY, constituents, dataProperties, declaredAt, isLeaf, MAPS, symbolName, typeKey } from './type-graph.js';

export type CarrierKind = 'array' | 'binary' | 'map' | 'large-object';

export interface CollectionCarrier {
  kind: CarrierKind;
  /** Where in the value: `order.lines`, or the root name itself. */
  path: string;
  /** The type as the checker prints it, e.g. `OrderLine[]`. */
  typeText: string;
  /** The named type (alias, interface, class) that is or holds it, when declared in the reviewed code. */
  declaredIn?: { name: string; location: SourceLocation };
  /** An array whose elements are objects that nest objects or arrays of their own (a definition's steps, each with its config). */
  nested?: boolean;
}

/** More data properties than this across one payload's object graph is not a summary. */
export const LARGE_OBJECT_PROPERTIES = 40;
const MAX_DEPTH = 8;

export function findCollectionCarrier(type: ts.Type, checker: ts.TypeChecker, rootName: string): CollectionCarrier | undefined {
  const visited = new Set<number>();
  let properties = 0;
  let largestHolder: { type: ts.Type; path: string } | undefined;
  // A map or a list of plain values found first is kept while the walk looks on for an array of
  // nested objects (`definition.steps`, each with its config): that one is what makes the payload large.
  let plain: CollectionCarrier | undefined;

  const visit = (current: ts.Type, path: string, depth: number, holder: ts.Type | undefined): CollectionCarrier | undefined => {
    for (const part of constituents(current)) {
      if (isLeaf(part)) continue;
      const name = symbolName(part);
      if (name && BINARY.has(name)) return carrier('binary', part, path, holder);
      if (name && MAPS.has(name)) {
        // A Set of names from a fixed union holds at most one of each.
        if ((name === 'Set' || name === 'ReadonlySet') && fixedNames(checker.getTypeArguments(part as ts.TypeReference)[0])) continue;
        plain ??= carrier('map', part, path, holder);
        continue;
      }
      if (checker.isArrayType(part)) {
        const element = checker.getTypeArguments(part as ts.TypeReference)[0];
        if (fromUnresolvedType(element, checker) || fixedNames(element)) continue;
        if (element && nestedObjects(element, checker)) return { ...carrier('array', part, path, holder), nested: true };
        plain ??= carrier('array', part, path, holder);
        continue;
      }
      if (checker.isTupleType(part)) {
        const elements = checker.getTypeArguments(part as ts.TypeReference);
        for (const [i, element] of elements.entries()) {
          const found = visit(element, `${path}[${i}]`, depth + 1, holder);
          if (found) return found;
        }
        continue;
      }
      const indexInfos = checker.getIndexInfosOfType(part);
      if (indexInfos.length > 0 && !fromUnresolvedType(part, checker)) {
        plain ??= carrier('map', part, path, holder);
        continue;
      }
      const key = typeKey(part);
      if (visited.has(key) || depth > MAX_DEPTH) continue;
      visited.add(key);
      const named = part.aliasSymbol || (part.getSymbol() && !(part.getSymbol()!.flags & ts.SymbolFlags.TypeLiteral)) ? part : holder;
      for (const property of dataProperties(part, checker)) {
        properties++;
        if (properties === LARGE_OBJECT_PROPERTIES + 1 && !largestHolder) largestHolder = { type: named ?? part, path };
        const found = visit(property.type, `${path}.${property.name}`, depth + 1, named);
        if (found) return found;
      }
    }
    return undefined;
  };

  const carrier = (kind: CarrierKind, type: ts.Type, path: string, holder: ts.Type | undefined): CollectionCarrier => {
    return { kind, path, typeText: checker.typeToString(type), ...declaredIn(type.aliasSymbol ? type : (holder ?? type)) };
  };

  const found = visit(awaited(type, checker), rootName, 0, undefined);
  if (found) return found;
  if (plain) return plain;
  if (largestHolder) {
    return { kind: 'large-object', path: largestHolder.path, typeText: checker.typeToString(largestHolder.type), ...declaredIn(largestHolder.type) };
  }
  return undefined;
}

/** Objects with a field that is itself an object or an array (not a scalar built-in). */
function nestedObjects(element: ts.Type, checker: ts.TypeChecker): boolean {
  return constituents(element).some(
    (part) =>
      !isLeaf(part) &&
      !checker.isArrayType(part) &&
      dataProperties(part, checker).some((property) => constituents(property.type).some((inner) => !isLeaf(inner) && (inner.flags & ts.TypeFlags.Object) !== 0)),
  );
}

/**
 * A finite set of literal names (`'recon' | 'report'`, an enum): a list of them is a short list of
 * choices from that set, not data that grows with the business.
 */
function fixedNames(type: ts.Type | undefined): boolean {
  if (!type) return false;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => (part.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.EnumLiteral | ts.TypeFlags.BooleanLiteral)) !== 0);
}

/**
 * Shapes the checker makes up from `any` (a type from a module it could not resolve):
 * `Pick<any, K>` and `Omit<any, K>` get string, number and symbol index signatures of `any`, and
 * `(keyof any)[]` is an array of `string | number | symbol`. They say nothing about the real data.
 */
function fromUnresolvedType(type: ts.Type | undefined, checker: ts.TypeChecker): boolean {
  if (!type) return false;
  if (type.isUnion()) {
    const flags = type.types.map((t) => t.flags);
    return type.types.length === 3 && flags.some((f) => f & ts.TypeFlags.String) && flags.some((f) => f & ts.TypeFlags.Number) && flags.some((f) => f & ts.TypeFlags.ESSymbol);
  }
  const infos = checker.getIndexInfosOfType(type);
  return infos.some((info) => info.keyType.flags & ts.TypeFlags.ESSymbol) && infos.every((info) => info.type.flags & ts.TypeFlags.Any);
}

function declaredIn(type: ts.Type): Pick<CollectionCarrier, 'declaredIn'> {
  const location = declaredAt(type);
  const name = symbolName(type);
  return location && name && name !== '__type' && name !== '__object' ? { declaredIn: { name, location } } : {};
}
