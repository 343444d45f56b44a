// Static evaluation of option values: literals, consts (also imported and re-exported), object
// spreads and merges, simple helper functions that return option objects, and
// `process.env.X ?? default`. Anything else is `unknown` with its source text, never a guess.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf, exportsOf } from './declarations.js';
import { environmentVariableOf, withConfigurable } from './environment-values.js';
import { resolveCall } from './resolve-call.js';
import { locate, nodeText } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticObject, StaticValue } from './types.js';

const MAX_DEPTH = 40;

export interface ResolveContext {
  index: CodeIndex;
  depth: number;
  /** Values of parameters (and destructured parameters) while resolving a helper's body. */
  bindings: Map<ts.Node, StaticValue>;
  /** Declarations being resolved on the current path: a cycle gives `unknown`. */
  active: Set<ts.Node>;
  /** How often a cycle or the depth limit cut resolution short: such values are not cached. */
  cycles: { count: number };
  /**
   * Memoised initialisers the worker process runs before it creates its worker (see
   * startup-initialisers.ts): their I/O and throws never happen inside an activity.
   */
  initialisedAtStartup?: Set<ts.Node>;
}

export function createResolveContext(index: CodeIndex): ResolveContext {
  return { index, depth: 0, bindings: new Map(), active: new Set(), cycles: { count: 0 } };
}

export function unknownValue(node: ts.Node): StaticValue {
  return { kind: 'unknown', text: nodeText(node), location: locate(node), node };
}

export function resolveValue(node: ts.Expression, ctx: ResolveContext): StaticValue {
  if (ctx.depth > MAX_DEPTH) {
    ctx.cycles.count++;
    return unknownValue(node);
  }
  const inner: ResolveContext = { ...ctx, depth: ctx.depth + 1 };
  const expression = skipOuterExpressions(node) as ts.Expression;
  const location = () => locate(expression);
  switch (expression.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return { kind: 'string', value: (expression as ts.StringLiteralLike).text, location: location() };
    case ts.SyntaxKind.NumericLiteral:
      return { kind: 'number', value: Number((expression as ts.NumericLiteral).text.replace(/_/g, '')), location: location() };
    case ts.SyntaxKind.TrueKeyword:
      return { kind: 'boolean', value: true, location: location() };
    case ts.SyntaxKind.FalseKeyword:
      return { kind: 'boolean', value: false, location: location() };
    case ts.SyntaxKind.NullKeyword:
      return { kind: 'null', location: location() };
    case ts.SyntaxKind.VoidExpression:
      return { kind: 'undefined', location: location() };
    default:
      break;
  }
  if (ts.isPrefixUnaryExpression(expression)) return resolvePrefixUnary(expression, inner) ?? unknownValue(node);
  if (ts.isTemplateExpression(expression)) return resolveTemplate(expression, inner) ?? unknownValue(node);
  if (ts.isBinaryExpression(expression)) return resolveBinary(expression, inner) ?? unknownValue(node);
  if (ts.isArrayLiteralExpression(expression)) return resolveArray(expression, inner);
  if (ts.isObjectLiteralExpression(expression)) return resolveObject(expression, inner);
  if (ts.isIdentifier(expression)) return resolveIdentifier(expression, inner) ?? unknownValue(node);
  if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)) {
    return resolveMemberAccess(expression, inner) ?? unknownValue(node);
  }
  if (ts.isCallExpression(expression)) return resolveRequire(expression, inner) ?? resolveCall(expression, inner) ?? unknownValue(node);
  if (ts.isAwaitExpression(expression)) return resolveDynamicImport(expression, inner) ?? unknownValue(node);
  if (ts.isConditionalExpression(expression)) {
    const condition = resolveValue(expression.condition, inner);
    const truthy = truthiness(condition);
    if (truthy !== undefined) return resolveValue(truthy ? expression.whenTrue : expression.whenFalse, inner);
  }
  return unknownValue(node);
}

