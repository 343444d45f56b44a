// Payload codecs the application configures: `dataConverter: { payloadCodecs: [...] }` on a
// worker, and on a client (`new Client({ dataConverter })`, `new WorkflowClient(...)`). A codec
// (typically encryption) changes what a payload in history is: the server stores what the codec
// produced. Only codecs do that: a payloadConverterPath or failureConverterPath changes the
// serialization, not the secrecy.

import ts from 'typescript';
import { property } from '../extract-workers.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, StaticValue, TemporalModel } from '../types.js';

export interface PayloadCodecUse {
  /** Where the codecs are configured: a worker or a client. */
  on: 'worker' | 'client';
  /** The codecs as written (`EncryptionCodec`), or `a data converter` when it cannot be read. */
  codecs: string[];
  /** True when the data converter could not be read: it may or may not hold codecs. */
  unreadable: boolean;
  location: SourceLocation;
}

const CLIENT_CLASSES = new Set(['Client', 'WorkflowClient']);
const cache = new WeakMap<TemporalModel, PayloadCodecUse[]>();

export function payloadCodecs(model: TemporalModel): PayloadCodecUse[] {
  let uses = cache.get(model);
  if (uses) return uses;
  uses = [];
  for (const worker of model.workers) {
    const found = codecsOf(property(worker.options, 'dataConverter'));
    if (found) uses.push({ on: 'worker', ...found, location: worker.location });
  }
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && isClientClass(node.expression, model)) {
        const options = node.arguments?.[0];
        const value = options ? model.resolveValue(options) : undefined;
        const found = value && codecsOf(property(value, 'dataConverter'));
        if (found) uses!.push({ on: 'client', ...found, location: model.locate(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, uses);
  return uses;
}

/** The codecs of a dataConverter value; undefined when there are none (or no converter at all). */
function codecsOf(converter: StaticValue | undefined): Pick<PayloadCodecUse, 'codecs' | 'unreadable'> | undefined {
  if (!converter || converter.kind === 'undefined' || converter.kind === 'null') return undefined;
  if (converter.kind !== 'object') return { codecs: ['a data converter'], unreadable: true };
  const list = converter.properties.get('payloadCodecs') ?? converter.properties.get('payloadCodec');
  if (!list) return converter.unknownSpreads.length > 0 ? { codecs: ['a data converter'], unreadable: true } : undefined;
  if (list.kind === 'array') {
    if (list.elements.length === 0) return undefined;
    return { codecs: list.elements.map(codecName), unreadable: false };
  }
  if (list.kind === 'undefined' || list.kind === 'null') return undefined;
  return { codecs: [codecName(list)], unreadable: false };
}

/** `new EncryptionCodec(key)` and `await EncryptionCodec.create(key)` give `EncryptionCodec`. */
function codecName(value: StaticValue): string {
  if (value.kind === 'unknown' && value.node && ts.isExpression(value.node)) {
    let expression = skipOuterExpressions(value.node);
    if (ts.isAwaitExpression(expression)) expression = skipOuterExpressions(expression.expression);
    if (ts.isNewExpression(expression) || ts.isCallExpression(expression)) expression = skipOuterExpressions(expression.expression);
    if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression) && /^[A-Z]/.test(expression.expression.text)) return expression.expression.text;
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) return expression.getText();
  }
  return value.kind === 'unknown' ? value.text : 'a codec';
}

function isClientClass(expression: ts.Expression, model: TemporalModel): boolean {
  const api = model.temporalApiOf(expression);
  return api !== undefined && api.module === '@temporalio/client' && CLIENT_CLASSES.has(api.name);
}
