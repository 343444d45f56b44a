// Keeps payloads readable outside the code that wrote them: a custom payload converter that
// serialises values itself (CBOR, MessagePack, a JSON variant) but labels them with the encoding
// 'binary/plain' (METADATA_ENCODING_RAW) tells the Web UI, the CLI and every other SDK that the
// payload is raw bytes. They show the serialised bytes instead of the value, and a worker or
// client in another language decodes the argument as a byte array. 'binary/plain' belongs to the
// SDK's own converter for Uint8Array values, which passes the bytes through unchanged; a converter
// that only accepts byte arrays (an instanceof check) is left alone. Info: the application's own
// converter reads the payloads back correctly. TypeScript only for now.

import ts from 'typescript';
import { propertyValue } from '../../model/typescript/object-literal.js';
import { defineCheck } from '../define-check.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';

const RAW = 'binary/plain';

export default defineCheck({
  id: 'payload-converter-raw-encoding',
  area: 'payloads',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "A custom payload converter serialises values itself but labels the payloads 'binary/plain', so the UI, the CLI and other SDKs read them as raw bytes",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const file of model.files) {
      const sourceFile = model.sourceFile(file);
      if (!sourceFile || !sourceFile.text.includes('toPayload')) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isClassLike(node) || ts.isObjectLiteralExpression(node)) {
          const finding = mislabelledConverter(node);
          if (finding) {
            const name = ts.isClassLike(node) && node.name ? `Payload converter ${node.name.text}` : 'This payload converter';
            ctx.report({
              location: model.locate(finding.label),
              message:
                `${name} serialises values itself (${finding.serialiser.getText().slice(0, 80)}) but labels its payloads with the encoding '${RAW}', which means raw bytes passed through unchanged. ` +
                'The Temporal Web UI and CLI then show the serialised bytes instead of the value, and a worker or client in another language (or with the default converter) decodes the argument as a byte array instead of the value.',
              fix:
                "Give the payloads an encoding of their own (for example 'binary/cbor' or 'binary/msgpack') in both encodingType and the metadata toPayload writes, " +
                'and add a codec server or a UI/CLI plugin that decodes it if people need to read the payloads.',
              related: [{ ...model.locate(finding.serialiser), message: 'where toPayload serialises the value' }],
              data: { encoding: RAW },
            });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  },
});

interface Mislabelled {
  /** The encodingType member or the metadata entry that says 'binary/plain'. */
  label: ts.Node;
  /** The call that serialises the value into `data`. */
  serialiser: ts.CallExpression;
}

