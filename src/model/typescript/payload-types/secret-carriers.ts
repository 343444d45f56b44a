// Payloads that carry credential-looking fields, grouped by the type that carries them. One
// input type shared by thirty activities (`input: ActivityInput` with an `apiKey` field) is one
// decision to fix in one place, so it is one finding with the other payloads as related
// locations, not thirty findings saying the same thing.

import type { TemporalModel } from '../types.js';
import { payloadSignatures, type PayloadSignature } from './payload-signatures.js';
import { findSecretFields, type SecretField } from './secret-fields.js';
import { awaited, isLeaf, typeKey } from './type-graph.js';
import ts from 'typescript';
import { schemaFieldsOf } from './schema-fields.js';
import { isBareToken, looksLikeSecret } from './secret-names.js';

export interface SecretCarrier {
  /** The payloads carrying the same fields of the same type, in source order; the first is reported. */
  signatures: PayloadSignature[];
  /** The credential-looking fields, with paths rooted at the first signature's value name. */
  secrets: SecretField[];
}

export function secretCarriers(model: TemporalModel): SecretCarrier[] {
  const groups = new Map<string, SecretCarrier>();
  const sorted = payloadSignatures(model).sort(
    (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column,
  );
  for (const signature of sorted) {
    const found = findSecretFields(signature.type, signature.checker, signature.valueName, signature.name, model, rootAnnotation(signature));
    const secrets = found.length > 0 ? found : unresolvedSchemaSecrets(signature, model);
    if (secrets.length === 0) continue;
    const key = groupKey(signature, secrets);
    const group = groups.get(key);
    if (group) group.signatures.push(signature);
    else groups.set(key, { signatures: [signature], secrets });
  }
  return [...groups.values()];
}

/**
 * Payloads of one object type with the same credential fields share a key. A primitive parameter
 * (`apiKey: string`) is its own group: two parameters of type string are not one decision.
 */
function groupKey(signature: PayloadSignature, secrets: SecretField[]): string {
  const type = awaited(signature.type, signature.checker);
  const unique = `${signature.kind}:${signature.name}:${signature.direction}:${signature.valueName}:${signature.location.file}:${signature.location.line}`;
  if (isLeaf(type) || secrets.some((s) => s.path === signature.valueName)) return unique;
  const fields = secrets.map((s) => s.path.slice(signature.valueName.length)).join(',');
  // What a client sends can be encoded by the client's codec alone: keep it apart from the rest.
  const sentByClient = signature.kind !== 'activity' && signature.direction === 'input';
  return `type:${typeKey(type)}:${sentByClient}:${fields}`;
}

/**
 * A payload whose type the checker gives as `any` because it is derived from a schema of a library
 * that is not installed (`Static<typeof Token>`): the credential-looking fields the schema names.
 */
function unresolvedSchemaSecrets(signature: PayloadSignature, model: TemporalModel): SecretField[] {
  if (!signature.typeNode || !(awaited(signature.type, signature.checker).flags & ts.TypeFlags.Any)) return [];
  return schemaFieldsOf(signature.typeNode, model)
    .filter((field) => looksLikeSecret(field.name) && !field.fixedValue && (!isBareToken(field.name) || field.holdsText))
    .map((field) => ({ path: `${signature.valueName}.${field.path ?? field.name}`, name: field.name, typeText: field.schemaText }));
}

/** The annotation of the value itself (`credentialSource: CredentialSource`), without the `Promise<...>` of a result. */
function rootAnnotation(signature: PayloadSignature): ts.TypeNode | undefined {
  const node = signature.typeNode;
  if (node && ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Promise') return node.typeArguments?.length === 1 ? node.typeArguments[0] : undefined;
  return node;
}
