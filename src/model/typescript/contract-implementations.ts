// Activities declared in a contract and implemented by factories: the proxy's type argument names
// signatures only (`export declare function runChecks(input: ChecksInput): Promise<ChecksResult>`,
// an interface of methods), and the functions that run are the methods of objects that factories
// return (`createBuildActivities(deps)` returning `{ async runChecks(input) {...}, ... }`). The
// worker registers them through code a static reading may not follow (a helper that filters them
// per task queue, a factory that makes the workers), so they are found from the contract: an
// object a function returns is a set of the contract's activities when every function it holds
// has the name of one of the contract's activities and a type assignable to that activity's.

import ts from 'typescript';
import { calledFunction, functionName } from './declarations.js';
import { returnedExpressions } from './resolve-call.js';
import type { ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityProxy } from './types.js';

export interface ContractImplementation {
  name: string;
  fn: ts.FunctionLikeDeclaration;
  nameNode: ts.Node;
}

interface Contract {
  checker: ts.TypeChecker;
  /** The type of each activity the contract declares, by name. */
  types: Map<string, ts.Type>;
}

/**
 * The functions that implement the named activities, for proxies whose type argument declares
 * them without a body. `missing` names the activity types no other source gave an implementation.
 */
export function contractImplementations(proxies: ActivityProxy[], missing: Set<string>, files: string[], ctx: ResolveContext): ContractImplementation[] {
  if (missing.size === 0) return [];
  const contracts: Contract[] = [];
  for (const proxy of proxies) {
    const typeNode = proxy.node.typeArguments?.[0];
    if (!typeNode || !proxy.exposedActivityTypes.some((name) => missing.has(name))) continue;
    const checker = ctx.index.checkerFor(typeNode.getSourceFile().fileName);
    if (!checker) continue;
    const type = checker.getTypeFromTypeNode(typeNode);
    const types = new Map<string, ts.Type>();
    for (const symbol of checker.getPropertiesOfType(type)) {
      if (!proxy.exposedActivityTypes.includes(symbol.name)) continue;
      // Only signatures without a body: an activity whose declaration has one is implemented there.
      if (!(symbol.declarations ?? []).every(isBodilessSignature)) continue;
      const memberType = checker.getTypeOfSymbolAtLocation(symbol, typeNode);
      if (memberType.getCallSignatures().length > 0) types.set(symbol.name, memberType);
    }
    if ([...types.keys()].some((name) => missing.has(name))) contracts.push({ checker, types });
  }
  if (contracts.length === 0) return [];
  const found: ContractImplementation[] = [];
  const seen = new Set<ts.Node>();
  for (const file of files) {
    const sourceFile = ctx.index.sourceFile(file);
    if (!sourceFile || sourceFile.isDeclarationFile) continue;
    const checker = ctx.index.checkerFor(file);
    const fileContracts = contracts.filter((contract) => contract.checker === checker);
    if (!checker || fileContracts.length === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        for (const returned of returnedExpressions(node.body as ts.ConciseBody) ?? []) {
          const object = skipOuterExpressions(returned);
          if (!ts.isObjectLiteralExpression(object) || seen.has(object)) continue;
          seen.add(object);
          for (const contract of fileContracts) {
            const members = contractMembers(object, contract, checker);
            // A factory nothing calls (a copy left behind when the activities moved) makes no activities.
            if (members && !isCalled(node as ts.FunctionLikeDeclaration, files, ctx)) break;
            if (members) {
              found.push(...members.filter((member) => missing.has(member.name)));
              break;
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

const calledCache = new WeakMap<ts.Node, boolean>();

/** The function is called by name somewhere in the reviewed production files. */
function isCalled(fn: ts.FunctionLikeDeclaration, files: string[], ctx: ResolveContext): boolean {
  const known = calledCache.get(fn);
  if (known !== undefined) return known;
  const name = functionName(fn);
  let called = false;
  if (name) {
    for (const file of files) {
      const sourceFile = ctx.index.sourceFile(file);
      if (!sourceFile || !sourceFile.text.includes(name)) continue;
      const visit = (node: ts.Node): void => {
        if (called) return;
        if (ts.isCallExpression(node) && calledFunction(node, ctx.index) === fn) called = true;
        else ts.forEachChild(node, visit);
      };
      visit(sourceFile);
      if (called) break;
    }
  }
  calledCache.set(fn, called);
  return called;
}

function isBodilessSignature(declaration: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return !declaration.body;
  return ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration);
}

/**
 * The object's functions when it holds only functions, at least one, each named as an activity of
 * the contract and assignable to that activity's type; undefined otherwise.
 */
function contractMembers(object: ts.ObjectLiteralExpression, contract: Contract, checker: ts.TypeChecker): ContractImplementation[] | undefined {
  const members: ContractImplementation[] = [];
  for (const member of object.properties) {
    // A spread is another factory's object: read where that factory returns it.
    if (ts.isSpreadAssignment(member)) continue;
    let fn: ts.FunctionLikeDeclaration | undefined;
    if (ts.isMethodDeclaration(member) && member.body) fn = member;
    else if (ts.isPropertyAssignment(member)) {
      const initializer = skipOuterExpressions(member.initializer);
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) fn = initializer;
    }
    const name = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
    if (!fn || name === undefined) return undefined;
    const expected = contract.types.get(name);
    const symbol = checker.getSymbolAtLocation(member.name!);
    if (!expected || !symbol) return undefined;
    const actual = checker.getTypeOfSymbolAtLocation(symbol, member);
    if (actual.getCallSignatures().length === 0 || !checker.isTypeAssignableTo(actual, expected)) return undefined;
    members.push({ name, fn, nameNode: member.name! });
  }
  return members.length > 0 ? members : undefined;
}
