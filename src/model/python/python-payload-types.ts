// The payload facts of a Python project: every place it hands a value to Temporal (parameters and
// results of the activities some workflow schedules, of `@workflow.run`, of signal and update
// handlers) with what its annotation carries: lists, bytes, dicts or large object graphs, and
// credential-looking names. Also the payload codecs its clients set. The same rules as the
// TypeScript type-checker reading (src/model/typescript/payload-types), on annotations.

import { scheduledActivities } from '../activity-uses.js';
import { isBareToken, looksLikeSecret } from '../typescript/payload-types/secret-names.js';
import type { CollectionCarrierFacts, PayloadCodecFacts, PayloadSiteFacts, SecretCarrierFacts, SecretFieldFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, namedChildrenOf } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { classLocation, payloadFields, readAnnotation, type PythonType } from './python-type-graph.js';
import type { CodeModel } from '../types.js';

export interface PythonPayloadSite extends PayloadSiteFacts {
  type: PythonType;
}

const ARRAYS = new Set(['list', 'List', 'Sequence', 'MutableSequence', 'Iterable', 'Iterator', 'Collection', 'set', 'Set', 'frozenset', 'FrozenSet', 'AbstractSet', 'MutableSet', 'deque', 'Deque', 'tuple', 'Tuple']);
const BINARY = new Set(['bytes', 'bytearray', 'memoryview', 'ByteString']);
const MAPS = new Set(['dict', 'Dict', 'Mapping', 'MutableMapping', 'defaultdict', 'DefaultDict', 'OrderedDict', 'Counter']);
const TEXT = new Set(['str', 'AnyStr', 'LiteralString']);
/** Pydantic masks these when it serializes them (`'**********'`): the secret itself never travels. */
const MASKED = new Set(['SecretStr', 'SecretBytes']);
/** More data fields than this across one payload's object graph is not a summary (as in TypeScript). */
const LARGE_OBJECT_FIELDS = 40;
const MAX_DEPTH = 8;
const SECRET_DEPTH = 5;

/** The parameters and results that cross Temporal. */
export function payloadSites(model: CodeModel, workflows: PythonWorkflow[], activities: PythonActivity[], modules: PythonModules): PythonPayloadSite[] {
  const sites: PythonPayloadSite[] = [];
  const scheduled = scheduledActivities(model);
  for (const activity of activities) {
    if (!scheduled.has(activity)) continue;
    sites.push(...functionSites('activity', activity.name, activity.node, activity.file, modules));
  }
  for (const workflow of workflows) {
    for (const member of classMembers(workflow.node)) {
      if (member.type !== 'function_definition') continue;
      for (const decorator of decoratorsOf(member)) {
        const kind = modules.qualifiedName(workflow.file, decorator.expression)?.replace(/^temporalio\.workflow\./, '');
        if (kind === 'run') sites.push(...functionSites('workflow', workflow.name, member, workflow.file, modules));
        else if (kind === 'signal' || kind === 'update') {
          const given = decorator.call ? callArguments(decorator.call).keywords.get('name') : undefined;
          const name = given?.type === 'string' ? given.text.slice(1, -1) : (member.childForFieldName('name')?.text ?? '');
          const handlerSites = functionSites(kind, name, member, workflow.file, modules);
          // A signal's result goes nowhere; an update's is recorded.
          sites.push(...(kind === 'signal' ? handlerSites.filter((s) => s.direction === 'input') : handlerSites));
        }
      }
    }
  }
  return sites;
}

function functionSites(kind: PayloadSiteFacts['kind'], name: string, fn: PythonNode, file: string, modules: PythonModules): PythonPayloadSite[] {
  const sites: PythonPayloadSite[] = [];
  const parameters = fn.childForFieldName('parameters');
  let index = 0;
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') {
      if (parameter.type === 'identifier' || parameter.type === 'default_parameter') index++;
      continue;
    }
    const nameNode = parameter.type === 'typed_parameter' ? namedChildrenOf(parameter).find((c) => c.type === 'identifier') : parameter.childForFieldName('name');
    const annotation = parameter.childForFieldName('type');
    if (!nameNode || !annotation || nameNode.text === 'self' || nameNode.text === 'cls') continue;
    index++;
    sites.push({ kind, name, direction: 'input', valueName: nameNode.text, location: locateNode(file, parameter), type: readAnnotation(annotation, file, modules) });
  }
  const returns = fn.childForFieldName('return_type');
  if (returns) sites.push({ kind, name, direction: 'result', valueName: 'result', location: locateNode(file, returns), type: readAnnotation(returns, file, modules) });
  return sites;
}

