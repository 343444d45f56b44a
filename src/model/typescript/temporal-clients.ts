// Which expressions hold a Temporal client (`Client`, `WorkflowClient`, `ScheduleClient` of
// @temporalio/client), however the value got there: a helper that returns `Promise<WorkflowClient>`,
// `client ?? await connect()`, a class field or constructor-injected parameter, a destructured
// context. The checker's type settles it when the SDK is installed; reviewed code often comes
// without node_modules, so the declared type annotations are followed by hand as well, each named
// by its import from '@temporalio/client'. No evidence means no client: `start` and `create`
// are common method names.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import { importBindings, isTemporalApi, isTemporalModule, skipOuterExpressions } from './temporal-api.js';

export type ClientKind = 'Client' | 'WorkflowClient' | 'ScheduleClient';

const CLIENT_KINDS: readonly ClientKind[] = ['Client', 'WorkflowClient', 'ScheduleClient'];

/** Variables, helpers and fields followed before giving up: real code has two or three hops. */
const MAX_DEPTH = 6;

/** The kind of Temporal client an expression evaluates to (awaited), or undefined without evidence. */
export function clientKindOf(expression: ts.Expression, index: CodeIndex): ClientKind | undefined {
  return syntacticKind(expression, index, 0, new Set()) ?? checkerKind(expression, index);
}

function syntacticKind(node: ts.Expression, index: CodeIndex, depth: number, seen: Set<ts.Node>): ClientKind | undefined {
  if (depth > MAX_DEPTH || seen.has(node)) return undefined;
  seen.add(node);
  const next = (expression: ts.Expression | undefined) => (expression ? syntacticKind(expression, index, depth + 1, seen) : undefined);
  if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && !isConstType(node.type)) return typeNodeKind(node.type, index, depth + 1);
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node) || ts.isAsExpression(node)) return next(node.expression);
  if (ts.isAwaitExpression(node)) return next(node.expression);
  if (ts.isBinaryExpression(node) && isFallback(node.operatorToken.kind)) return agreeing(next(node.left), next(node.right));
  if (ts.isConditionalExpression(node)) return agreeing(next(node.whenTrue), next(node.whenFalse));
  if (ts.isNewExpression(node)) return CLIENT_KINDS.find((kind) => isTemporalApi(node.expression, index, kind));
  if (ts.isCallExpression(node)) return returnedKind(node, index, depth + 1, seen);
  if (ts.isPropertyAccessExpression(node)) {
    // `client.workflow` and `client.schedule` of a Client.
    const member = node.name.text;
    if (member === 'workflow' || member === 'schedule') {
      const owner = next(node.expression);
      if (owner === 'Client') return member === 'workflow' ? 'WorkflowClient' : 'ScheduleClient';
    }
    return declarationKind(declarationOf(node, index), index, depth + 1, seen);
  }
  if (ts.isIdentifier(node)) return declarationKind(declarationOf(node, index), index, depth + 1, seen);
  return undefined;
}

function isFallback(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken;
}

function isConstType(type: ts.TypeNode): boolean {
  return ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const';
}

/** `a ?? b`: one side known and the other not contradicting it. */
function agreeing(a: ClientKind | undefined, b: ClientKind | undefined): ClientKind | undefined {
  if (a && b) return a === b ? a : undefined;
  return a ?? b;
}

