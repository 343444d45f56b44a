// Field names of a type derived from a runtime schema whose library the checker cannot resolve
// (a code base reviewed without node_modules): `type Token = Static<typeof Token>` over
// `const Token = Type.Object({ accessToken: Type.String() })`, or `z.infer<typeof Token>` over
// `z.object({...})`. The checker gives such a type as `any`; the schema's object literal still
// names the fields. Read through `Promise<...>`, unions and `| null`, one schema level deep.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { importedDeclarationsOf } from '../sandbox/imported-function.js';

export interface SchemaField {
  name: string;
  /** The schema expression of the field as written (`Type.String()`). */
  schemaText: string;
  /** Whether the schema says the field holds text (`Type.String()`, `z.string()`). */
  holdsText: boolean;
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

/** `Type.Object({ ... })`, `z.object({ ... })`: the properties of the object literal the schema value is built from. */
function objectSchemaFields(name: ts.EntityName, model: TemporalModel): SchemaField[] {
  const variable = declarationOf(name, model, ts.isVariableDeclaration);
  const initializer = variable?.initializer;
  if (!initializer || !ts.isCallExpression(initializer) || !ts.isPropertyAccessExpression(initializer.expression)) return [];
  if (!/^(object|Object|strictObject)$/.test(initializer.expression.name.text)) return [];
  const literal = initializer.arguments[0];
  if (!literal || !ts.isObjectLiteralExpression(literal)) return [];
  const fields: SchemaField[] = [];
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    const schemaText = property.initializer.getText();
    fields.push({ name: property.name.text, schemaText, holdsText: /^\w+\.(String|string)\(/.test(schemaText), node: property });
  }
  return fields;
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