/** A converter (class or object) whose toPayload serialises its argument and labels it 'binary/plain'. */
function mislabelledConverter(node: ts.ClassLikeDeclaration | ts.ObjectLiteralExpression): Mislabelled | undefined {
  const members: readonly ts.Node[] = ts.isObjectLiteralExpression(node) ? node.properties : node.members;
  let toPayload: ts.FunctionLikeDeclaration | undefined;
  let encodingType: ts.Node | undefined;
  for (const member of members) {
    const name = memberName(member);
    if (name === 'toPayload') {
      if (ts.isMethodDeclaration(member)) toPayload = member;
      else if ((ts.isPropertyDeclaration(member) || ts.isPropertyAssignment(member)) && member.initializer) {
        const initializer = skipOuterExpressions(member.initializer);
        if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) toPayload = initializer;
      }
    }
    if (name === 'encodingType' && (ts.isPropertyDeclaration(member) || ts.isPropertyAssignment(member)) && member.initializer && isRaw(member.initializer)) encodingType = member;
    if (name === 'encodingType' && ts.isGetAccessorDeclaration(member) && member.body && containsRaw(member.body)) encodingType = member;
  }
  if (!toPayload?.body) return undefined;
  const parameter = toPayload.parameters[0];
  if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
  // A converter for byte arrays only (the SDK's own shape) passes bytes through: 'binary/plain' is right.
  if (/\binstanceof\s+(Uint8Array|Buffer|ArrayBuffer)\b|\bisView\s*\(|\bisUint8Array\s*\(|\bBuffer\.isBuffer\s*\(/.test(toPayload.body.getText())) return undefined;
  const returned = returnedPayload(toPayload.body);
  if (!returned) return undefined;
  const metadataLabel = rawMetadataEntry(returned);
  const label = metadataLabel ?? (encodingType && metadataFollowsEncodingType(returned) ? encodingType : undefined);
  if (!label) return undefined;
  const data = propertyValue(returned, 'data');
  const serialiser = data ? serialisingCall(data, parameter.name.text, toPayload.body) : undefined;
  if (!serialiser) return undefined;
  return { label: encodingType ?? label, serialiser };
}

function memberName(member: ts.Node): string | undefined {
  const name = (member as { name?: ts.PropertyName }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

/** 'binary/plain', METADATA_ENCODING_RAW (from encodingTypes or encodingKeys), or encode('binary/plain'). */
function isRaw(node: ts.Node): boolean {
  const expression = skipOuterExpressions(node);
  if (ts.isStringLiteralLike(expression)) return expression.text === RAW;
  if (ts.isIdentifier(expression)) return expression.text === 'METADATA_ENCODING_RAW';
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text === 'METADATA_ENCODING_RAW';
  if (ts.isCallExpression(expression) && expression.arguments.length === 1) return isRaw(expression.arguments[0]!);
  return false;
}

function containsRaw(node: ts.Node): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (isRaw(current) && !ts.isCallExpression(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** The object literal toPayload returns (the last `return { metadata, data }`). */
function returnedPayload(body: ts.ConciseBody): ts.ObjectLiteralExpression | undefined {
  if (!ts.isBlock(body)) {
    const expression = skipOuterExpressions(body);
    return ts.isObjectLiteralExpression(expression) ? expression : undefined;
  }
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const expression = skipOuterExpressions(node.expression);
      if (ts.isObjectLiteralExpression(expression) && propertyValue(expression, 'metadata')) found = expression;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}


/** The `[METADATA_ENCODING_KEY]: <raw>` (or `encoding: <raw>`) entry of the returned metadata. */
function rawMetadataEntry(payload: ts.ObjectLiteralExpression): ts.Node | undefined {
  const metadata = propertyValue(payload, 'metadata');
  const literal = metadata ? skipOuterExpressions(metadata) : undefined;
  if (!literal || !ts.isObjectLiteralExpression(literal)) return undefined;
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property) || !isEncodingKey(property.name)) continue;
    if (isRaw(property.initializer)) return property;
  }
  return undefined;
}

/** `[METADATA_ENCODING_KEY]: ...this.encodingType...`: the label is the class's encodingType. */
function metadataFollowsEncodingType(payload: ts.ObjectLiteralExpression): boolean {
  const metadata = propertyValue(payload, 'metadata');
  const literal = metadata ? skipOuterExpressions(metadata) : undefined;
  if (!literal || !ts.isObjectLiteralExpression(literal)) return false;
  return literal.properties.some((property) => ts.isPropertyAssignment(property) && isEncodingKey(property.name) && /\bthis\.encodingType\b/.test(property.initializer.getText()));
}

function isEncodingKey(name: ts.PropertyName): boolean {
  if (ts.isComputedPropertyName(name)) {
    const expression = skipOuterExpressions(name.expression);
    return (ts.isIdentifier(expression) && expression.text === 'METADATA_ENCODING_KEY') || (ts.isPropertyAccessExpression(expression) && expression.name.text === 'METADATA_ENCODING_KEY') || (ts.isStringLiteralLike(expression) && expression.text === 'encoding');
  }
  return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === 'encoding';
}

/**
 * The call that turns the parameter into the payload bytes: `encode(value)`, or a variable set from
 * such a call (`const bytes = pack(value); return { ..., data: bytes }`). The parameter passed
 * through as is (`data: value`) is not serialised.
 */
function serialisingCall(data: ts.Expression, parameter: string, body: ts.Node, steps = 0): ts.CallExpression | undefined {
  if (steps > 4) return undefined;
  const expression = skipOuterExpressions(data);
  if (ts.isCallExpression(expression)) {
    const mentions = (node: ts.Node): boolean => (ts.isIdentifier(node) && node.text === parameter) || ts.forEachChild(node, mentions) === true;
    if (expression.arguments.some(mentions)) return expression;
    for (const argument of expression.arguments) {
      const inner = serialisingCall(argument, parameter, body, steps + 1);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ts.isIdentifier(expression) && expression.text !== parameter) {
    let initializer: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === expression.text && node.initializer) initializer = node.initializer;
      ts.forEachChild(node, visit);
    };
    visit(body);
    return initializer ? serialisingCall(initializer, parameter, body, steps + 1) : undefined;
  }
  return undefined;
}
