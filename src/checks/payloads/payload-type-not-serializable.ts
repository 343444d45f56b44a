// Prevents payloads that arrive as something else: the SDK's default payload converter (TypeScript)
// writes every payload with JSON.stringify and reads it with JSON.parse. A Map, a Set, a WeakMap
// or a WeakSet becomes `{}` (their entries are not own properties), so the receiving code gets an
// empty plain object, and `state.get(id)` throws "TypeError: state.get is not a function"; a bigint
// makes JSON.stringify throw, and the converter fails with "Unable to convert ... to payload".
// TypeScript still calls the value a Map, so the code compiles. Not for sets in Python: the Python
// SDK's converter writes a set as a list and reads it back as a set when the parameter is annotated.
// Python: an activity that returns raw pymongo documents (python-mongo-returns.ts), whose bson
// ObjectId `_id` the SDK's AdvancedJSONEncoder cannot write: TypeError on every attempt.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { continueAsNewCalls } from '../../model/typescript/continue-as-new-calls.js';
import { locate } from '../../model/typescript/locate.js';
import { payloadSignatures, type PayloadSignature } from '../../model/typescript/payload-types/index.js';
import { findUnserializable, type UnserializablePart } from '../../model/typescript/payload-types/unserializable.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';
import type { RelatedLocation } from '../../engine/types.js';
import { defineCheck } from '../define-check.js';

/** Methods and properties of Map and Set: none of them exists on the plain object JSON.parse gives. */
const KEYED_MEMBERS = new Set(['get', 'set', 'has', 'add', 'delete', 'clear', 'keys', 'values', 'entries', 'forEach']);

interface Site {
  signature: PayloadSignature;
  /** The receiving function (workflow or activity) and its parameter, for inputs. */
  receiver?: { fn: ts.FunctionLikeDeclaration; parameter: ts.ParameterDeclaration; kind: 'workflow' | 'activity' };
}

interface Position {
  location: SourceLocation;
  part: UnserializablePart;
  sites: Site[];
}

interface Failure {
  /** The Map/Set method call (or for-of) that throws on the plain object. */
  use: ts.Node;
  useText: string;
  /** The continueAsNew call that hands the value to the next run, for workflow inputs. */
  continueAsNew?: ts.Node;
  site: Site;
}

