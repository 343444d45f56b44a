// Whether code runs once per message a broker delivers: a message or queue consumer. The broker
// delivers a message again when the consumer NAKs it, crashes or times out before the ack, so the
// handler runs again for the same message (at-least-once delivery). Read narrowly: the file must
// import the broker's client library, and the code must have the handler's shape for it:
// - NATS (`nats`, `@nats-io/*`): a `for await (const msg of x)` loop over `consumer.consume()`,
//   `consumer.fetch()`, `nc.subscribe(...)`, `consumer.messages()`, or a `callback` given to `subscribe`;
// - Kafka (`kafkajs`, `@confluentinc/kafka-javascript`): the `eachMessage` / `eachBatch` handler given to `consumer.run`;
// - SQS (`@aws-sdk/client-sqs`, `aws-sdk`): a loop that receives (`ReceiveMessageCommand`, `receiveMessage`);
//   `sqs-consumer`: the `handleMessage` / `handleMessageBatch` handler;
// - BullMQ / Bull: the processor given to `new Worker(queue, processor)`;
// - Redis streams (`ioredis`, `redis`, `@redis/client`): a loop that reads with `XREADGROUP`.
// RabbitMQ (`channel.consume(queue, handler)`) and Google Pub/Sub (`subscription.on('message', handler)`)
// are route registrations in request-context.ts already.

import ts from 'typescript';
import { skipOuterExpressions } from '../temporal-api.js';

type Broker = 'nats' | 'kafka' | 'sqs' | 'sqs-consumer' | 'bullmq' | 'redis';

const BROKER_MODULES: [RegExp, Broker][] = [
  [/^nats$|^@nats-io\//, 'nats'],
  [/^kafkajs$|^@confluentinc\/kafka-javascript$/, 'kafka'],
  [/^@aws-sdk\/client-sqs$|^aws-sdk$|^aws-sdk\/clients\/sqs$/, 'sqs'],
  [/^sqs-consumer$/, 'sqs-consumer'],
  [/^bullmq$|^bull$/, 'bullmq'],
  [/^ioredis$|^redis$|^@redis\/client$/, 'redis'],
];

/** NATS calls whose result is iterated message by message. */
const NATS_ITERATORS = new Set(['consume', 'fetch', 'subscribe', 'messages', 'pullSubscribe']);
/** Calls that receive a batch of messages inside a receive loop. */
const RECEIVE_CALLS: Partial<Record<Broker, Set<string>>> = {
  sqs: new Set(['ReceiveMessageCommand', 'receiveMessage']),
  redis: new Set(['xreadgroup', 'xReadGroup']),
};
const BROKER_NAMES: Record<Broker, string> = { nats: 'NATS', kafka: 'Kafka', sqs: 'SQS', 'sqs-consumer': 'sqs-consumer', bullmq: 'BullMQ', redis: 'Redis stream' };

const brokersByFile = new WeakMap<ts.SourceFile, Set<Broker>>();

/** The brokers whose client library the file imports (import, require). */
function brokersOf(file: ts.SourceFile): Set<Broker> {
  const cached = brokersByFile.get(file);
  if (cached) return cached;
  const brokers = new Set<Broker>();
  const add = (specifier: string) => {
    for (const [pattern, broker] of BROKER_MODULES) if (pattern.test(specifier)) brokers.add(broker);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) add(statement.moduleSpecifier.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteral(init.arguments[0])) add(init.arguments[0].text);
      }
    }
  }
  brokersByFile.set(file, brokers);
  return brokers;
}

/** Why the node runs once per delivered message, as a message fragment, or undefined. */
export function consumerContext(node: ts.Node): string | undefined {
  const brokers = brokersOf(node.getSourceFile());
  if (brokers.size === 0) return undefined;
  let child: ts.Node = node;
  for (let current: ts.Node | undefined = node.parent; current; child = current, current = current.parent) {
    if (brokers.has('nats') && ts.isForOfStatement(current) && current.awaitModifier && child === current.statement) {
      const source = natsIterator(current.expression);
      if (source) return `it runs once per message of the NATS consumer loop \`for await (${oneLine(current.initializer)} of ${oneLine(current.expression)})\`${source === current.expression ? '' : ` (${oneLine(source)})`}`;
    }
    if (isLoop(current) && child === loopBody(current)) {
      for (const broker of ['sqs', 'redis'] as const) {
        if (!brokers.has(broker)) continue;
        const receive = receiveCall(current, RECEIVE_CALLS[broker]!);
        if (receive) return `it runs once per message of the ${BROKER_NAMES[broker]} receive loop around ${receive}`;
      }
    }
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current) || ts.isMethodDeclaration(current)) {
      const handler = handlerOf(current, brokers);
      if (handler) return handler;
    }
  }
  return undefined;
}