function resolvePrefixUnary(expression: ts.PrefixUnaryExpression, ctx: ResolveContext): StaticValue | undefined {
  const operand = resolveValue(expression.operand, ctx);
  if (expression.operator === ts.SyntaxKind.MinusToken && operand.kind === 'number') {
    return { ...operand, value: -operand.value, location: locate(expression) };
  }
  if (expression.operator === ts.SyntaxKind.PlusToken && operand.kind === 'number') return operand;
  if (expression.operator === ts.SyntaxKind.ExclamationToken) {
    const truthy = truthiness(operand);
    if (truthy !== undefined) return { kind: 'boolean', value: !truthy, location: locate(expression) };
  }
  return undefined;
}

function resolveTemplate(expression: ts.TemplateExpression, ctx: ResolveContext): StaticValue | undefined {
  let text = expression.head.text;
  for (const span of expression.templateSpans) {
    const part = resolveValue(span.expression, ctx);
    if (part.kind !== 'string' && part.kind !== 'number' && part.kind !== 'boolean') return undefined;
    text += String(part.value) + span.literal.text;
  }
  return { kind: 'string', value: text, location: locate(expression) };
}

function resolveBinary(expression: ts.BinaryExpression, ctx: ResolveContext): StaticValue | undefined {
  const operator = expression.operatorToken.kind;
  if (operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) {
    const env = environmentVariableOf(expression.left);
    if (env !== undefined) return withConfigurable(resolveValue(expression.right, ctx), env);
    const left = resolveValue(expression.left, ctx);
    if (operator === ts.SyntaxKind.QuestionQuestionToken) {
      if (left.kind === 'undefined' || left.kind === 'null') return resolveValue(expression.right, ctx);
      return left.kind === 'unknown' ? undefined : left;
    }
    const truthy = truthiness(left);
    if (truthy === undefined) return undefined;
    return truthy ? left : resolveValue(expression.right, ctx);
  }
  if (EQUALITY.has(operator)) return resolveEquality(expression, operator, ctx);
  const arithmetic: Partial<Record<ts.SyntaxKind, (a: number, b: number) => number>> = {
    [ts.SyntaxKind.PlusToken]: (a, b) => a + b,
    [ts.SyntaxKind.MinusToken]: (a, b) => a - b,
    [ts.SyntaxKind.AsteriskToken]: (a, b) => a * b,
    [ts.SyntaxKind.SlashToken]: (a, b) => a / b,
    [ts.SyntaxKind.PercentToken]: (a, b) => a % b,
    [ts.SyntaxKind.AsteriskAsteriskToken]: (a, b) => a ** b,
  };
  const apply = arithmetic[operator];
  if (!apply) return undefined;
  const left = resolveValue(expression.left, ctx);
  const right = resolveValue(expression.right, ctx);
  const location = locate(expression);
  if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: apply(left.value, right.value), location };
  const isText = (v: StaticValue) => v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean';
  if (operator === ts.SyntaxKind.PlusToken && isText(left) && isText(right) && (left.kind === 'string' || right.kind === 'string')) {
    return { kind: 'string', value: String((left as { value: unknown }).value) + String((right as { value: unknown }).value), location };
  }
  return undefined;
}

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/**
 * `a === undefined`, `mode !== 'test'`: decided when both sides are known primitives, or one is an
 * object or array and the other undefined or null (`options.activities === undefined ? {} : {...}`).
 */
