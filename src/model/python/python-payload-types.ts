// The payload facts of a Python project: every place it hands a value to Temporal (parameters and
// results of the activities some workflow schedules, of `@workflow.run`, of signal and update
// handlers) with what its annotation carries: lists, bytes, dicts or large object graphs, and
// credential-looking names. Also the payload codecs its clients set. The same rules as the
// TypeScript type-checker reading (src/model/typescript/payload-types), on annotations.

import { scheduledActivities } from '../activity-uses.js';
import type { CollectionCarrierFacts, DocumentFieldFacts, PayloadCodecFacts, PayloadSiteFacts } from '../types.js';
import { documentReturnedBy, namesDocument } from '../typescript/payload-types/document-names.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, namedChildrenOf } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { classLocation, payloadFields, readAnnotation, type PythonType } from './python-type-graph.js';
import type { CodeModel } from '../types.js';

export interface PythonPayloadSite extends PayloadSiteFacts {
  type: PythonType;
  /** The function whose parameter or result it is. */
  fn: PythonNode;
}

export const ARRAYS = new Set(['list', 'List', 'Sequence', 'MutableSequence', 'Iterable', 'Iterator', 'Collection', 'set', 'Set', 'frozenset', 'FrozenSet', 'AbstractSet', 'MutableSet', 'deque', 'Deque', 'tuple', 'Tuple']);
export const BINARY = new Set(['bytes', 'bytearray', 'memoryview', 'ByteString']);
export const MAPS = new Set(['dict', 'Dict', 'Mapping', 'MutableMapping', 'defaultdict', 'DefaultDict', 'OrderedDict', 'Counter']);
export const TEXT = new Set(['str', 'AnyStr', 'LiteralString']);
/** Pydantic masks these when it serializes them (`'**********'`): the secret itself never travels. */
export const MASKED = new Set(['SecretStr', 'SecretBytes']);
/** More data fields than this across one payload's object graph is not a summary (as in TypeScript). */
const LARGE_OBJECT_FIELDS = 40;
const MAX_DEPTH = 8;

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
    sites.push({ kind, name, direction: 'input', valueName: nameNode.text, location: locateNode(file, parameter), type: readAnnotation(annotation, file, modules), fn });
  }
  const returns = fn.childForFieldName('return_type');
  if (returns) sites.push({ kind, name, direction: 'result', valueName: 'result', location: locateNode(file, returns), type: readAnnotation(returns, file, modules), fn });
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

/**
 * The `str` fields and parameters of a payload whose names say they hold a whole document
 * (`markdown`, `html_content`, `file_contents`, `pdf_base64`), and a `str` result whose function
 * name says so (`get_transcript`). Lists and dicts are left to findPythonCollection. A name that
 * alone is ambiguous (`content`, `text`) is left out: the TypeScript reading confirms it through
 * the checker, which Python lacks.
 */
export function findPythonDocuments(site: PythonPayloadSite, modules: PythonModules): DocumentFieldFacts[] {
  if (holdsText(site.type)) {
    const name = site.direction === 'input' ? (namesDocument(site.valueName) ? site.valueName : undefined) : documentReturnedBy(site.fn.childForFieldName('name')?.text ?? site.name);
    return name ? [{ path: site.valueName, name, typeText: site.type.text }] : [];
  }
  const found: DocumentFieldFacts[] = [];
  const visited = new Set<number>();
  const visit = (type: PythonType, path: string, depth: number): void => {
    for (const part of type.kind === 'union' ? type.members : [type]) {
      if (part.kind !== 'class' || visited.has(part.node.id) || depth >= MAX_DEPTH) continue;
      visited.add(part.node.id);
      const location = classLocation(part);
      for (const field of payloadFields(part.node, part.file, modules) ?? []) {
        if (!holdsText(field.type)) {
          visit(field.type, `${path}.${field.name}`, depth + 1);
          continue;
        }
        if (!namesDocument(field.name)) continue;
        found.push({ path: `${path}.${field.name}`, name: field.name, typeText: field.type.text, declaredIn: { name: part.name, location } });
      }
    }
  };
  visit(site.type, site.valueName, 0);
  return found;
}

/** `str`, `Optional[str]`, `str | None`. */
function holdsText(type: PythonType): boolean {
  const parts = withoutNone(type);
  return parts.length > 0 && parts.every((p) => p.kind === 'generic' && TEXT.has(p.name) && p.args.length === 0);
}

/** The parts of an annotation other than `None`: `Optional[Foo]` and `Foo | None` give Foo. */
export function withoutNone(type: PythonType): PythonType[] {
  return (type.kind === 'union' ? type.members : [type]).filter((p) => !(p.kind === 'leaf' && p.text === 'None'));
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