export default defineCheck({
  id: 'payload-type-not-serializable',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A payload type holds a Map, a Set or a bigint, which the default JSON payload converter turns into {} (or cannot write at all); Python: an activity returns raw pymongo documents, whose ObjectId _id the default converter cannot write',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      for (const activity of model.activities) {
        const found = activity.returnsMongoDocuments;
        if (!found) continue;
        ctx.report({
          location: found.returned,
          message:
            `The activity ${activity.name} returns the documents of ${found.async ? 'an async MongoDB client\'s (AsyncMongoClient, motor)' : 'a pymongo'} ${found.method}() as they come from MongoDB, with their ObjectId _id: ` +
            `the default payload converter writes the result with json.dumps, and its encoder cannot write a bson ObjectId, so it raises ` +
            `TypeError when the SDK converts the result, after the activity's work is done, on every attempt.`,
          fix: `Leave _id out of the query (a projection {"_id": 0}, or $project / $unset in the pipeline), or convert it (doc["_id"] = str(doc["_id"])) or map the documents to a model before returning them.`,
          related: [{ ...found.query, message: `the ${found.method}() whose documents are returned` }],
          data: { activity: activity.name, method: found.method },
        });
      }
      return;
    }
    // A payload converter of the project's own (CBOR, superjson, EJSON) usually exists to carry
    // exactly these types: nothing to say then.
    if (customConverterFile(model)) return;
    for (const position of positions(model)) {
      const { part, sites } = position;
      const first = sites[0]!.signature;
      const keyed = part.kind !== 'bigint';
      const failure = keyed ? throwingUse(position, model) : undefined;
      const severity = failure || (part.kind === 'bigint' && part.only) ? 'error' : 'warning';
      const becomes = keyed
        ? `the default payload converter writes it with JSON.stringify, which gives \`{}\` for a ${part.builtin} (its entries are not properties), so the receiving side gets an empty plain object, not a ${part.builtin}`
        : 'the default payload converter writes it with JSON.stringify, which throws "TypeError: Do not know how to serialize a BigInt", and the converter fails with "ValueError: Unable to convert ... to payload" on every attempt';
      const consequence = failure
        ? ` ${failure.useText} (${relative(ctx.root, model.locate(failure.use).file)}:${model.locate(failure.use).line}) then throws a TypeError on the plain object` +
          (failure.site.receiver?.kind === 'workflow'
            ? (failure.continueAsNew ? ', once the workflow has continued as new with it' : '') + ': the workflow task fails, and the server retries it forever.'
            : ': the activity fails on every attempt.')
        : keyed
          ? ` Code that calls ${part.builtin} methods on it (get, has, set, add, size, for...of) throws a TypeError there.`
          : '';
      const related: RelatedLocation[] = [];
      for (const site of sites) {
        if (samePlace(site.signature.location, position.location)) continue;
        related.push({ ...site.signature.location, message: `${describe(site.signature)}` });
      }
      if (failure?.continueAsNew) related.push({ ...model.locate(failure.continueAsNew), message: 'handed to the next run here' });
      if (failure) related.push({ ...model.locate(failure.use), message: `throws a TypeError on the plain object` });
      ctx.report({
        location: position.location,
        severity,
        message:
          `${capitalize(describe(first))} holds \`${part.path}: ${part.typeText}\`: ${becomes}.${consequence}` +
          (sites.length > 1 ? ` The same type is in ${sites.length - 1} more payload${sites.length === 2 ? '' : 's'} (see related locations).` : ''),
        fix: keyed
          ? part.kind === 'set'
            ? 'Declare it as an array (T[]) in the payload type: pass [...set] and build new Set(array) where it arrives.'
            : `Declare it as a Record<string, V> (or an array of [key, value] pairs) in the payload type: pass Object.fromEntries(map) and build new Map(Object.entries(record)) where it arrives.`
          : 'Declare it as a string (or a number, when it fits) in the payload type: pass value.toString() and BigInt(text) where it arrives.',
        ...(related.length ? { related } : {}),
        data: {
          kind: first.kind,
          name: first.name,
          direction: first.direction,
          path: part.path,
          type: part.typeText,
          builtin: part.builtin,
          payloads: sites.length,
          ...(failure ? { throwsAt: model.locate(failure.use).line } : {}),
        },
      });
    }
  },
});

/** A file that sets `payloadConverterPath`: a converter of the project's own. */
function customConverterFile(model: TemporalModel): string | undefined {
  return model.files.find((file) => model.sourceFile(file)?.text.includes('payloadConverterPath'));
}

/** Unserializable parts of every payload type, one per declaration (a field reached by several payloads is one position). */
function positions(model: TemporalModel): Position[] {
  const byKey = new Map<string, Position>();
  const sites: Site[] = payloadSignatures(model).map((signature) => ({ signature, ...receiverOf(signature, model) }));
  // Query arguments and results are left out of payloadSignatures (not in history) but go through the converter too.
  const seenQueries = new Set<string>();
  for (const workflow of model.workflows) {
    const checker = model.checkerFor(workflow.file);
    if (!checker) continue;
    for (const handler of workflow.handlers) {
      if (handler.kind !== 'query') continue;
      const location = handler.definitionLocation ?? handler.location;
      const key = `${location.file}:${location.line}:${location.column}`;
      if (seenQueries.has(key)) continue;
      seenQueries.add(key);
      const name = handler.name ?? '(unnamed)';
      handler.argTypes.forEach((type, i) => sites.push({ signature: { kind: 'query' as never, name, direction: 'input', valueName: `args[${i}]`, type, checker, location } }));
      if (handler.resultType) sites.push({ signature: { kind: 'query' as never, name, direction: 'result', valueName: 'result', type: handler.resultType, checker, location } });
    }
  }
  for (const site of sites) {
    if (!model.files.includes(site.signature.location.file)) continue;
    for (const part of findUnserializable(site.signature.type, site.signature.checker, site.signature.valueName)) {
      const location = part.declaration?.location ?? site.signature.location;
      const key = `${location.file}:${location.line}:${location.column}`;
      const position = byKey.get(key);
      if (!position) byKey.set(key, { location, part, sites: [site] });
      else if (!position.sites.includes(site)) position.sites.push(site);
    }
  }
  return [...byKey.values()];
}

