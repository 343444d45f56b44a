// Whether a client start runs once per incoming request or event: inside an HTTP route or
// controller, a webhook, a queue or bus consumer. Such a caller can run twice for the same business
// fact (the client retries a request that timed out, the broker redelivers a message), so the
// start's workflow id decides whether the second call starts a second run. Only clear signals
// count: a decorator of a route or message handler, a parameter named or typed as a request or a
// message, a callback given to a route or subscription method, the resolver of a tRPC procedure
// (`publicProcedure.input(...).mutation(async ({ input }) => ...)`), a message consumer's loop or
// handler (message-consumers.ts: NATS, Kafka, SQS, BullMQ, Redis streams), or a file under a routes,
// routers, controllers, handlers, consumers, subscribers, listeners or webhooks folder.

import path from 'node:path';
import ts from 'typescript';
import { consumerContext } from './message-consumers.js';

const HANDLER_DECORATORS = new Set([
  'Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options',
  'EventPattern', 'MessagePattern', 'OnEvent', 'Process', 'Processor', 'SqsMessageHandler', 'RabbitSubscribe', 'Subscribe', 'SubscribeMessage', 'OnQueueActive',
  'Mutation', 'Query', 'Resolver', 'Webhook',
]);

const REQUEST_PARAMETERS = new Set(['req', 'request', 'event', 'evt', 'message', 'msg', 'job', 'webhook']);

/** Parameter types of request, event and message handlers. */
const REQUEST_TYPES = /\b(Request|NextRequest|FastifyRequest|IncomingMessage|NextApiRequest|APIGatewayProxyEvent\w*|SQSEvent|SNSEvent|EventBridgeEvent|KafkaMessage|EachMessagePayload|ConsumeMessage|Job)\b/;

/** `router.post('/x', handler)`, `queue.process(handler)`, `bus.subscribe(topic, handler)`. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'route', 'all', 'subscribe', 'consume', 'process', 'on', 'handle', 'eachMessage']);

const REQUEST_FOLDERS = new Set(['routes', 'route', 'routers', 'controllers', 'controller', 'handlers', 'handler', 'consumers', 'consumer', 'subscribers', 'subscriber', 'listeners', 'listener', 'webhooks', 'webhook', 'resolvers']);
const REQUEST_FILE = /(controller|router|routes|handler|consumer|subscriber|listener|webhook|resolver)s?$/i;

/** Why the node runs once per request or event, as a message fragment, or undefined. */
export function requestContext(node: ts.Node, root: string): string | undefined {
  return handlerContext(node)?.text ?? consumerContext(node) ?? requestFileContext(node.getSourceFile().fileName, root);
}

export interface HandlerContext {
  /** Why, as a message fragment. */
  text: string;
  /** The function that handles the request or message. */
  fn: ts.FunctionLikeDeclaration;
  /** A decorator or a route registration says so (not only a parameter's name or type). */
  declared: boolean;
}

/** The function around the node that handles a request or message, read from the code alone (not the file's place). */
export function handlerContext(node: ts.Node): HandlerContext | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const fn = current as ts.FunctionLikeDeclaration;
    const name = functionLabel(fn);
    const decorator = ts.canHaveDecorators(fn) ? ts.getDecorators(fn)?.map(decoratorName).find((d) => d && HANDLER_DECORATORS.has(d)) : undefined;
    if (decorator) return { text: `${name ?? 'a method'} handles requests or messages: @${decorator}`, fn, declared: true };
    const registration = routeRegistration(fn);
    if (registration) return { text: `it runs in a handler given to ${registration}`, fn, declared: true };
    const procedure = trpcProcedure(fn);
    if (procedure) return { text: `it runs in the tRPC procedure ${procedure}`, fn, declared: true };
    for (const parameter of fn.parameters) {
      const names = bindingNames(parameter.name);
      const named = names.find((n) => REQUEST_PARAMETERS.has(n));
      if (named) return { text: `${name ?? 'the function around it'} takes the request or message \`${named}\``, fn, declared: false };
      const type = parameter.type?.getText();
      if (type && REQUEST_TYPES.test(type)) return { text: `${name ?? 'the function around it'} takes a request or message of type \`${type}\``, fn, declared: false };
    }
  }
  return undefined;
}