/** The first list, binary value, map or large object graph inside a payload's type. */
export function findPythonCollection(site: PythonPayloadSite, modules: PythonModules): CollectionCarrierFacts | undefined {
  const visited = new Set<number>();
  let fields = 0;
  let largest: { type: Extract<PythonType, { kind: 'class' }>; path: string } | undefined;
  const visit = (type: PythonType, path: string, depth: number, holder: Extract<PythonType, { kind: 'class' }> | undefined): CollectionCarrierFacts | undefined => {
    if (type.kind === 'union') {
      for (const member of type.members) {
        const found = visit(member, path, depth, holder);
        if (found) return found;
      }
      return undefined;
    }
    if (type.kind === 'leaf') return undefined;
    if (type.kind === 'generic') {
      const carrier = (kind: CollectionCarrierFacts['kind']): CollectionCarrierFacts => ({ kind, path, typeText: type.text, ...(holder ? { declaredIn: { name: holder.name, location: classLocation(holder) } } : {}) });
      if (BINARY.has(type.name)) return carrier('binary');
      if (MAPS.has(type.name)) return carrier('map');
      if (ARRAYS.has(type.name)) {
        // tuple[int, str] is a fixed record; tuple[int, ...] and bare tuple are sequences.
        const fixed = (type.name === 'tuple' || type.name === 'Tuple') && type.args.length > 0 && !type.args.some((a) => a.kind === 'leaf' && a.text === '...');
        if (!fixed) return carrier('array');
        for (const [i, element] of type.args.entries()) {
          const found = visit(element, `${path}[${i}]`, depth + 1, holder);
          if (found) return found;
        }
      }
      return undefined;
    }
    if (visited.has(type.node.id) || depth > MAX_DEPTH) return undefined;
    visited.add(type.node.id);
    for (const field of payloadFields(type.node, type.file, modules) ?? []) {
      fields++;
      if (fields === LARGE_OBJECT_FIELDS + 1 && !largest) largest = { type, path };
      const found = visit(field.type, `${path}.${field.name}`, depth + 1, type);
      if (found) return found;
    }
    return undefined;
  };
  const found = visit(site.type, site.valueName, 0, undefined);
  if (found) return found;
  if (largest) return { kind: 'large-object', path: largest.path, typeText: largest.type.text, declaredIn: { name: largest.type.name, location: classLocation(largest.type) } };
  return undefined;
}

/** Credential-looking names in a payload: the parameter and the fields of its classes at any depth. */
export function findPythonSecrets(site: PythonPayloadSite, modules: PythonModules): SecretFieldFacts[] {
  const found: SecretFieldFacts[] = [];
  const visited = new Set<number>();
  const visit = (type: PythonType, path: string, nameHere: string, depth: number): void => {
    // Annotations say what a name holds: only a value that can hold text is taken for the
    // credential itself (`use_credentials: bool` is a flag); a class is judged by its own fields.
    if (looksLikeSecret(nameHere) && !masked(type) && (isBareToken(nameHere) ? holdsText(type) : mayHoldText(type))) {
      found.push({ path, name: nameHere, typeText: type.text });
      return;
    }
    for (const part of type.kind === 'union' ? type.members : [type]) {
      if (part.kind === 'generic' && ARRAYS.has(part.name) && part.args[0]) {
        visit(part.args[0], `${path}[]`, '', depth + 1);
        continue;
      }
      if (part.kind !== 'class') continue;
      // A class is judged by its fields, not its name: `SecretRef(name, optional)` is the reference
      // to a secret the fix asks for, `DockerCredentials(username, password)` holds one in `password`.
      const fields = payloadFields(part.node, part.file, modules);
      if (!fields || visited.has(part.node.id) || depth >= SECRET_DEPTH) continue;
      visited.add(part.node.id);
      for (const field of fields) visit(field.type, `${path}.${field.name}`, field.name, depth + 1);
    }
  };
  visit(site.type, site.valueName, site.direction === 'result' ? '' : site.valueName, 0);
  return found;
}

/** Text, bytes, Any or a container of them: what a credential can be stored as. Unresolved types are "cannot tell". */
function mayHoldText(type: PythonType): boolean {
  const parts = (type.kind === 'union' ? type.members : [type]).filter((p) => !(p.kind === 'leaf' && p.text === 'None'));
  return parts.some((p) => {
    if (p.kind !== 'generic') return false;
    if (TEXT.has(p.name) || BINARY.has(p.name) || p.name === 'Any' || p.name === 'object') return true;
    if (MAPS.has(p.name)) return p.args.length === 0 || (p.args[1] !== undefined && mayHoldText(p.args[1]));
    if (ARRAYS.has(p.name)) return p.args.length === 0 || p.args.some((a) => mayHoldText(a));
    return false;
  });
}

function masked(type: PythonType): boolean {
  const parts = type.kind === 'union' ? type.members : [type];
  return parts.some((p) => p.kind === 'generic' && MASKED.has(p.name));
}

/** A str (possibly optional), or a list of them: what a credential is stored as. */
function holdsText(type: PythonType): boolean {
  const parts = (type.kind === 'union' ? type.members : [type]).filter((p) => !(p.kind === 'leaf' && p.text === 'None'));
  return parts.length > 0 && parts.every((p) => p.kind === 'generic' && (TEXT.has(p.name) || (ARRAYS.has(p.name) && p.args[0]?.kind === 'generic' && TEXT.has(p.args[0].name))));
}

/**
 * Payloads carrying credential fields, grouped by the class that carries them: one input class
 * shared by ten activities is one decision to fix in one place. A parameter that is itself the
 * credential (`api_key: str`) is its own group.
 */