function receiverOf(signature: PayloadSignature, model: TemporalModel): Pick<Site, 'receiver'> {
  if (signature.direction !== 'input' || (signature.kind !== 'workflow' && signature.kind !== 'activity')) return {};
  const candidates = signature.kind === 'workflow' ? model.workflows.map((w) => w.node) : model.activities.map((a) => a.node);
  for (const fn of candidates) {
    if (fn.getSourceFile().fileName !== signature.location.file) continue;
    const parameter = fn.parameters.find((p) => samePlace(locate(p), signature.location));
    if (parameter) return { receiver: { fn, parameter, kind: signature.kind } };
  }
  return {};
}

/**
 * A Map or Set method called (or a for...of) in the receiving function on a value that comes from
 * the parameter holding this position; for a workflow, a continueAsNew call that hands it to the next run is noted.
 */
function throwingUse(position: Position, model: TemporalModel): Failure | undefined {
  for (const site of position.sites) {
    const receiver = site.receiver;
    if (!receiver?.fn.body) continue;
    const checker = site.signature.checker;
    const parameter = receiver.parameter;
    const fromParameter = (expression: ts.Expression, depth = 0): boolean => {
      if (depth > 6) return false;
      const value = skipOuterExpressions(expression) as ts.Expression;
      if (ts.isNonNullExpression(value)) return fromParameter(value.expression, depth + 1);
      if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) return fromParameter(value.expression, depth + 1);
      if (ts.isConditionalExpression(value)) return fromParameter(value.whenTrue, depth + 1) || fromParameter(value.whenFalse, depth + 1);
      if (ts.isBinaryExpression(value) && (value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || value.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
        return fromParameter(value.left, depth + 1);
      }
      if (!ts.isIdentifier(value)) return false;
      const declaration = model.declarationOf(value);
      if (!declaration) return false;
      if (declaration === parameter) return true;
      if (ts.isBindingElement(declaration) || (ts.isVariableDeclaration(declaration) && !ts.isIdentifier(declaration.name))) {
        // const { usage } = input
        let root: ts.Node = declaration;
        while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
        if (root === parameter) return true;
        return ts.isVariableDeclaration(root) && !!root.initializer && fromParameter(root.initializer, depth + 1);
      }
      return ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && !!declaration.initializer && fromParameter(declaration.initializer, depth + 1);
    };
    const keyedType = (expression: ts.Expression): boolean => {
      const type = checker.getTypeAtLocation(expression);
      const parts = type.isUnion() ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) : [type];
      return parts.length > 0 && parts.every((t) => ['Map', 'Set', 'ReadonlyMap', 'ReadonlySet', 'WeakMap', 'WeakSet'].includes(t.getSymbol()?.getName() ?? ''));
    };
    const typeText = position.part.typeText;
    const sameType = (expression: ts.Expression): boolean => checker.typeToString(checker.getNonNullableType(checker.getTypeAtLocation(expression))) === typeText;
    let use: { node: ts.Node; text: string } | undefined;
    const visit = (node: ts.Node): void => {
      if (use) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && KEYED_MEMBERS.has(node.expression.name.text)) {
        const target = node.expression.expression;
        if (keyedType(target) && sameType(target) && fromParameter(target)) use = { node, text: `${short(target.getText())}.${node.expression.name.text}(...)` };
      } else if (ts.isForOfStatement(node) && keyedType(node.expression) && sameType(node.expression) && fromParameter(node.expression)) {
        use = { node: node.expression, text: `for (... of ${short(node.expression.getText())})` };
      }
      if (!use) ts.forEachChild(node, visit);
    };
    visit(receiver.fn.body);
    if (!use) continue;
    if (receiver.kind === 'workflow') {
      const calls = continueAsNewCalls(receiver.fn.body, model, { intoCallbacks: true }).filter((call) => (call.arguments?.length ?? 0) > 0);
      // A workflow that never continues as new only gets the value from its starter: the starter's
      // side is typed too, but the workflow may never be started with the field set.
      if (calls.length === 0) continue;
      return { use: use.node, useText: use.text, continueAsNew: calls[0]!, site };
    }
    return { use: use.node, useText: use.text, site };
  }
  return undefined;
}

function describe(signature: PayloadSignature): string {
  const kind = signature.kind as string;
  const what = kind === 'activity' ? 'activity' : kind === 'workflow' ? 'workflow' : kind === 'signal' ? 'signal' : kind === 'update' ? 'update' : 'query';
  return signature.direction === 'result' ? `the result of ${what} ${signature.name}` : `the input \`${signature.valueName}\` of ${what} ${signature.name}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

function samePlace(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}
