// Strings in payloads whose names say they hold a whole document: `markdown`, `htmlContent`,
// `fileContents`, `pdfBase64`, `transcript`, found in parameters and in the fields of their types
// at any depth (arrays are left to payload-carries-collection), and in results whose function
// name says what it returns (`getTranscript(): Promise<string>`). A name that alone is ambiguous
// (`content`, `text`, `body`) counts only where the code itself hands the field's value to a
// document name (`const markdown = config.content`, a `markdown` parameter). Grouped by name:
// one document handed from a workflow to six activities is one decision.

import ts from 'typescript';
import type { DocumentCarrierFacts, DocumentFieldFacts, PayloadSiteFacts } from '../../types.js';
import type { TemporalModel } from '../types.js';
import { documentReturnedBy, isAmbiguousBody, namesDocument } from './document-names.js';
import { nameWords } from './secret-names.js';
import { payloadSignatures, type PayloadSignature } from './payload-signatures.js';
import { awaited, BINARY, constituents, dataProperties, declaredAt, isLeaf, MAPS, symbolName, typeKey } from './type-graph.js';

const MAX_DEPTH = 5;

interface FoundField extends DocumentFieldFacts {
  /** The property declaration: what an ambiguous name's evidence must refer to. */
  declaration?: ts.Declaration;
  ambiguous?: boolean;
}

export function documentCarriers(model: TemporalModel): DocumentCarrierFacts[] {
  const found = payloadSignatures(model).flatMap((site) => findDocumentFields(site).map((field) => ({ site, field })));
  const ambiguous = new Set(found.flatMap(({ field }) => (field.ambiguous && field.declaration ? [field.declaration] : [])));
  const namedBy = ambiguous.size > 0 ? documentNamesGiven(model, ambiguous) : new Map<ts.Declaration, DocumentFieldFacts['namedBy']>();
  const kept = found.flatMap(({ site, field }) => {
    const { declaration, ambiguous: isAmbiguous, ...facts } = field;
    if (!isAmbiguous) return [{ site: siteFacts(site), field: facts }];
    const evidence = declaration ? namedBy.get(declaration) : undefined;
    return evidence ? [{ site: siteFacts(site), field: { ...facts, namedBy: evidence } }] : [];
  });
  return groupDocumentCarriers(kept);
}

/**
 * One finding per document name: the same `transcript` returned by one activity and handed to five
 * more is one decision to fix, reported where it enters first (a workflow input, then signals,
 * updates and activities, each in source order) with the others related. Names carried by exactly
 * the same payloads (`bodyHtml` and `bodyText` of one result) are one finding. An ambiguous name
 * (`content`) is grouped only with the same declaration.
 */
export function groupDocumentCarriers(entries: { site: PayloadSiteFacts; field: DocumentFieldFacts }[]): DocumentCarrierFacts[] {
  const order = { workflow: 0, signal: 1, update: 2, activity: 3 } as const;
  const sorted = [...entries].sort(
    (a, b) =>
      order[a.site.kind] - order[b.site.kind] ||
      a.site.location.file.localeCompare(b.site.location.file) ||
      a.site.location.line - b.site.location.line ||
      a.site.location.column - b.site.location.column,
  );
  const siteKey = (site: PayloadSiteFacts) => `${site.location.file}:${site.location.line}:${site.location.column}:${site.direction}`;
  const byName = new Map<string, DocumentCarrierFacts>();
  for (const { site, field } of sorted) {
    const declared = field.declaredIn ? `@${field.declaredIn.location.file}:${field.declaredIn.location.line}` : '';
    const key = nameWords(field.name).join('_') + (field.namedBy ? declared : '');
    const group = byName.get(key);
    if (!group) byName.set(key, { signatures: [site], fields: [field] });
    else if (!group.signatures.some((s) => siteKey(s) === siteKey(site))) group.signatures.push(site);
  }
  const bySites = new Map<string, DocumentCarrierFacts>();
  for (const group of byName.values()) {
    const key = group.signatures.map(siteKey).join('|');
    const same = bySites.get(key);
    if (same) same.fields.push(...group.fields);
    else bySites.set(key, group);
  }
  return [...bySites.values()];
}

function siteFacts(site: PayloadSignature): PayloadSiteFacts {
  return { kind: site.kind, name: site.name, direction: site.direction, valueName: site.valueName, location: site.location };
}