export function pythonSecretCarriers(sites: PythonPayloadSite[], modules: PythonModules): SecretCarrierFacts[] {
  const groups = new Map<string, SecretCarrierFacts>();
  const sorted = [...sites].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  for (const site of sorted) {
    const secrets = findPythonSecrets(site, modules);
    if (secrets.length === 0) continue;
    const { type: _type, ...facts } = site;
    const key = groupKey(site, secrets);
    const group = groups.get(key);
    if (group) group.signatures.push(facts);
    else groups.set(key, { signatures: [facts], secrets });
  }
  return [...groups.values()];
}

function groupKey(site: PythonPayloadSite, secrets: SecretFieldFacts[]): string {
  const unique = `${site.kind}:${site.name}:${site.direction}:${site.valueName}:${site.location.file}:${site.location.line}`;
  const classes = (site.type.kind === 'union' ? site.type.members : [site.type]).filter((p): p is Extract<PythonType, { kind: 'class' }> => p.kind === 'class');
  if (classes.length !== 1 || secrets.some((s) => s.path === site.valueName)) return unique;
  const fields = secrets.map((s) => s.path.slice(site.valueName.length)).join(',');
  const sentByClient = site.kind !== 'activity' && site.direction === 'input';
  return `class:${classes[0]!.file}:${classes[0]!.node.startIndex}:${sentByClient}:${fields}`;
}

/** Data converters known to carry no payload codec. */
const PLAIN_CONVERTERS = /^(?:temporalio\.contrib\.pydantic\.pydantic_data_converter|temporalio\.converter\.default|temporalio\.converter\.DataConverter\.default)$/;

/**
 * The payload codecs of `Client.connect(..., data_converter=...)` calls. A Python worker encodes
 * with its client's data converter, so a codec there covers everything the worker exchanges.
 */
export function pythonPayloadCodecs(files: string[], modules: PythonModules): PayloadCodecFacts[] {
  const uses: PayloadCodecFacts[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee) continue;
      const qualified = modules.qualifiedName(file, callee);
      if (qualified !== 'temporalio.client.Client.connect' && qualified !== 'temporalio.client.Client') continue;
      const converter = callArguments(call).keywords.get('data_converter');
      if (!converter) continue;
      const found = codecsOf(converter, file, modules, 0);
      if (found) uses.push({ on: 'client', ...found, location: locateNode(file, call) });
    }
  }
  return uses;
}

const CONVERTER_BUILDERS = new Set(['temporalio.converter.DataConverter', 'dataclasses.replace']);

/** The expressions a function returns (not those of functions nested in it). */
function returnedValues(fn: PythonNode): PythonNode[] {
  const body = fn.childForFieldName('body');
  const values: PythonNode[] = [];
  if (body) {
    descendantsInScope(body, (node) => {
      if (node.type !== 'return_statement') return;
      const value = namedChildrenOf(node)[0];
      if (value) values.push(value);
    });
  }
  return values;
}

function codecsOf(node: PythonNode, file: string, modules: PythonModules, depth: number): Pick<PayloadCodecFacts, 'codecs' | 'unreadable'> | undefined {
  if (node.type === 'none') return undefined;
  const unreadable = { codecs: ['a data converter'], unreadable: true };
  if (depth > 4) return unreadable;
  const codecs = node.descendantsOfType('keyword_argument').filter((k): k is PythonNode => k?.childForFieldName('name')?.text === 'payload_codec');
  if (codecs.length > 0) {
    return { codecs: codecs.map((k) => (k.childForFieldName('value')?.type === 'call' ? k.childForFieldName('value')!.childForFieldName('function')!.text : (k.childForFieldName('value')?.text ?? 'a codec'))), unreadable: false };
  }
  const head = node.type === 'call' ? node.childForFieldName('function') : node;
  const qualified = head ? modules.qualifiedName(file, head) : undefined;
  if (qualified && PLAIN_CONVERTERS.test(qualified)) return undefined;
  // `DataConverter(payload_converter_class=...)` or `dataclasses.replace(default(), ...)` with no payload_codec anywhere.
  if (qualified && CONVERTER_BUILDERS.has(qualified) && !node.descendantsOfType('dictionary_splat').some((d) => d !== null)) return undefined;
  if (node.type === 'identifier') {
    const definition = modules.lookup(file, node.text);
    if (definition?.kind === 'assignment' && definition.value) return codecsOf(definition.value, definition.file, modules, depth + 1);
  }
  if (node.type === 'call' && head?.type === 'identifier') {
    // `data_converter=get_data_converter(...)`: what the project's own function returns.
    const definition = modules.lookup(file, head.text);
    const returned = definition?.kind === 'function' ? returnedValues(definition.node) : [];
    if (returned.length > 0) {
      const found = returned.map((value) => codecsOf(value, definition!.file, modules, depth + 1));
      const known = found.filter((f): f is NonNullable<typeof f> => f !== undefined);
      if (known.length === 0) return undefined;
      return known.find((f) => !f.unreadable) ?? known[0];
    }
  }
  return unreadable;
}
