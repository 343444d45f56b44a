// A list of strings under a plural credential name (`envSecrets: string[]`, `requiredCredentials`)
// may hold the secrets or the names of the secrets; the type cannot tell. The project's own code
// can: what it writes into the field (`envSecrets: row.env_secret_names`) and what it calls each item
// when it walks the list (`for (const secretName of source.envSecrets)`). The list is taken for a
// list of names when some write or walk says names and none says credentials: a value read from a
// credential-looking name (`webhookSecrets: decrypted.secrets`) or an item called `secret` keeps it.
// A map of names to values (`Record<string, string>`) is not a list and is never read this way.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { looksLikeSecret, nameWords } from './secret-names.js';

/** The last word of a plural credential name, the kind of list read here. */
const PLURAL_SECRET_WORDS = new Set(['secrets', 'credentials', 'passwords', 'tokens', 'keys', 'apikeys']);
/** The last word of a name that refers to a credential instead of holding it. */
const REFERENCE_WORDS = new Set(['name', 'names', 'id', 'ids', 'ref', 'refs', 'reference', 'references', 'key', 'keys', 'path', 'paths', 'arn', 'arns']);

/** `envSecrets`, `requiredCredentials`, `secrets`: a name this reading applies to. */
export function isPluralSecretListName(name: string): boolean {
  const words = nameWords(name);
  return words.length > 0 && PLURAL_SECRET_WORDS.has(words[words.length - 1]!) && looksLikeSecret(name);
}

type Evidence = 'reference' | 'secret' | 'neutral';

const cache = new WeakMap<TemporalModel, Map<string, boolean>>();

/**
 * Whether the project's code shows that the property (a `string[]` field under a plural credential
 * name) holds names of secrets: some write or walk of it says names, none says credentials.
 */
export function listHoldsSecretNames(property: ts.Symbol, model: TemporalModel): boolean {
  const declarations = (property.declarations ?? []).filter((d) => ts.isPropertySignature(d) || ts.isPropertyDeclaration(d));
  if (declarations.length === 0) return false;
  const keys = new Set(declarations.map(declarationKey));
  const cacheKey = [...keys].sort().join('|');
  let byModel = cache.get(model);
  if (!byModel) cache.set(model, (byModel = new Map()));
  const known = byModel.get(cacheKey);
  if (known !== undefined) return known;
  const name = property.getName();
  const evidence: Evidence[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker || !sourceFile.text.includes(name)) continue;
    const isOurs = (symbol: ts.Symbol | undefined) => !!symbol && (symbol.declarations ?? []).some((d) => keys.has(declarationKey(d)));
    const walk = (node: ts.Node): void => {
      // A write in an object literal: `{ envSecrets: cu.env_secret_names }`.
      if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && propertyNameText(node.name) === name && ts.isObjectLiteralExpression(node.parent)) {
        if (contextualProperties(node.parent, name, checker).some(isOurs)) {
          evidence.push(ts.isPropertyAssignment(node) ? valueEvidence(node.initializer) : nameEvidence(node.name.text));
        }
      }
      // A write by assignment: `source.envSecrets = names`.
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === name) {
        if (isOurs(checker.getSymbolAtLocation(node.left.name))) evidence.push(valueEvidence(node.right));
      }
      // A walk: `for (const secretName of source.envSecrets ?? [])`, `source.envSecrets.map((secretName) => ...)`.
      if (ts.isForOfStatement(node) && readsProperty(node.expression, name, checker, isOurs)) {
        const init = node.initializer;
        const declared = ts.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0]!.name : undefined;
        if (declared && ts.isIdentifier(declared)) evidence.push(nameEvidence(declared.text));
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['map', 'forEach', 'flatMap', 'filter'].includes(node.expression.name.text)) {
        const callback = node.arguments[0];
        const parameter = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? callback.parameters[0] : undefined;
        if (parameter && ts.isIdentifier(parameter.name) && readsProperty(node.expression.expression, name, checker, isOurs)) evidence.push(nameEvidence(parameter.name.text));
      }
      ts.forEachChild(node, walk);
    };
    walk(sourceFile);
  }
  const holdsNames = evidence.includes('reference') && !evidence.includes('secret');
  byModel.set(cacheKey, holdsNames);
  return holdsNames;
}

function declarationKey(declaration: ts.Declaration): string {
  return `${declaration.getSourceFile().fileName}:${declaration.getStart()}`;
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** The property symbols an object literal's contextual type has under this name (each member of a union). */
function contextualProperties(literal: ts.ObjectLiteralExpression, name: string, checker: ts.TypeChecker): ts.Symbol[] {
  const type = checker.getContextualType(literal);
  if (!type) return [];
  const parts = type.isUnion() ? type.types : [type];
  return parts.flatMap((part) => {
    const symbol = checker.getPropertyOfType(part, name);
    return symbol ? [symbol] : [];
  });
}

/** `source.envSecrets`, also behind `?? []`, `|| []`, `!` and parentheses. */
function readsProperty(expression: ts.Expression, name: string, checker: ts.TypeChecker, isOurs: (s: ts.Symbol | undefined) => boolean): boolean {
  const e = unwrap(expression);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return readsProperty(e.left, name, checker, isOurs);
  }
  return ts.isPropertyAccessExpression(e) && e.name.text === name && isOurs(checker.getSymbolAtLocation(e.name));
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/**
 * What a written value says: `cu.env_secret_names` (also `x?.length ? x : undefined`, `x ?? []`,
 * `[...x]`, `rows.map((r) => r.secretName)`) says names; `decrypted.secrets` says credentials;
 * a literal, a call or an unclear name says nothing.
 */
function valueEvidence(expression: ts.Expression): Evidence {
  const found: Evidence[] = [];
  const visit = (node: ts.Expression): void => {
    const e = unwrap(node);
    if (ts.isConditionalExpression(e)) {
      visit(e.whenTrue);
      visit(e.whenFalse);
      return;
    }
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (ts.isArrayLiteralExpression(e)) {
      for (const element of e.elements) visit(ts.isSpreadElement(element) ? element.expression : element);
      return;
    }
    if (e.kind === ts.SyntaxKind.UndefinedKeyword || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return;
    // `rows.map((row) => row.secretName)`: the items are what the callback returns.
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'map') {
      const callback = e.arguments[0];
      if (callback && ts.isArrowFunction(callback) && !ts.isBlock(callback.body)) return visit(callback.body);
    }
    const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
    found.push(name ? nameEvidence(name) : 'neutral');
  };
  visit(expression);
  if (found.includes('secret')) return 'secret';
  return found.length > 0 && found.every((f) => f === 'reference') ? 'reference' : found.includes('reference') ? 'neutral' : 'neutral';
}

/** `secretName`, `env_secret_names`, `keyIds`: a reference; `secret`, `apiKey`: a credential. */
function nameEvidence(name: string): Evidence {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (words.length > 1 && last && REFERENCE_WORDS.has(last) && !looksLikeSecretKey(words)) return 'reference';
  if (looksLikeSecret(name)) return 'secret';
  return 'neutral';
}

/** `apiKey`, `privateKeys`, `accessKeys`, `secretKeys`: a `key` that is the credential itself, not a map key. */
function looksLikeSecretKey(words: string[]): boolean {
  const last = words[words.length - 1]!;
  if (last !== 'key' && last !== 'keys') return false;
  const before = words[words.length - 2];
  return before !== undefined && ['api', 'private', 'access', 'secret', 'signing', 'encryption', 'client', 'service', 'master', 'license'].includes(before);
}
