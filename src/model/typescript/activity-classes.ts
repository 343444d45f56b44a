// Activities declared as class methods: `proxyActivities<PostActivities>()` where PostActivities
// is a class (NestJS integrations register the methods of `@Activity()` classes). The methods
// the proxy's type argument names are the implementations, looked up on the class. In a class
// that uses the decorators (`@Activity()` on the class, `@ActivityMethod()` on methods, as
// nestjs-temporal-core does), only decorated methods are registered: an undecorated method is a
// plain method, and a workflow calling an activity type of that name reaches whatever class does
// register it.

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
  const decoratedOnly = decoratorOf(declaration, 'Activity') !== undefined || declaration.members.some((member) => decoratorOf(member, 'ActivityMethod') !== undefined);
  for (const member of declaration.members) {
    if (!member.name || !ts.isIdentifier(member.name)) continue;
    const marker = decoratorOf(member, 'ActivityMethod');
    if (decoratedOnly && !marker) continue;
    const name = (marker && registeredName(marker)) ?? member.name.text;
    const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword || m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    if (ts.isMethodDeclaration(member) && member.body) methods.push({ name, method: member, fn: member });
    else if (ts.isPropertyDeclaration(member) && member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))) {
      methods.push({ name, method: member, fn: member.initializer });
    }
  }
  return methods;
}

/** The decorator `@name` or `@name(...)` on a node, if any. */
function decoratorOf(node: ts.Node, name: string): ts.Decorator | undefined {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return decorators.find((decorator) => {
    const expression = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    return (ts.isIdentifier(expression) && expression.text === name) || (ts.isPropertyAccessExpression(expression) && expression.name.text === name);
  });
}

/** The activity type a decorator names: `@ActivityMethod('send')` or `@ActivityMethod({ name: 'send' })`. */
function registeredName(decorator: ts.Decorator): string | undefined {
  if (!ts.isCallExpression(decorator.expression)) return undefined;
  const [argument] = decorator.expression.arguments;
  if (argument && ts.isStringLiteralLike(argument)) return argument.text;
  if (argument && ts.isObjectLiteralExpression(argument)) {
    for (const property of argument.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'name' && ts.isStringLiteralLike(property.initializer)) return property.initializer.text;
    }
  }
  return undefined;
}