function resolveEquality(expression: ts.BinaryExpression, operator: ts.SyntaxKind, ctx: ResolveContext): StaticValue | undefined {
  const left = resolveValue(expression.left, ctx);
  const right = resolveValue(expression.right, ctx);
  const strict = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  const negated = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  const primitive = (v: StaticValue) => v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean' || v.kind === 'undefined' || v.kind === 'null';
  const nullish = (v: StaticValue) => v.kind === 'undefined' || v.kind === 'null';
  const composite = (v: StaticValue) => v.kind === 'object' || v.kind === 'array';
  let equal: boolean;
  if (primitive(left) && primitive(right)) {
    if (nullish(left) || nullish(right)) equal = strict ? left.kind === right.kind : nullish(left) && nullish(right);
    else if (left.kind !== right.kind) {
      if (strict) equal = false;
      else return undefined;
    } else equal = (left as { value: unknown }).value === (right as { value: unknown }).value;
  } else if ((composite(left) && nullish(right)) || (nullish(left) && composite(right))) {
    equal = false;
  } else {
    return undefined;
  }
  return { kind: 'boolean', value: negated ? !equal : equal, location: locate(expression) };
}

function truthiness(value: StaticValue): boolean | undefined {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return Boolean(value.value);
    case 'undefined':
    case 'null':
      return false;
    case 'object':
    case 'array':
      return true;
    default:
      return undefined;
  }
}

function resolveArray(expression: ts.ArrayLiteralExpression, ctx: ResolveContext): StaticValue {
  const elements: StaticValue[] = [];
  let openSpread = false;
  for (const element of expression.elements) {
    if (ts.isSpreadElement(element)) {
      const spread = resolveValue(element.expression, ctx);
      if (spread.kind === 'array') {
        elements.push(...spread.elements);
        if (spread.openSpread) openSpread = true;
      } else {
        elements.push(unknownValue(element));
        openSpread = true;
      }
    } else if (ts.isOmittedExpression(element)) {
      elements.push({ kind: 'undefined', location: locate(element) });
    } else {
      elements.push(resolveValue(element, ctx));
    }
  }
  return { kind: 'array', elements, location: locate(expression), ...(openSpread ? { openSpread } : {}) };
}

function resolveObject(expression: ts.ObjectLiteralExpression, ctx: ResolveContext): StaticObject {
  const result: StaticObject = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locate(expression) };
  for (const property of expression.properties) {
    if (ts.isSpreadAssignment(property)) {
      mergeInto(result, resolveValue(property.expression, ctx), property.expression, ctx);
      continue;
    }
    const key = property.name ? propertyKey(property.name, ctx) : undefined;
    if (key === undefined) {
      result.unknownSpreads.push({ text: nodeText(property), location: locate(property) });
      continue;
    }
    let value: StaticValue;
    if (ts.isPropertyAssignment(property)) value = resolveValue(property.initializer, ctx);
    else if (ts.isShorthandPropertyAssignment(property)) value = resolveIdentifier(property.name, ctx) ?? unknownValue(property.name);
    else value = unknownValue(property);
    result.properties.delete(key);
    result.properties.set(key, value);
  }
  return result;
}

/** Applies `...value` (or an Object.assign source) to an object: later keys win. */
export function mergeInto(target: StaticObject, value: StaticValue, source: ts.Node, ctx?: ResolveContext): void {
  if (value.kind === 'undefined' || value.kind === 'null') return;
  if (value.kind !== 'object') {
    const keys = ctx ? spreadKeys(source, ctx) : undefined;
    target.unknownSpreads.push({ text: nodeText(source), location: locate(source), ...(keys ? { keys } : {}) });
    return;
  }
  for (const [key, property] of value.properties) {
    target.properties.delete(key);
    target.properties.set(key, property);
  }
  target.unknownSpreads.push(...value.unknownSpreads);
}

/**
 * The keys a spread value's type allows, when the type says so exactly: an object type (or a
 * union of them) without index signatures. `any`, an unresolved type or a type parameter: undefined.
 */
function spreadKeys(source: ts.Node, ctx: ResolveContext): string[] | undefined {
  const checker = ctx.index.checkerFor(source.getSourceFile().fileName);
  if (!checker || !ts.isExpression(source)) return undefined;
  const type = checker.getTypeAtLocation(source);
  const keys = new Set<string>();
  for (const part of type.isUnion() ? type.types : [type]) {
    if (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) continue;
    if (!(part.flags & ts.TypeFlags.Object) || part.getStringIndexType() || part.getNumberIndexType()) return undefined;
    for (const property of checker.getPropertiesOfType(part)) keys.add(property.name);
  }
  return [...keys].sort();
}

