// What a proxy's type argument names as its implementation: modules whose exports are the
// activities (`typeof activities`, `typeof import('./activities')`, an interface's or class's
// file), and factories whose returned object holds them (`ReturnType<typeof createActivities>`).

import ts from 'typescript';
import { factoryActivities, objectActivities, returnTypeQuery, type ProducedActivity } from './activity-factories.js';
import type { CodeIndex } from './code-index.js';
import { declarationOf, exportsOf, functionOfDeclaration } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';

export interface ProxyImplementation {
  /** Modules whose exported functions are the activities. */
  modules: string[];
  /** The activities of the objects the named factories return (their files are not activity modules). */
  produced: ProducedActivity[];
}

const cache = new WeakMap<ts.TypeNode, ProxyImplementation>();

export function proxyImplementation(typeNode: ts.TypeNode, ctx: ResolveContext): ProxyImplementation {
  const cached = cache.get(typeNode);
  if (cached) return cached;
  const index = ctx.index;
  const found = new Set<string>();
  const produced: ProducedActivity[] = [];
  const aliases = new Set<ts.Node>();
  // An activity's signature written inline (`{ record: (params: { status: Status }) => Promise<void> }`):
  // the types of its parameters and result are payloads. Their module is the implementation only
  // when it exports one of the activities by name (options types declared beside the activities).
  const payloadModules = new Set<string>();
  const memberNames = new Set<string>();
  let inSignature = 0;
  const visit = (node: ts.Node): void => {
    if (inSignature === 0 && (ts.isPropertySignature(node) || ts.isMethodSignature(node)) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) memberNames.add(node.name.text);
    if (ts.isFunctionTypeNode(node) || ts.isMethodSignature(node) || ts.isConstructorTypeNode(node)) {
      inSignature++;
      ts.forEachChild(node, visit);
      inSignature--;
      return;
    }
    const modules = inSignature > 0 ? payloadModules : found;
    const factoryQuery = returnTypeQuery(node);
    if (factoryQuery) {
      // The factory's own module is not where the activities are: the returned object is.
      const name = ts.isQualifiedName(factoryQuery.exprName) ? factoryQuery.exprName.right : factoryQuery.exprName;
      const factory = functionOfDeclaration(declarationOf(name, index));
      if (factory && !factory.getSourceFile().isDeclarationFile) produced.push(...factoryActivities(factory, ctx));
      return;
    }
    if (ts.isTypeQueryNode(node)) {
      const declaration = declarationOf(ts.isQualifiedName(node.exprName) ? node.exprName.right : node.exprName, index);
      // An object of functions (or of curried factories) holds the activities itself; its file's
      // exports (the helper that builds the worker's activities) are not activities.
      const fromObject = declaration ? objectActivities(declaration, ctx) : undefined;
      if (fromObject) produced.push(...fromObject);
      else if (declaration && !isUnresolvedImport(declaration)) modules.add(declaration.getSourceFile().fileName);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      const target = index.resolveModule(node.getSourceFile().fileName, node.argument.literal.text, node.argument.literal);
      if (target) modules.add(target);
    } else if (ts.isTypeReferenceNode(node)) {
      const name = ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName;
      const declaration = declarationOf(name, index);
      // An alias (`Pick<typeof activities, 'a'>` declared beside the proxy) names what it aliases,
      // not its own file; an import that did not resolve names no file at all.
      if (declaration && ts.isTypeAliasDeclaration(declaration)) {
        // A library alias (Pick, Omit, ReturnType) says nothing itself: its type arguments do.
        if (!declaration.getSourceFile().isDeclarationFile && !aliases.has(declaration)) {
          aliases.add(declaration);
          visit(declaration.type);
        }
      } else if (declaration && !isUnresolvedImport(declaration) && !ts.isTypeParameterDeclaration(declaration)) {
        // A mapped type's key (`K in keyof ...`) names no implementation, only where the alias is.
        modules.add(declaration.getSourceFile().fileName);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(typeNode);
  for (const module of payloadModules) {
    if (found.has(module) || !isProjectSource(module)) continue;
    const exported = exportsOf(module, index);
    if ([...memberNames].some((name) => functionOfDeclaration(exported.get(name)))) found.add(module);
  }
  const result = { modules: [...found].filter(isProjectSource).sort(), produced };
  cache.set(typeNode, result);
  return result;
}

/**
 * Every file the implementation lives in: the modules, the files of the factories' products and,
 * given the index, the files that define the functions the modules export (an `activities.ts`
 * that re-exports `syncOrganization` from `./activities/organization`). Without them an activity
 * re-exported this way could not be told from another worker's function of the same name.
 */
export function implementationFilesOf(implementation: ProxyImplementation, index?: CodeIndex): string[] {
  const files = new Set([...implementation.modules, ...implementation.produced.map(({ fn }) => fn.getSourceFile().fileName).filter(isProjectSource)]);
  if (index) {
    for (const module of implementation.modules) {
      for (const [name, declaration] of exportsOf(module, index)) {
        const fn = name === 'default' ? undefined : functionOfDeclaration(declaration);
        if (fn && isProjectSource(fn.getSourceFile().fileName)) files.add(fn.getSourceFile().fileName);
      }
    }
  }
  return [...files].sort();
}

/** An import binding the checker could not follow to its module (a missing package or alias). */
function isUnresolvedImport(declaration: ts.Declaration): boolean {
  return ts.isImportSpecifier(declaration) || ts.isImportClause(declaration) || ts.isNamespaceImport(declaration) || ts.isImportEqualsDeclaration(declaration);
}

function isProjectSource(file: string): boolean {
  return !file.includes('/node_modules/') && !/\.d\.[mc]?ts$/.test(file);
}
