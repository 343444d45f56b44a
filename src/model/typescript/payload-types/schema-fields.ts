// Field names of a type derived from a runtime schema whose library the checker cannot resolve
// (a code base reviewed without node_modules): `type Token = Static<typeof Token>` over
// `const Token = Type.Object({ accessToken: Type.String() })`, or `z.infer<typeof Token>` over
// `z.object({...})`. The checker gives such a type as `any`; the schema's object literal still
// names the fields. Read through `Promise<...>`, unions and `| null`, and into nested object
// schemas (see objectSchemaFields).

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { importedDeclarationsOf } from '../sandbox/imported-function.js';

export interface SchemaField {
  /** The field's own name (the last part of path). */
  name: string;
  /** For a field of a nested schema: the path from the top schema (`accounts[].token`). */
  path?: string;
  /** The schema expression of the field as written (`Type.String()`). */
  schemaText: string;
  /** Whether the schema says the field holds text (`Type.String()`, `z.string()`). */
  holdsText: boolean;
  /** Whether the schema says the field is a flag, a number, a date or a fixed choice (`z.enum([...])`, `credentialSourceSchema.default(...)`). */
  fixedValue: boolean;
  node: ts.Node;
}

const DERIVED_TYPE_NAMES = new Set(['Static', 'infer', 'Infer', 'output', 'input', 'TypeOf']);

/** The fields of the schema behind a type annotation, when the checker could not resolve its type. */
export function schemaFieldsOf(typeNode: ts.TypeNode, model: TemporalModel): SchemaField[] {
  const fields: SchemaField[] = [];
  const seen = new Set<ts.Node>();
  const visit = (node: ts.TypeNode, depth: number): void => {
    if (depth > 4 || seen.has(node)) return;
    seen.add(node);
    if (ts.isParenthesizedTypeNode(node)) return visit(node.type, depth);
    if (ts.isUnionTypeNode(node)) return node.types.forEach((member) => visit(member, depth));
    if (!ts.isTypeReferenceNode(node)) return;
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    if (name === 'Promise' && node.typeArguments?.length === 1) return visit(node.typeArguments[0]!, depth + 1);
    if (DERIVED_TYPE_NAMES.has(name) && node.typeArguments?.length === 1) {
      const query = node.typeArguments[0]!;
      if (ts.isTypeQueryNode(query)) fields.push(...objectSchemaFields(query.exprName, model));
      return;
    }
    // A type alias of the project: `type Token = Static<typeof Token>`, also imported from a workspace package the checker cannot resolve.
    const alias = declarationOf(node.typeName, model, ts.isTypeAliasDeclaration);
    if (alias && !alias.typeParameters) visit(alias.type, depth + 1);
  };
  visit(typeNode, 0);
  return fields;
}

/**
 * Whether a field annotation the checker gives as `any` (a type derived from a schema of a library
 * that is not installed) names a schema that cannot hold a credential: `CredentialSource` over
 * `type CredentialSource = z.infer<typeof credentialSourceSchema>` and
 * `const credentialSourceSchema = z.enum(['user_provided', 'platform_managed'])`; also through
 * project aliases, unions with `null` and literal types. Anything else, or anything unread, is "can".
 */
export function schemaTypeCannotHoldSecret(typeNode: ts.TypeNode, model: TemporalModel): boolean {
  const seen = new Set<ts.Node>();
  const cannot = (node: ts.TypeNode, depth: number): boolean => {
    if (depth > 4 || seen.has(node)) return false;
    seen.add(node);
    if (ts.isParenthesizedTypeNode(node)) return cannot(node.type, depth);
    if (ts.isUnionTypeNode(node)) {
      const members = node.types.filter((member) => !isNullish(member));
      return members.length > 0 && members.every((member) => cannot(member, depth));
    }
    if (ts.isLiteralTypeNode(node)) return true;
    if (node.kind === ts.SyntaxKind.BooleanKeyword || node.kind === ts.SyntaxKind.NumberKeyword || node.kind === ts.SyntaxKind.BigIntKeyword) return true;
    if (!ts.isTypeReferenceNode(node)) return false;
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    if (DERIVED_TYPE_NAMES.has(name) && node.typeArguments?.length === 1) {
      const query = node.typeArguments[0]!;
      if (!ts.isTypeQueryNode(query)) return false;
      const variable = declarationOf(query.exprName, model, ts.isVariableDeclaration);
      return variable?.initializer !== undefined && isScalarSchema(variable.initializer, model, new Set([variable]), 0);
    }
    const alias = declarationOf(node.typeName, model, ts.isTypeAliasDeclaration);
    return alias !== undefined && !alias.typeParameters && cannot(alias.type, depth + 1);
  };
  return cannot(typeNode, 0);
}

function isNullish(node: ts.TypeNode): boolean {
  if (node.kind === ts.SyntaxKind.UndefinedKeyword) return true;
  return ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword;
}

