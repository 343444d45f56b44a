// Where an identifier refers to a binding in a value position: not a property name, not the name
// being declared, not a label, and not inside a type (types are erased before the sandbox runs).

import ts from 'typescript';

/** An identifier that reads or writes a binding (not a property name, declaration name or label). */
export function isReferencePosition(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isQualifiedName(parent) && parent.right === id) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === id) {
    return false;
  }
  if ((ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) && parent.name === id) return false;
  if ((ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === id) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && (parent.name === id || parent.propertyName === id)) return false;
  if ((ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassLike(parent)) && parent.name === id) return false;
  if ((ts.isEnumMember(parent) || ts.isEnumDeclaration(parent) || ts.isModuleDeclaration(parent)) && parent.name === id) return false;
  if ((ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent) || ts.isTypeParameterDeclaration(parent)) && parent.name === id) {
    return false;
  }
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent)) {
    return false;
  }
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isExportSpecifier(parent)) return !parent.isTypeOnly && (parent.propertyName ? parent.propertyName === id : true);
  if (ts.isMetaProperty(parent)) return false;
  return !isInTypePosition(id);
}

/** True inside a type annotation, type query, interface or type alias (erased at compile time). */
export function isInTypePosition(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isInterfaceDeclaration(parent) || ts.isTypeAliasDeclaration(parent)) return true;
    if (ts.isTypeNode(current) && !isClassExtendsExpression(current)) return true;
    if (ts.isExpressionWithTypeArguments(current) && ts.isHeritageClause(parent)) return !isClassExtendsExpression(current);
    if (ts.isStatement(parent) || ts.isSourceFile(parent)) return false;
  }
  return false;
}

function isClassExtendsExpression(node: ts.Node): boolean {
  return (
    ts.isExpressionWithTypeArguments(node) &&
    ts.isHeritageClause(node.parent) &&
    node.parent.token === ts.SyntaxKind.ExtendsKeyword &&
    ts.isClassLike(node.parent.parent)
  );
}