/**
 * The file's place alone (any language): under a routes, controllers, handlers... folder, or named
 * like one (`orders.controller.ts`, `webhooks.py`).
 */
export function requestFileContext(file: string, root: string): string | undefined {
  const relative = path.relative(root, file).split(path.sep);
  const folder = relative.slice(0, -1).find((part) => REQUEST_FOLDERS.has(part.toLowerCase()));
  if (folder) return `its file is under ${folder}/: ${relative.join('/')}`;
  const base = path.basename(relative[relative.length - 1] ?? '').replace(/\.([cm]?[jt]sx?|py)$/, '').replace(/\.(server|service)$/, '');
  if (REQUEST_FILE.test(base.replace(/[.-]/g, ''))) return `its file holds request or message handlers: ${relative.join('/')}`;
  return undefined;
}

function functionLabel(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const holder = fn.parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (holder && ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expression = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    // `{ context: { req } }`: the property name counts too (`{ request: r }`)
    if (element.propertyName && ts.isIdentifier(element.propertyName)) names.push(element.propertyName.text);
    names.push(...bindingNames(element.name));
  }
  return names;
}

/** `app.post('/orders', async (...) => ...)`: the method the function is given to. */
function routeRegistration(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ROUTE_METHODS.has(callee.name.text)) return undefined;
  // `.get(key)` of a Map, `.on('close')` of a stream: a route or topic comes first, a handler last
  if (call.arguments[call.arguments.length - 1] !== fn) return undefined;
  const first = call.arguments[0];
  if (call.arguments.length < 2 && callee.name.text !== 'process' && callee.name.text !== 'consume') return undefined;
  if (first && first !== fn && ts.isStringLiteralLike(first) && callee.name.text === 'on' && /^(close|end|error|exit|finish|data|drain|SIG\w+)$/.test(first.text)) return undefined;
  return `${callee.getText().replace(/\s+/g, '')}(...)`;
}

/** The resolver methods of a tRPC procedure builder. */
const PROCEDURE_RESOLVERS = new Set(['mutation', 'query', 'subscription']);

/**
 * `publicProcedure.input(schema).mutation(async ({ input }) => ...)`: the resolver given to
 * `.mutation`, `.query` or `.subscription` of a tRPC procedure builder, one call per client
 * request. The builder chain must start from a procedure (`publicProcedure`, `t.procedure`, any
 * name ending in Procedure) or pass an `.input(...)` schema; a `.query(...)` of a database client
 * or a GraphQL client is neither. Returns the procedure as written for the message (the name of
 * the router entry when there is one), or undefined.
 */
function trpcProcedure(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments.length !== 1 || call.arguments[0] !== fn) return undefined;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !PROCEDURE_RESOLVERS.has(callee.name.text)) return undefined;
  let procedureLike = false;
  const methods: string[] = [callee.name.text];
  let receiver: ts.Expression = callee.expression;
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) {
    methods.unshift(receiver.expression.name.text);
    if (receiver.expression.name.text === 'input') procedureLike = true;
    receiver = receiver.expression.expression;
  }
  const builder = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  if (builder && /^procedure$|Procedure$/.test(builder)) procedureLike = true;
  if (!procedureLike) return undefined;
  const entry = call.parent && ts.isPropertyAssignment(call.parent) && call.parent.initializer === call && ts.isIdentifier(call.parent.name) ? call.parent.name.text : undefined;
  const chain = `${ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver) ? receiver.getText().replace(/\s+/g, '') : '(...)'}${methods.map((m) => `.${m}(...)`).join('')}`;
  return entry ? `${entry} (${chain})` : chain;
}