/** Schema builders of a flag, a number, a date or a fixed choice (zod, typebox, valibot-style names). */
const SCALAR_BUILDERS = new Set(['enum', 'nativeEnum', 'literal', 'boolean', 'number', 'bigint', 'date', 'int', 'Literal', 'Boolean', 'Number', 'Integer', 'BigInt', 'Enum', 'Date', 'KeyOf']);
/** A union of schemas: scalar when every member is. */
const UNION_BUILDERS = new Set(['union', 'Union']);
/** Wrappers that keep the schema they are given: `Type.Optional(Type.Literal('a'))`. */
const WRAPPERS = new Set(['Optional', 'Readonly', 'ReadonlyOptional']);
/** Methods that keep a scalar schema scalar (not `transform`, `pipe` or `preprocess`, which may give anything). */
const SCALAR_MODIFIERS = new Set([...['optional', 'nullable', 'nullish', 'readonly', 'brand', 'default', 'catch', 'refine', 'superRefine', 'describe', 'meta'],
  ...['int', 'min', 'max', 'positive', 'negative', 'nonnegative', 'nonpositive', 'gt', 'gte', 'lt', 'lte', 'multipleOf', 'step', 'finite', 'safe', 'extract', 'exclude']]);

/**
 * A schema value that only admits a flag, a number, a date or a fixed choice: `z.enum([...])`,
 * `z.literal('x')`, `z.boolean()`, `z.number().int()`, `Type.Union([Type.Literal('a'), Type.Literal('b')])`,
 * also as `.default(...)`, `.optional()` and the like, and through the variable that holds it.
 */
function isScalarSchema(expression: ts.Expression, model: TemporalModel, seen: Set<ts.Node>, depth: number): boolean {
  if (depth > 8) return false;
  const node = skipParenthesesAndCasts(expression);
  if (ts.isIdentifier(node)) {
    const variable = declarationOf(node, model, ts.isVariableDeclaration);
    if (!variable?.initializer || seen.has(variable)) return false;
    return isScalarSchema(variable.initializer, model, new Set([...seen, variable]), depth + 1);
  }
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const method = node.expression.name.text;
  const receiver = skipParenthesesAndCasts(node.expression.expression);
  const [first] = node.arguments;
  // `z.enum(...)`, `z.coerce.number()`, `Type.Literal(...)`: a builder called on the library's namespace.
  if (!ts.isCallExpression(receiver)) {
    if (SCALAR_BUILDERS.has(method)) return true;
    if (UNION_BUILDERS.has(method)) return first !== undefined && ts.isArrayLiteralExpression(first) && first.elements.length > 0 && first.elements.every((e) => isScalarSchema(e, model, seen, depth + 1));
    if (WRAPPERS.has(method)) return first !== undefined && isScalarSchema(first, model, seen, depth + 1);
    if (!ts.isIdentifier(receiver)) return false;
  }
  // A method of a schema: `credentialSourceSchema.default('user_provided')`, `z.number().int()`, `a.or(b)`.
  if (method === 'or') return first !== undefined && isScalarSchema(receiver, model, seen, depth + 1) && isScalarSchema(first, model, seen, depth + 1);
  return SCALAR_MODIFIERS.has(method) && isScalarSchema(receiver, model, seen, depth + 1);
}

/** Schema methods that return the same object schema (for the field names): `.strict()`, `.optional()`, `.describe(...)`. */
const SAME_SHAPE = new Set(['strict', 'passthrough', 'strip', 'loose', 'describe', 'optional', 'nullable', 'nullish', 'readonly', 'brand', 'default', 'catch', 'refine', 'superRefine', 'meta']);
const ARRAY_BUILDERS = new Set(['array', 'Array']);

/**
 * The fields of an object schema value: `Type.Object({ ... })`, `z.object({ ... })`, also as
 * `Base.extend({ ... })`, `A.merge(B)`, behind `.strict()` and the like, through the variable that
 * holds it, and through a small project helper that only returns such a schema built from its
 * parameter (`const entity = (shape) => Base.extend(shape)`). A field whose schema is itself an
 * object schema, or an array of one (`z.array(AccountSchema)`), adds its own fields under its
 * name (`accounts[].token`).
 */
function objectSchemaFields(name: ts.EntityName, model: TemporalModel): SchemaField[] {
  const variable = declarationOf(name, model, ts.isVariableDeclaration);
  if (!variable?.initializer) return [];
  return schemaValueFields(variable.initializer, model, { depth: 0, bindings: new Map(), seen: new Set([variable]) });
}

interface SchemaWalk {
  depth: number;
  /** Parameters of the helper being read, bound to the arguments of its call. */
  bindings: Map<string, ts.Expression>;
  /** The variables and helpers on the way here (a schema that refers to itself stops). */
  seen: Set<ts.Node>;
}