function findDocumentFields(site: PayloadSignature): FoundField[] {
  const { checker } = site;
  const root = awaited(site.type, checker);
  if (holdsText(root)) {
    const name = site.direction === 'input' ? (namesDocument(site.valueName) ? site.valueName : undefined) : documentReturnedBy(site.name);
    return name ? [{ path: site.valueName, name, typeText: checker.typeToString(root) }] : [];
  }
  const found: FoundField[] = [];
  const visited = new Set<number>();
  const visit = (type: ts.Type, path: string, depth: number): void => {
    for (const part of constituents(type)) {
      // Arrays, maps and binary data are payload-carries-collection's: what they hold is counted there.
      if (isLeaf(part) || checker.isArrayType(part) || checker.isTupleType(part) || checker.getIndexInfosOfType(part).length > 0) continue;
      const typeName = symbolName(part);
      if (typeName && (BINARY.has(typeName) || MAPS.has(typeName))) continue;
      const key = typeKey(part);
      if (visited.has(key) || depth >= MAX_DEPTH) continue;
      visited.add(key);
      for (const property of dataProperties(part, checker)) {
        const fieldPath = `${path}.${property.name}`;
        if (!holdsText(property.type)) {
          visit(property.type, fieldPath, depth + 1);
          continue;
        }
        const ambiguous = isAmbiguousBody(property.name);
        if (!ambiguous && !namesDocument(property.name)) continue;
        const declaration = property.symbol.valueDeclaration ?? property.symbol.declarations?.[0];
        const location = declaredAt(part);
        const holder = typeName && typeName !== '__type' && typeName !== '__object' && location ? { declaredIn: { name: typeName, location } } : {};
        found.push({ path: fieldPath, name: property.name, typeText: checker.typeToString(property.type), ...holder, ...(declaration ? { declaration } : {}), ...(ambiguous ? { ambiguous } : {}) });
      }
    }
  };
  visit(root, site.valueName, 0);
  return found;
}

/** `string`, possibly optional or nullable: not a literal choice (`'html' | 'markdown'`), not `any`. */
function holdsText(type: ts.Type): boolean {
  const parts = constituents(type);
  return parts.length > 0 && parts.every((part) => (part.flags & ts.TypeFlags.String) !== 0);
}

/**
 * Where the code hands one of these properties' values, as read, to a name that says it is a
 * document: a variable (`const markdown = config?.content ?? ''`), an object field
 * (`{ html: page.body }`), an assignment, or a parameter of the function it is passed to
 * (`prepare(jobId, ctx, config.content)` with `markdown?: string` third).
 */
function documentNamesGiven(model: TemporalModel, declarations: Set<ts.Declaration>): Map<ts.Declaration, NonNullable<DocumentFieldFacts['namedBy']>> {
  const names = new Set([...declarations].map((d) => (d as ts.NamedDeclaration).name?.getText()).filter((n): n is string => !!n));
  const given = new Map<ts.Declaration, NonNullable<DocumentFieldFacts['namedBy']>>();
  for (const file of model.files) {
    const source = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!source || !checker) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && names.has(node.name.text)) {
        const declaration = checker.getSymbolAtLocation(node.name)?.declarations?.find((d) => declarations.has(d));
        if (declaration && !given.has(declaration)) {
          const name = receivingName(node, checker);
          if (name && namesDocument(name.text)) given.set(declaration, { name: name.text, location: model.locate(name.node) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return given;
}

/** The name the value of an expression is given where it is used as it is. */
function receivingName(expression: ts.Expression, checker: ts.TypeChecker): { text: string; node: ts.Node } | undefined {
  let value: ts.Expression = expression;
  let parent = value.parent;
  while (
    ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent) ||
    (ts.isBinaryExpression(parent) && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken))
  ) {
    value = parent as ts.Expression;
    parent = value.parent;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) return { text: parent.name.text, node: parent.name };
  if (ts.isPropertyAssignment(parent) && parent.initializer === value && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return { text: parent.name.text, node: parent.name };
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value) {
    const target = ts.isPropertyAccessExpression(parent.left) ? parent.left.name : parent.left;
    return ts.isIdentifier(target) ? { text: target.text, node: target } : undefined;
  }
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(value)) {
    const index = parent.arguments.indexOf(value);
    const declaration = checker.getResolvedSignature(parent)?.declaration;
    const parameter = declaration && !ts.isJSDocSignature(declaration) ? declaration.parameters[index] : undefined;
    if (parameter && !parameter.dotDotDotToken && ts.isIdentifier(parameter.name)) return { text: parameter.name.text, node: value };
  }
  return undefined;
}
