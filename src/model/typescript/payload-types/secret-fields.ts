// Finds credential-looking names in a payload: the parameter itself, the fields of its type at
// any depth, and the names of the types it is made of (`Credentials`, `ApiKey`).

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { isBareToken, looksLikeSecret, namesDevicePushToken } from './secret-names.js';
import { awaited, BINARY, constituents, dataProperties, declaredAt, isLeaf, MAPS, symbolName, typeKey } from './type-graph.js';
import { schemaTypeCannotHoldSecret } from './schema-fields.js';
import { isPluralSecretListName, listHoldsSecretNames } from './secret-list-names.js';

export interface SecretField {
  /** `input.stripeApiKey`, or the root name itself. */
  path: string;
  /** The name that looks like a credential (a field name or a type name). */
  name: string;
  typeText: string;
  declaredAt?: SourceLocation;
}

const MAX_DEPTH = 5;

/**
 * With `model`, a name whose type the checker gives as `any` is read from its annotation
 * (`rootTypeNode` for the root, the field's declaration below it): one derived from a schema of a
 * library that is not installed (`CredentialSource` over `z.infer<typeof credentialSourceSchema>`,
 * a `z.enum([...])`) is a fixed choice, not a credential.
 */
export function findSecretFields(type: ts.Type, checker: ts.TypeChecker, rootName: string, rootHolder?: string, model?: TemporalModel, rootTypeNode?: ts.TypeNode): SecretField[] {
  const found: SecretField[] = [];
  const visited = new Set<number>();
  const visit = (current: ts.Type, path: string, nameHere: string, depth: number, holder: string | undefined, typeNode?: ts.TypeNode, symbol?: ts.Symbol) => {
    // A name is taken for the credential only when its type can hold one: a flag, a count, a date,
    // an enum or a set of string literals cannot, and an object with named fields is judged by
    // its fields (`credentials: { ownerId; rotatedAt }` holds no secret, `{ clientSecret }` does).
    // A bare `token` held by a type or function named after push tokens (`PushTokenInput.token`,
    // `deletePushToken(token)`) is a device push token: the address of a device, not a credential.
    if (
      looksLikeSecret(nameHere) &&
      !cannotHoldSecret(current) &&
      !hasNamedFields(current, checker) &&
      (!isBareToken(nameHere) || (holdsText(current, checker) && !namesDevicePushToken(holder))) &&
      !(current.flags & ts.TypeFlags.Any && model && typeNode && schemaTypeCannotHoldSecret(typeNode, model)) &&
      // `envSecrets: string[]` that the project fills from `env_secret_names` and walks as `secretName`: names, not secrets.
      !(symbol && model && isPluralSecretListName(nameHere) && holdsTextList(current, checker) && listHoldsSecretNames(symbol, model))
    ) {
      const where = declaredAt(current);
      found.push({ path, name: nameHere, typeText: checker.typeToString(current), ...(where ? { declaredAt: where } : {}) });
      return;
    }
    for (const part of constituents(current)) {
      if (isLeaf(part)) continue;
      // A type is judged by its fields, never by its name: `TriggerPasswordResetInput { tenantId }`
      // names an operation, and `PartnerCredentials { clientSecret }` is found through its field.
      const element = checker.isArrayType(part) ? checker.getTypeArguments(part as ts.TypeReference)[0] : undefined;
      if (element) {
        visit(element, `${path}[]`, '', depth + 1, undefined);
        continue;
      }
      const key = typeKey(part);
      if (visited.has(key) || depth >= MAX_DEPTH) continue;
      visited.add(key);
      const typeName = symbolName(part);
      for (const property of dataProperties(part, checker)) visit(property.type, `${path}.${property.name}`, property.name, depth + 1, typeName, annotationOf(property.symbol), property.symbol);
    }
  };
  visit(awaited(type, checker), rootName, rootName, 0, rootHolder, rootTypeNode);
  return found;
}

/** The type annotation of a property (`credentialSource: CredentialSource`), when it has one declaration with one. */
function annotationOf(symbol: ts.Symbol): ts.TypeNode | undefined {
  const declarations = symbol.declarations ?? [];
  const declaration = declarations.length === 1 ? declarations[0] : undefined;
  if (declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration))) return declaration.type;
  return undefined;
}

const NO_SECRET_FLAGS = ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike | ts.TypeFlags.StringLiteral;

/**
 * A boolean, number, bigint, Date, enum or string literal (or a union of them): a flag, a count,
 * a time or a fixed choice, never a credential (`resetPassword: boolean`, `apiKeyState: 'active' | 'revoked'`).
 */
function cannotHoldSecret(type: ts.Type): boolean {
  const parts = constituents(type);
  return parts.length > 0 && parts.every((part) => (part.flags & NO_SECRET_FLAGS) !== 0 || symbolName(part) === 'Date');
}

/**
 * An object type with named data properties: what it carries is in those properties. Arrays,
 * tuples, index signatures (`Record<string, string>`), maps and binary values (`privateKey: Buffer`)
 * keep their name. Every part of a union must be such an object, so `string | Credentials` keeps it too.
 */
function hasNamedFields(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = constituents(type);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      if (isLeaf(part) || checker.isArrayType(part) || checker.isTupleType(part) || part.getStringIndexType() || part.getNumberIndexType()) return false;
      const name = symbolName(part);
      if (name && (BINARY.has(name) || MAPS.has(name))) return false;
      return dataProperties(part, checker).length > 0;
    })
  );
}

/** An array of strings, possibly optional: a list that may hold credentials or their names. */
function holdsTextList(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = constituents(type).filter((part) => (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
  return parts.length > 0 && parts.every((part) => checker.isArrayType(part) && holdsText(part, checker));
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
