// What a `throw` expression throws, from the checker's type: a Temporal failure (fails the
// workflow as intended), a plain error or value (fails the workflow task, retried forever), a
// rethrown caught error, or something the reviewer cannot tell (TEMPORAL-FACTS.md §1).

import ts from 'typescript';

/** Classes the SDK turns into a workflow failure (or, for ContinueAsNew, a continue-as-new). */
export const TEMPORAL_FAILURE_CLASSES: readonly string[] = [
  'TemporalFailure',
  'ApplicationFailure',
  'CancelledFailure',
  'ActivityFailure',
  'ChildWorkflowFailure',
  'ServerFailure',
  'TerminatedFailure',
  'TimeoutFailure',
  'NexusOperationFailure',
  'ContinueAsNew',
];

export type ThrownValue =
  | { kind: 'failure'; typeNames: string[] }
  /** typeNames: the class and its ancestors, most derived first (`['InvalidOrder', 'Error']`); empty for a primitive. */
  | { kind: 'plain'; typeNames: string[]; isError: boolean }
  | { kind: 'rethrow' }
  | { kind: 'unknown' };

export function classifyThrownValue(expression: ts.Expression, checker: ts.TypeChecker | undefined): ThrownValue {
  const inner = unwrap(expression);
  if (ts.isIdentifier(inner) && checker && isCatchBinding(inner, checker)) return { kind: 'rethrow' };
  if (ts.isStringLiteral(inner) || ts.isTemplateExpression(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isNumericLiteral(inner)) {
    return { kind: 'plain', typeNames: [], isError: false };
  }
  if (!checker) return { kind: 'unknown' };
  return classifyType(checker.getTypeAtLocation(inner), checker);
}

function classifyType(type: ts.Type, checker: ts.TypeChecker): ThrownValue {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return { kind: 'unknown' };
  if (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined)) {
    return { kind: 'plain', typeNames: [], isError: false };
  }
  if (type.isUnion()) {
    const parts = type.types.map((part) => classifyType(part, checker));
    const plain = parts.find((part) => part.kind === 'plain');
    if (plain) return plain;
    return parts.every((part) => part.kind === 'failure') ? parts[0]! : { kind: 'unknown' };
  }
  const typeNames = classChain(type, checker);
  if (typeNames.length === 0) return { kind: 'unknown' };
  if (typeNames.some((name) => TEMPORAL_FAILURE_CLASSES.includes(name))) return { kind: 'failure', typeNames };
  return { kind: 'plain', typeNames, isError: typeNames.includes('Error') };
}

/** The names of a class type and its base classes; `Object` for an anonymous object. */
function classChain(type: ts.Type, checker: ts.TypeChecker): string[] {
  const names: string[] = [];
  const seen = new Set<ts.Type>();
  let current: ts.Type | undefined = type;
  while (current && !seen.has(current)) {
    seen.add(current);
    const symbol = current.getSymbol();
    const name = symbol?.getName();
    names.push(name && !name.startsWith('__') ? name : 'Object');
    const target: ts.Type = isTypeReference(current) ? current.target : current;
    if (!isClassOrInterface(target)) break;
    current = checker.getBaseTypes(target)[0];
  }
  return names;
}

function isTypeReference(type: ts.Type): type is ts.TypeReference {
  return (type.flags & ts.TypeFlags.Object) !== 0 && ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0;
}

function isClassOrInterface(type: ts.Type): type is ts.InterfaceType {
  return (type.flags & ts.TypeFlags.Object) !== 0 && ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) !== 0;
}

function isCatchBinding(id: ts.Identifier, checker: ts.TypeChecker): boolean {
  const declaration = checker.getSymbolAtLocation(id)?.valueDeclaration;
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && ts.isCatchClause(declaration.parent);
}

/** The expression inside parentheses, `as`, `satisfies` and `!`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current)) {
    current = current.expression;
  }
  return current;
}