/** What a variable, parameter, field, property or accessor is declared (or initialised) to hold. */
function declarationKind(declaration: ts.Declaration | undefined, index: CodeIndex, depth: number, seen: Set<ts.Node>): ClientKind | undefined {
  if (!declaration || depth > MAX_DEPTH) return undefined;
  if (ts.isBindingElement(declaration)) return bindingElementKind(declaration, index, depth, seen);
  if (
    ts.isVariableDeclaration(declaration) ||
    ts.isParameter(declaration) ||
    ts.isPropertyDeclaration(declaration) ||
    ts.isPropertySignature(declaration)
  ) {
    if (declaration.type) return typeNodeKind(declaration.type, index, depth);
    const initializer = ts.isPropertySignature(declaration) ? undefined : declaration.initializer;
    return initializer ? syntacticKind(initializer, index, depth, seen) : undefined;
  }
  if (ts.isPropertyAssignment(declaration)) return syntacticKind(declaration.initializer, index, depth, seen);
  if (ts.isGetAccessorDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isFunctionDeclaration(declaration)) {
    return declaration.type ? typeNodeKind(declaration.type, index, depth) : undefined;
  }
  return undefined;
}

/** `const { workflowClient } = getContext()`, `({ client }: { client: WorkflowClient })`. */
function bindingElementKind(element: ts.BindingElement, index: CodeIndex, depth: number, seen: Set<ts.Node>): ClientKind | undefined {
  const pattern = element.parent;
  if (!ts.isObjectBindingPattern(pattern) || element.dotDotDotToken) return undefined;
  const nameNode = element.propertyName ?? element.name;
  const name = ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) ? nameNode.text : undefined;
  const holder = pattern.parent;
  if (name === undefined || !(ts.isVariableDeclaration(holder) || ts.isParameter(holder))) return undefined;
  const checker = index.checkerFor(element.getSourceFile().fileName);
  // The property's own declaration in the holder's type, read through its annotation below.
  const at = holder.type ?? holder.initializer ?? holder;
  const property = checker?.getTypeAtLocation(at).getProperty(name);
  for (const declaration of property?.declarations ?? []) {
    const kind = declarationKind(declaration, index, depth + 1, seen);
    if (kind) return kind;
  }
  return undefined;
}

/** A call's result: the called function's declared return type, else what it returns. */
function returnedKind(call: ts.CallExpression, index: CodeIndex, depth: number, seen: Set<ts.Node>): ClientKind | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const declaration = declarationOf(callee, index);
  let fn: ts.SignatureDeclaration | undefined;
  if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration) || ts.isFunctionTypeNode(declaration))) fn = declaration;
  else if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) fn = initializer;
  }
  if (!fn) return injectedKind(call, callee, index, depth);
  if (fn.type) return typeNodeKind(typeArgumentFor(fn, fn.type, call) ?? fn.type, index, depth);
  const body = 'body' in fn ? fn.body : undefined;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return syntacticKind(body as ts.Expression, index, depth, seen);
  let kind: ClientKind | undefined;
  let conflict = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || conflict) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const returned = skipOuterExpressions(node.expression);
      if (returned.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(returned) && returned.text === 'undefined')) return;
      const found = syntacticKind(node.expression, index, depth, seen);
      if (found && kind && found !== kind) conflict = true;
      kind = kind ?? found;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return conflict ? undefined : kind;
}

/** `get<T>(): T` called as `get<WorkflowClient>()`: the written type argument. */
function typeArgumentFor(fn: ts.SignatureDeclaration, returnType: ts.TypeNode, call: ts.CallExpression): ts.TypeNode | undefined {
  if (!ts.isTypeReferenceNode(returnType) || !ts.isIdentifier(returnType.typeName) || !fn.typeParameters) return undefined;
  const name = returnType.typeName.text;
  const position = fn.typeParameters.findIndex((parameter) => parameter.name.text === name);
  return position >= 0 ? call.typeArguments?.[position] : undefined;
}

const CONTAINER_LOOKUPS = new Set(['get', 'resolve', 'getOrThrow']);

/**
 * A dependency-injection lookup of a container the checker cannot see into:
 * `container.get<WorkflowClient>(TOKEN)`, `moduleRef.get(Client)`.
 */