function schemaValueFields(expression: ts.Expression, model: TemporalModel, walk: SchemaWalk): SchemaField[] {
  if (walk.depth > 6) return [];
  const node = skipParenthesesAndCasts(expression);
  if (ts.isIdentifier(node)) {
    const bound = walk.bindings.get(node.text);
    if (bound) return schemaValueFields(bound, model, { ...walk, depth: walk.depth + 1, bindings: new Map() });
    const variable = declarationOf(node, model, ts.isVariableDeclaration);
    if (!variable?.initializer || walk.seen.has(variable)) return [];
    return schemaValueFields(variable.initializer, model, { depth: walk.depth + 1, bindings: new Map(), seen: new Set([...walk.seen, variable]) });
  }
  if (ts.isObjectLiteralExpression(node)) return [];
  if (!ts.isCallExpression(node)) return [];
  const callee = node.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const [first] = node.arguments;
    if (/^(object|Object|strictObject|looseObject)$/.test(method)) return first ? shapeFields(first, model, walk) : [];
    if (method === 'extend' && first) return [...schemaValueFields(callee.expression, model, walk), ...shapeFields(first, model, walk)];
    if (method === 'merge' && first) return [...schemaValueFields(callee.expression, model, walk), ...schemaValueFields(first, model, walk)];
    if (SAME_SHAPE.has(method)) return schemaValueFields(callee.expression, model, walk);
    return [];
  }
  if (ts.isIdentifier(callee)) {
    const helper = helperReturning(callee, model);
    if (!helper || walk.seen.has(helper.fn)) return [];
    const bindings = new Map<string, ts.Expression>();
    helper.fn.parameters.forEach((parameter, index) => {
      const argument = node.arguments[index];
      if (argument && ts.isIdentifier(parameter.name)) bindings.set(parameter.name.text, argument);
    });
    return schemaValueFields(helper.returned, model, { depth: walk.depth + 1, bindings, seen: new Set([...walk.seen, helper.fn]) });
  }
  return [];
}

/** The properties of the object literal a schema is built from (`z.object({...})`, `.extend({...})`), the literal given directly or through a bound parameter. */
function shapeFields(shape: ts.Expression, model: TemporalModel, walk: SchemaWalk): SchemaField[] {
  let literal = skipParenthesesAndCasts(shape);
  if (ts.isIdentifier(literal) && walk.bindings.has(literal.text)) literal = skipParenthesesAndCasts(walk.bindings.get(literal.text)!);
  if (!ts.isObjectLiteralExpression(literal)) return [];
  const fields: SchemaField[] = [];
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    const schemaText = property.initializer.getText();
    const name = property.name.text;
    fields.push({ name, schemaText, holdsText: /^\w+\.(String|string)\(/.test(schemaText), fixedValue: isScalarSchema(property.initializer, model, new Set(), 0), node: property });
    // A nested object schema, or an array of one: its fields under this one's name.
    const { inner, suffix } = elementSchema(property.initializer);
    for (const nested of schemaValueFields(inner, model, { ...walk, depth: walk.depth + 1, bindings: new Map() })) {
      fields.push({ ...nested, path: `${name}${suffix}.${nested.path ?? nested.name}` });
    }
  }
  return fields;
}

/** `z.array(Account).optional()` -> Account with suffix `[]`; `Account.nullable()` -> Account. */
function elementSchema(expression: ts.Expression): { inner: ts.Expression; suffix: string } {
  let node = skipParenthesesAndCasts(expression);
  let suffix = '';
  for (let guard = 0; guard < 8 && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression); guard++) {
    const method = node.expression.name.text;
    if (SAME_SHAPE.has(method)) node = skipParenthesesAndCasts(node.expression.expression);
    else if (ARRAY_BUILDERS.has(method) && node.arguments.length === 1) {
      suffix += '[]';
      node = skipParenthesesAndCasts(node.arguments[0]!);
    } else break;
  }
  return { inner: node, suffix };
}

/** A function of the project whose body only returns one expression: `(shape) => Base.extend(shape)`. */
function helperReturning(callee: ts.Identifier, model: TemporalModel): { fn: ts.SignatureDeclaration & { parameters: ts.NodeArray<ts.ParameterDeclaration> }; returned: ts.Expression } | undefined {
  const declaration = declarationOf(callee, model, (node): node is ts.FunctionDeclaration | ts.VariableDeclaration => ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node));
  const fn = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer && skipParenthesesAndCasts(declaration.initializer) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return { fn, returned: fn.body };
  const statements = fn.body.statements;
  const last = statements.length === 1 ? statements[0] : undefined;
  return last && ts.isReturnStatement(last) && last.expression ? { fn, returned: last.expression } : undefined;
}

function skipParenthesesAndCasts(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) current = current.expression;
  return current;
}

/** The declaration a name refers to, through imports, and through imports of workspace packages the checker leaves unresolved. */
function declarationOf<T extends ts.Node>(name: ts.EntityName, model: TemporalModel, is: (node: ts.Node) => node is T): T | undefined {
  const checker = model.checkerFor(name.getSourceFile().fileName);
  if (!checker) return undefined;
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  for (const declaration of symbol?.declarations ?? []) if (is(declaration)) return declaration;
  for (const declaration of importedDeclarationsOf(name, checker, model)) if (is(declaration)) return declaration;
  return undefined;
}