function propertyKey(name: ts.PropertyName, ctx: ResolveContext): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const key = resolveValue(name.expression, ctx);
    if (key.kind === 'string' || key.kind === 'number') return String(key.value);
  }
  return undefined;
}

function resolveIdentifier(identifier: ts.Identifier, ctx: ResolveContext): StaticValue | undefined {
  if (identifier.text === 'undefined') return { kind: 'undefined', location: locate(identifier) };
  const declaration = declarationOf(identifier, ctx.index);
  if (!declaration) return undefined;
  const bound = ctx.bindings.get(declaration);
  if (bound) return bound;
  return resolveDeclaration(declaration, ctx);
}

/**
 * Values of module-level declarations (consts, module namespaces, default exports) do not depend
 * on where they are used: resolved once per build. Values are never mutated after resolution.
 */
const moduleLevelValues = new WeakMap<ts.Node, StaticValue | undefined>();

function isModuleLevel(declaration: ts.Node): boolean {
  if (ts.isSourceFile(declaration) || ts.isExportAssignment(declaration)) return true;
  return ts.isVariableDeclaration(declaration) && ts.isVariableStatement(declaration.parent.parent) && ts.isSourceFile(declaration.parent.parent.parent);
}

/** The value a declaration gives its name: a const initializer, a module's exports, ... */
export function resolveDeclaration(declaration: ts.Node, ctx: ResolveContext): StaticValue | undefined {
  if (!isModuleLevel(declaration)) return resolveDeclarationOnce(declaration, ctx);
  if (moduleLevelValues.has(declaration)) return moduleLevelValues.get(declaration);
  const cyclesBefore = ctx.cycles.count;
  const value = resolveDeclarationOnce(declaration, ctx);
  if (ctx.cycles.count === cyclesBefore) moduleLevelValues.set(declaration, value);
  return value;
}

function resolveDeclarationOnce(declaration: ts.Node, ctx: ResolveContext): StaticValue | undefined {
  if (ctx.active.has(declaration)) {
    ctx.cycles.count++;
    return undefined;
  }
  ctx.active.add(declaration);
  try {
    if (ts.isVariableDeclaration(declaration)) {
      const isConst = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
      if (!isConst || !declaration.initializer) return undefined;
      const value = resolveValue(declaration.initializer, ctx);
      // `const wrapped = {} as T; for (...) wrapped[name] = ...`: the literal is not all it holds.
      if (value.kind !== 'object') return value;
      const written = laterWrite(declaration, ctx);
      return written ? { ...value, unknownSpreads: [...value.unknownSpreads, { text: nodeText(written), location: locate(written) }] } : value;
    }
    if (ts.isBindingElement(declaration)) return resolveBindingElement(declaration, ctx);
    if (ts.isSourceFile(declaration)) return resolveModuleNamespace(declaration, ctx);
    if (ts.isExportAssignment(declaration)) return resolveValue(declaration.expression, ctx);
    if (ts.isEnumMember(declaration) && declaration.initializer) return resolveValue(declaration.initializer, ctx);
    if (ts.isPropertyAssignment(declaration)) return resolveValue(declaration.initializer, ctx);
    if (ts.isParameter(declaration)) return ctx.bindings.get(declaration);
    return undefined;
  } finally {
    ctx.active.delete(declaration);
  }
}

const laterWrites = new WeakMap<ts.VariableDeclaration, ts.Node | null>();

/**
 * A write into a const object under a key read from data after its declaration (`holder[key] = v`,
 * `delete holder[key]`, `Object.assign(holder, ...)`) in the scope that declares it: the first one,
 * or undefined when there is none.
 */
