// Finds credential-looking names in a payload: the parameter itself, the fields of its type at
// any depth, and the names of the types it is made of (`Credentials`, `ApiKey`).

import ts from 'typescript';
import type { SourceLocation } from '../types.js';
import { isBareToken, looksLikeSecret } from './secret-names.js';
import { awaited, constituents, dataProperties, declaredAt, isLeaf, symbolName, typeKey } from './type-graph.js';

export interface SecretField {
  /** `input.stripeApiKey`, or the root name itself. */
  path: string;
  /** The name that looks like a credential (a field name or a type name). */
  name: string;
  typeText: string;
  declaredAt?: SourceLocation;
}

const MAX_DEPTH = 5;

export function findSecretFields(type: ts.Type, checker: ts.TypeChecker, rootName: string): SecretField[] {
  const found: SecretField[] = [];
  const visited = new Set<number>();
  const visit = (current: ts.Type, path: string, nameHere: string, depth: number) => {
    if (looksLikeSecret(nameHere) && (!isBareToken(nameHere) || holdsText(current, checker))) {
      const where = declaredAt(current);
      found.push({ path, name: nameHere, typeText: checker.typeToString(current), ...(where ? { declaredAt: where } : {}) });
      return;
    }
    for (const part of constituents(current)) {
      if (isLeaf(part)) continue;
      const symbol = part.getSymbol();
      const typeName = part.aliasSymbol?.getName() ?? (symbol && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class) ? symbolName(part) : undefined);
      // A type called Token is an object by definition: the asset or unit of a domain, not a secret string.
      if (typeName && looksLikeSecret(typeName) && !isBareToken(typeName) && !onlyCountsAndFlags(part, checker)) {
        const where = declaredAt(part);
        found.push({ path, name: typeName, typeText: checker.typeToString(part), ...(where ? { declaredAt: where } : {}) });
        return;
      }
      const element = checker.isArrayType(part) ? checker.getTypeArguments(part as ts.TypeReference)[0] : undefined;
      if (element) {
        visit(element, `${path}[]`, '', depth + 1);
        continue;
      }
      const key = typeKey(part);
      if (visited.has(key) || depth >= MAX_DEPTH) continue;
      visited.add(key);
      for (const property of dataProperties(part, checker)) visit(property.type, `${path}.${property.name}`, property.name, depth + 1);
    }
  };
  visit(awaited(type, checker), rootName, rootName, 0);
  return found;
}

/** `TokenRefreshResult { refreshed: number; failed: number }`: numbers and booleans cannot hold a credential, whatever the type is called. */
function onlyCountsAndFlags(type: ts.Type, checker: ts.TypeChecker): boolean {
  const properties = dataProperties(type, checker);
  const harmless = ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null;
  return properties.length > 0 && properties.every(({ type: property }) => constituents(property).every((part) => (part.flags & harmless) !== 0));
}

/** A string (or string literal), possibly optional, or an array of them: what a credential is stored as. */
function holdsText(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = constituents(type).filter((part) => (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      if (part.flags & ts.TypeFlags.StringLike) return true;
      const element = checker.isArrayType(part) ? checker.getTypeArguments(part as ts.TypeReference)[0] : undefined;
      return element !== undefined && (element.flags & ts.TypeFlags.StringLike) !== 0;
    })
  );
}
