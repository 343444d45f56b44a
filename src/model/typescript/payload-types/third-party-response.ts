// Two shapes of payloads that carry more than the workflow needs. An activity result whose type is a whole response type of a third-party package (declared in
// node_modules: an SDK's transaction receipt, an API client's response object) with array fields.
// The activity hands the SDK's object back as is, and Temporal stores all of it, logs and items
// included, in the workflow history, though the workflow usually reads a field or two. And a
// workflow input handed on to continueAsNew: each new run stores it again.

import ts from 'typescript';
import type { PayloadSignature } from './payload-signatures.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import { awaited, constituents, dataProperties, symbolName } from './type-graph.js';

export interface ThirdPartyResponse {
  /** The type as named by its package (`TransactionReceipt`). */
  typeName: string;
  /** The package that declares it (`viem`, `@aws-sdk/client-s3`). */
  packageName: string;
  /** Its top-level fields that are arrays, with their types. */
  arrayFields: { name: string; typeText: string }[];
}

/**
 * The third-party response an activity returns: its awaited result is one object type (null and
 * undefined aside) declared in a package under node_modules, and some of its own fields are arrays.
 * `any` (an HTTP client's untyped `response.data`) says nothing and is left out.
 */
export function thirdPartyResponse(site: PayloadSignature): ThirdPartyResponse | undefined {
  if (site.kind !== 'activity' || site.direction !== 'result') return undefined;
  const checker = site.checker;
  const parts = constituents(awaited(site.type, checker));
  if (parts.length !== 1) return undefined;
  const [type] = parts as [ts.Type];
  if (!(type.flags & ts.TypeFlags.Object) || checker.isArrayType(type) || checker.isTupleType(type)) return undefined;
  const packageName = declaringPackage(type);
  const typeName = symbolName(type);
  if (!packageName || !typeName || typeName === '__type' || typeName === '__object') return undefined;
  const arrayFields = dataProperties(type, checker)
    .filter((property) => constituents(property.type).some((part) => checker.isArrayType(part)))
    .map((property) => ({ name: property.name, typeText: checker.typeToString(property.type) }));
  return arrayFields.length ? { typeName, packageName, arrayFields } : undefined;
}

/** `viem` for …/node_modules/viem/…, `@scope/name` for a scoped package; undefined outside node_modules. */
function declaringPackage(type: ts.Type): string | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const file = symbol?.declarations?.[0]?.getSourceFile();
  if (!file?.isDeclarationFile) return undefined;
  // The last node_modules in the path: pnpm keeps packages under node_modules/.pnpm/<id>/node_modules/<name>.
  const matches = [...file.fileName.replace(/\\/g, '/').matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
  const match = matches[matches.length - 1];
  if (!match || match[1] === 'typescript' || match[1]!.startsWith('@types/node')) return undefined;
  return match[1]!.startsWith('@types/') ? match[1]!.slice('@types/'.length) : match[1];
}

/**
 * Where a workflow hands an input parameter on to continueAsNew (`continueAsNew({ ...props })`,
 * `continueAsNew(props)`, `continueAsNew({ definition: props.definition })`): every run stores
 * the value again in its own history.
 */
export function continueAsNewCarrying(model: TemporalModel, site: PayloadSignature): SourceLocation | undefined {
  if (site.kind !== 'workflow' || site.direction !== 'input') return undefined;
  const workflow = model.workflows.find((w) => w.name === site.name && w.file === site.location.file);
  const parameter = workflow?.node.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === site.valueName);
  const body = workflow?.node.body;
  if (!parameter || !body) return undefined;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'continueAsNew' && node.arguments.some((argument) => refersTo(argument, parameter, model))) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found ? model.locate(found) : undefined;
}

function refersTo(node: ts.Node, parameter: ts.ParameterDeclaration, model: TemporalModel): boolean {
  if (ts.isIdentifier(node) && model.declarationOf(node) === parameter) return true;
  return ts.forEachChild(node, (child) => refersTo(child, parameter, model) || undefined) ?? false;
}