function laterWrite(declaration: ts.VariableDeclaration, ctx: ResolveContext): ts.Node | undefined {
  if (laterWrites.has(declaration)) return laterWrites.get(declaration) ?? undefined;
  let found: ts.Node | undefined;
  const name = declaration.name;
  if (ts.isIdentifier(name)) {
    let scope: ts.Node = declaration.parent;
    while (!ts.isSourceFile(scope) && !ts.isBlock(scope) && !ts.isFunctionLike(scope) && !ts.isModuleBlock(scope)) scope = scope.parent;
    const isHolder = (node: ts.Expression): boolean => {
      const expression = skipOuterExpressions(node);
      return ts.isIdentifier(expression) && expression.text === name.text && declarationOf(expression, ctx.index) === declaration;
    };
    // A write under a key read from data (`wrapped[name] = ...`): a named key (`opts.x = ...`) is one
    // the reader of that key looks for where it is written (options-writes.ts), not an unknown one.
    const isMember = (node: ts.Expression): boolean => {
      const target = skipOuterExpressions(node);
      if (!ts.isElementAccessExpression(target) || !isHolder(target.expression)) return false;
      const key = skipOuterExpressions(target.argumentExpression);
      return !ts.isStringLiteralLike(key) && !ts.isNumericLiteral(key);
    };
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isMember(node.left)) found = node;
      else if (ts.isDeleteExpression(node) && isMember(node.expression)) found = node;
      else if (
        ts.isCallExpression(node) &&
        node.arguments[0] &&
        isHolder(node.arguments[0]) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'assign' &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'Object'
      )
        found = node;
      else ts.forEachChild(node, visit);
    };
    visit(scope);
  }
  laterWrites.set(declaration, found ?? null);
  return found;
}

function resolveBindingElement(element: ts.BindingElement, ctx: ResolveContext): StaticValue | undefined {
  const pattern = element.parent;
  const holder = pattern.parent;
  let source: StaticValue | undefined;
  if (ts.isVariableDeclaration(holder)) source = resolveDeclaration(holder, ctx);
  else if (ts.isParameter(holder) || ts.isBindingElement(holder)) source = ctx.bindings.get(holder);
  if (!source) return undefined;
  let value: StaticValue | undefined;
  if (ts.isObjectBindingPattern(pattern) && source.kind === 'object') {
    const key = element.propertyName ? propertyKey(element.propertyName, ctx) : ts.isIdentifier(element.name) ? element.name.text : undefined;
    if (key === undefined) return undefined;
    value = source.properties.get(key);
    if (!value && source.unknownSpreads.length > 0) return undefined;
  } else if (ts.isArrayBindingPattern(pattern) && source.kind === 'array') {
    value = source.elements[pattern.elements.indexOf(element)];
  } else {
    return undefined;
  }
  if ((!value || value.kind === 'undefined') && element.initializer) return resolveValue(element.initializer, ctx);
  return value ?? { kind: 'undefined', location: locate(element) };
}

/** `await import('./activities.js')`: the namespace of a module of the code base. */
function resolveDynamicImport(expression: ts.AwaitExpression, ctx: ResolveContext): StaticValue | undefined {
  const call = skipOuterExpressions(expression.expression);
  if (!ts.isCallExpression(call) || call.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  return namespaceOfCalledModule(call, ctx);
}

/**
 * `require('./activities')` (CommonJS, as in `activities: require('./activities')` on a worker): the
 * namespace of a module of the code base, when `require` is Node's and not a name the file declares.
 */
function resolveRequire(call: ts.CallExpression, ctx: ResolveContext): StaticValue | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) || callee.text !== 'require' || declaresName(call.getSourceFile(), 'require')) return undefined;
  return namespaceOfCalledModule(call, ctx);
}

function namespaceOfCalledModule(call: ts.CallExpression, ctx: ResolveContext): StaticValue | undefined {
  if (call.arguments.length !== 1) return undefined;
  const specifier = skipOuterExpressions(call.arguments[0]!);
  if (!ts.isStringLiteralLike(specifier)) return undefined;
  const resolved = ctx.index.resolveModule(call.getSourceFile().fileName, specifier.text, specifier);
  const sourceFile = resolved ? ctx.index.sourceFile(resolved) : undefined;
  return sourceFile && !sourceFile.isDeclarationFile ? resolveModuleNamespace(sourceFile, ctx) : undefined;
}