function injectedKind(call: ts.CallExpression, callee: ts.Expression, index: CodeIndex, depth: number): ClientKind | undefined {
  if (!ts.isPropertyAccessExpression(callee) || !CONTAINER_LOOKUPS.has(callee.name.text)) return undefined;
  const [typeArgument] = call.typeArguments ?? [];
  if (typeArgument) return typeNodeKind(typeArgument, index, depth);
  const [first] = call.arguments;
  return first ? CLIENT_KINDS.find((kind) => isTemporalApi(first, index, kind)) : undefined;
}

/** `WorkflowClient`, `Promise<Client>`, `Client | null`, `temporal.ScheduleClient`, a local alias of one. */
function typeNodeKind(type: ts.TypeNode, index: CodeIndex, depth: number): ClientKind | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (ts.isParenthesizedTypeNode(type)) return typeNodeKind(type.type, index, depth + 1);
  if (ts.isUnionTypeNode(type)) {
    const members = type.types.filter((member) => !isNullish(member));
    const kinds = members.map((member) => typeNodeKind(member, index, depth + 1));
    return kinds.length > 0 && kinds.every((kind) => kind !== undefined && kind === kinds[0]) ? kinds[0] : undefined;
  }
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const typeName = type.typeName;
  if (ts.isIdentifier(typeName) && (typeName.text === 'Promise' || typeName.text === 'Awaited' || typeName.text === 'PromiseLike')) {
    const [argument] = type.typeArguments ?? [];
    return argument ? typeNodeKind(argument, index, depth + 1) : undefined;
  }
  if (ts.isQualifiedName(typeName)) {
    const namespace = ts.isIdentifier(typeName.left) ? importBindings(typeName.getSourceFile()).get(typeName.left.text) : undefined;
    return namespace?.imported === '*' && isTemporalModule(namespace.module) ? CLIENT_KINDS.find((kind) => kind === typeName.right.text) : undefined;
  }
  const kind = CLIENT_KINDS.find((candidate) => isTemporalApi(typeName, index, candidate));
  if (kind) return kind;
  // `type Temporal = WorkflowClient` in the project.
  const declaration = declarationOf(typeName, index);
  return declaration && ts.isTypeAliasDeclaration(declaration) && !declaration.typeParameters ? typeNodeKind(declaration.type, index, depth + 1) : undefined;
}

function isNullish(type: ts.TypeNode): boolean {
  if (type.kind === ts.SyntaxKind.UndefinedKeyword || type.kind === ts.SyntaxKind.NullKeyword) return true;
  return ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword;
}

/** With the SDK installed: the checker's type of the expression, when it is one of the SDK's client classes. */
function checkerKind(expression: ts.Expression, index: CodeIndex): ClientKind | undefined {
  const project = index.projectFor(expression.getSourceFile().fileName);
  if (!project || !loadsClientPackage(project.program)) return undefined;
  const checker = project.checker;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expression));
  const kinds = (type.isUnion() ? type.types : [type]).map((member) => sdkClass(member));
  return kinds.length > 0 && kinds.every((kind) => kind !== undefined && kind === kinds[0]) ? kinds[0] : undefined;
}

const SDK_CLIENT_FILE = /[\\/]@temporalio[\\/]client[\\/]/;
const clientPackageLoaded = new WeakMap<ts.Program, boolean>();

/** Without @temporalio/client's declarations no type can be one of its classes: skip the checker work. */
function loadsClientPackage(program: ts.Program): boolean {
  let loaded = clientPackageLoaded.get(program);
  if (loaded === undefined) {
    loaded = program.getSourceFiles().some((file) => SDK_CLIENT_FILE.test(file.fileName));
    clientPackageLoaded.set(program, loaded);
  }
  return loaded;
}

function sdkClass(type: ts.Type): ClientKind | undefined {
  const symbol = type.getSymbol();
  const kind = CLIENT_KINDS.find((candidate) => candidate === symbol?.name);
  if (!kind) return undefined;
  const inSdk = symbol!.declarations?.some((d) => SDK_CLIENT_FILE.test(d.getSourceFile().fileName));
  return inSdk ? kind : undefined;
}
