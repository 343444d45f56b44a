// Activities declared as class methods: `proxyActivities<PostActivities>()` where PostActivities
// is a class (NestJS integrations register the methods of `@Activity()` classes). The methods
// the proxy's type argument names are the implementations, looked up on the class.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import type { ActivityProxy } from './types.js';

export interface ClassActivityMethod {
  name: string;
  method: ts.MethodDeclaration | ts.PropertyDeclaration;
  fn: ts.FunctionLikeDeclaration;
}

/** Methods (and arrow-function properties) of the classes a proxy's type argument names. */
export function classActivityMethods(proxy: ActivityProxy, index: CodeIndex): ClassActivityMethod[] {
  const typeArgument = proxy.origin === 'proxy' ? proxy.node.typeArguments?.[0] : undefined;
  if (!typeArgument) return [];
  const methods: ClassActivityMethod[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      const name = ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName;
      const declaration = declarationOf(name, index);
      if (declaration && ts.isClassDeclaration(declaration) && !declaration.getSourceFile().isDeclarationFile) methods.push(...methodsOf(declaration));
    }
    ts.forEachChild(node, visit);
  };
  visit(typeArgument);
  return methods;
}

function methodsOf(declaration: ts.ClassDeclaration): ClassActivityMethod[] {
  const methods: ClassActivityMethod[] = [];
  for (const member of declaration.members) {
    if (!member.name || !ts.isIdentifier(member.name)) continue;
    const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword || m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    if (ts.isMethodDeclaration(member) && member.body) methods.push({ name: member.name.text, method: member, fn: member });
    else if (ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) {
      methods.push({ name: member.name.text, method: member, fn: member.initializer });
    }
  }
  return methods;
}