/**
 * Whether the file declares the name itself anywhere (a parameter, a variable, a function, an
 * import), other than `const require = createRequire(import.meta.url)`, which loads modules as
 * Node's own `require` does.
 */
function declaresName(sourceFile: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const declared = ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node);
    if (declared && node.name && ts.isIdentifier(node.name) && node.name.text === name && !isCreateRequire(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isCreateRequire(node: ts.Node): boolean {
  if (!ts.isVariableDeclaration(node) || !node.initializer) return false;
  const initializer = skipOuterExpressions(node.initializer);
  if (!ts.isCallExpression(initializer)) return false;
  const callee = skipOuterExpressions(initializer.expression);
  return ts.isIdentifier(callee) ? callee.text === 'createRequire' : ts.isPropertyAccessExpression(callee) && callee.name.text === 'createRequire';
}

function resolveModuleNamespace(sourceFile: ts.SourceFile, ctx: ResolveContext): StaticObject {
  const result: StaticObject = { kind: 'object', properties: new Map(), unknownSpreads: [], location: { file: sourceFile.fileName, line: 1, column: 1 } };
  for (const [name, declaration] of exportsOf(sourceFile.fileName, ctx.index)) {
    const value = resolveDeclaration(declaration, ctx);
    result.properties.set(name, value ?? unknownValue(ts.getNameOfDeclaration(declaration) ?? declaration));
  }
  return result;
}

function resolveMemberAccess(expression: ts.PropertyAccessExpression | ts.ElementAccessExpression, ctx: ResolveContext): StaticValue | undefined {
  if (environmentVariableOf(expression) !== undefined) return undefined;
  const key = ts.isPropertyAccessExpression(expression) ? expression.name.text : propertyKey(argumentAsName(expression), ctx);
  if (key === undefined) return undefined;
  const base = resolveValue(expression.expression, ctx);
  if (base.kind === 'object') {
    const value = base.properties.get(key);
    if (value) return value;
    return base.unknownSpreads.length > 0 ? undefined : { kind: 'undefined', location: locate(expression) };
  }
  if (base.kind === 'array') {
    if (key === 'length') return base.openSpread ? undefined : { kind: 'number', value: base.elements.length, location: locate(expression) };
    return /^\d+$/.test(key) ? base.elements[Number(key)] : undefined;
  }
  if (base.kind === 'string' && key === 'length') return { kind: 'number', value: base.value.length, location: locate(expression) };
  // Enum members and properties the checker can see although the object did not resolve.
  if (ts.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && (ts.isEnumMember(declaration) || (ts.isPropertyAssignment(declaration) && !inListElement(declaration)))) return resolveDeclaration(declaration, ctx);
  }
  return undefined;
}

/**
 * Whether a property assignment belongs to an object literal written as an element of an array
 * literal (`[{ id: 'a', workflowType: 'wfA' }, { id: 'b', ... }]`): the checker gives a property
 * read on an element (`s.workflowType` in a loop over the list) the declaration of one element only,
 * the first, so that declaration does not say which value the read gives.
 */
export function inListElement(declaration: ts.PropertyAssignment): boolean {
  for (let current: ts.Node = declaration.parent; current; current = current.parent) {
    if (ts.isArrayLiteralExpression(current)) return true;
    if (!(ts.isObjectLiteralExpression(current) || ts.isPropertyAssignment(current) || ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current))) return false;
  }
  return false;
}

function argumentAsName(expression: ts.ElementAccessExpression): ts.PropertyName {
  const argument = skipOuterExpressions(expression.argumentExpression) as ts.Expression;
  if (ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument)) return argument;
  return ts.factory.createComputedPropertyName(argument);
}