/** `consumer.consume()`, `await consumer.fetch({...})`, `nc.subscribe('x')`, directly or through a const. */
function natsIterator(expression: ts.Expression): ts.Expression | undefined {
  let node = skipOuterExpressions(expression) as ts.Expression;
  for (let hops = 0; hops < 3; hops++) {
    if (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      return ts.isPropertyAccessExpression(callee) && NATS_ITERATORS.has(callee.name.text) ? node : undefined;
    }
    if (!ts.isIdentifier(node)) return undefined;
    const value = constValue(node);
    if (!value) return undefined;
    node = skipOuterExpressions(value) as ts.Expression;
  }
  return undefined;
}

/** The initializer of the const an identifier names in its own file (found by name in the enclosing scopes). */
function constValue(identifier: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (statement.pos > identifier.pos) break;
      if (!ts.isVariableStatement(statement) || (statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.initializer) return declaration.initializer;
      }
    }
  }
  return undefined;
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
}

function loopBody(loop: ts.IterationStatement): ts.Node {
  return loop.statement;
}

/** The receive call inside a loop's body (`sqs.send(new ReceiveMessageCommand(...))`, `redis.xreadgroup(...)`), as written. */
function receiveCall(loop: ts.IterationStatement, names: Set<string>): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && !ts.isFunctionLike(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name && names.has(name)) {
        found = `${ts.isNewExpression(node) ? 'new ' : ''}${oneLine(callee)}(...)`;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.statement);
  return found;
}

/** A handler function the broker's client calls once per message. */
function handlerOf(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration, brokers: Set<Broker>): string | undefined {
  const holder = fn.parent;
  // `{ eachMessage: async ({ message }) => ... }`, `{ handleMessage(message) { ... } }`, `{ callback: (err, msg) => ... }`.
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(holder) && holder.initializer === fn ? holder : undefined;
  const key = property && ts.isIdentifier(property.name) ? property.name.text : undefined;
  const options = property?.parent;
  const call = options && ts.isObjectLiteralExpression(options) ? options.parent : undefined;
  const method = call && ts.isCallExpression(call) ? calleeName(call) : undefined;
  if (key && call && ts.isCallExpression(call) && call.arguments.includes(options as ts.Expression)) {
    if (brokers.has('kafka') && (key === 'eachMessage' || key === 'eachBatch') && method === 'run') return `it runs in the Kafka ${key} handler given to ${oneLine(call.expression)}(...), once per delivered message`;
    if (brokers.has('sqs-consumer') && (key === 'handleMessage' || key === 'handleMessageBatch')) return `it runs in the sqs-consumer ${key} handler given to ${oneLine(call.expression)}(...), once per received message`;
    if (brokers.has('nats') && key === 'callback' && method === 'subscribe') return `it runs in the NATS subscription callback given to ${oneLine(call.expression)}(...), once per message`;
  }
  // `new Worker('emails', async (job) => { ... }, { connection })` of BullMQ (not the Temporal worker).
  if (brokers.has('bullmq') && ts.isNewExpression(holder) && holder.arguments?.[1] === fn && ts.isIdentifier(holder.expression) && importedFrom(holder.expression, /^bullmq$|^bull$/)) {
    return `it runs in the BullMQ processor given to new Worker(...), once per job attempt`;
  }
  return undefined;
}

/** Whether an identifier is a named import of a module the pattern matches (`import { Worker } from 'bullmq'`). */
function importedFrom(identifier: ts.Identifier, module: RegExp): boolean {
  return identifier.getSourceFile().statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      module.test(statement.moduleSpecifier.text) &&
      statement.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(statement.importClause.namedBindings) &&
      statement.importClause.namedBindings.elements.some((element) => element.name.text === identifier.text),
  );
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
}

function oneLine(node: ts.Node): string {
  return node.getText().replace(/\s+/g, ' ');
}
