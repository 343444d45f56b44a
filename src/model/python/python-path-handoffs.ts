// Paths on one worker's local disk that Python workflow code hands from one activity (or child
// workflow) to another: a path the workflow builds under /tmp or relative to the working directory
// (`manifest_local = f"{base_work_dir}/manifest.json"`) and passes to two or more calls, or the
// result of an activity whose code returns a local path it makes (`tempfile.mkdtemp()`,
// `NamedTemporaryFile(delete=False).name`, `os.path.join("/tmp", ...)`, a path under `Path.home()`, or a field of a dict it
// returns holding one) that the workflow passes to another call. Each call may run on any worker
// polling its task queue (activity-local-file-handoff reports them).

import { handoffsOfGroups, isLocalPath, type HeldLocalPath } from '../local-path.js';
import type { LocalPathHandoff, LocalPathReceiver, LocalPathUse, SourceLocation, StaticValue, ActivityProxyFacts, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { parameterPathOps } from './python-local-paths.js';
import { parameterName } from './python-local-values.js';
import type { PythonModules } from './python-modules.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { callArguments, classMembers, descendantsInScope, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

/** A value the workflow holds: a local path, or an activity result with local paths in some fields. */
interface Held extends HeldLocalPath {
  /** Identity: where the value is made. */
  key: string;
  /** For a result: the dict fields that hold a local path ('' for the whole value). */
  fields?: Map<string, string>;
  /** A record that carries the path in a field (`details = BuildDetails(tmp_dir=tmp_dir)`), not the path itself. */
  carried?: true;
}

const TEMP_CALLS: Record<string, string> = {
  'tempfile.mkdtemp': 'tempfile.mkdtemp()',
  'tempfile.mktemp': 'tempfile.mktemp()',
};

export function pythonPathHandoffs(
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
  proxies: ActivityProxyFacts[],
  starts: WorkflowStartFacts[],
  modules: PythonModules,
): LocalPathHandoff[] {
  const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;
  const proxyAt = new Map(proxies.map((p) => [at(p.location), p]));
  const startAt = new Map(starts.filter((s) => s.child).map((s) => [at(s.location), s]));
  const returnsCache = new Map<string, Map<string, string> | undefined>();
  const returnsOf = (name: string) => {
    if (!returnsCache.has(name)) {
      let found: Map<string, string> | undefined;
      for (const activity of activities.filter((a) => a.name === name)) {
        const fields = returnedLocalPaths(activity.node, activity.location.file, modules);
        if (fields) found = new Map([...(found ?? []), ...fields]);
      }
      returnsCache.set(name, found);
    }
    return returnsCache.get(name);
  };
  const opsOf = (name: string, index: number): LocalPathUse['op'][] | undefined => {
    const ops = new Set<LocalPathUse['op']>();
    let read = false;
    for (const activity of activities.filter((a) => a.name === name)) {
      const parameters = namedChildrenOf(activity.node.childForFieldName('parameters') ?? activity.node)
        .filter((p) => !['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(p.type))
        .slice(activity.className ? 1 : 0);
      const parameter = parameters[index] ? parameterName(parameters[index]!) : undefined;
      if (!parameter) continue;
      read = true;
      for (const op of parameterPathOps(activity.node, activity.location.file, parameter, modules)) ops.add(op);
    }
    return read ? [...ops].sort() : undefined;
  };
  const handoffs: LocalPathHandoff[] = [];
  for (const workflow of workflows) {
    const groups = new Map<string, { held: Held; receivers: LocalPathReceiver[] }>();
    // `self.tmp_dir = await workflow.execute_activity(...)` holds the path for every method.
    const attributes = new Map<string, Held>();
    for (const method of classMembers(workflow.node).filter((m) => m.type === 'function_definition')) {
      const names = new Map<string, Held>(attributes);
      const nodes: PythonNode[] = [];
      const body = method.childForFieldName('body');
      if (!body) continue;
      descendantsInScope(body, (node) => nodes.push(node));
      nodes.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
      // An assignment is bound after the calls on its right side are read.
      const pending: { name: string; value: Held | undefined; end: number }[] = [];
      const flush = (upTo: number) => {
        for (let i = 0; i < pending.length; ) {
          if (pending[i]!.end <= upTo) {
            const { name, value } = pending[i]!;
            if (value) names.set(name, value);
            else names.delete(name);
            pending.splice(i, 1);
          } else i++;
        }
      };
      for (const node of nodes) {
        flush(node.startIndex);
        if (node.type === 'assignment') {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          const selfAttribute = left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self';
          if ((left?.type !== 'identifier' && !selfAttribute) || !right) continue;
          const here = locateNode(workflow.file, node);
          let value = heldOf(right, names, workflow.file, here, left.text);
          // A record built around the path (`BuildDetails(tmp_dir=tmp_dir, ...)`) carries it.
          const scheduled = callOf(right);
          const temporal = scheduled !== undefined && (proxyAt.has(at(locateNode(workflow.file, scheduled))) || startAt.has(at(locateNode(workflow.file, scheduled))));
          if (!value && !temporal && unparenthesize(right).type !== 'await') {
            const carried = valuesIn(right, names, workflow.file, here);
            if (carried.length === 1 && unparenthesize(right).type !== 'identifier') value = { ...carried[0]!, carried: true };
          }
          const call = callOf(right);
          if (!value && call) {
            const proxy = proxyAt.get(at(locateNode(workflow.file, call)));
            const type = proxy && proxy.usedActivityTypes !== 'all' && proxy.usedActivityTypes.length === 1 && !proxy.usedActivityTypes[0]!.guessed ? proxy.usedActivityTypes[0]!.name : undefined;
            const fields = type ? returnsOf(type) : undefined;
            if (type && fields) {
              const producer = { name: type, kind: 'activity' as const, location: locateNode(workflow.file, call), how: fields.get('') ?? [...fields.values()][0]! };
              value = { key: at(here), expression: left.text, declaration: here, producer, ...(fields.has('') ? {} : { fields }) };
            }
          }
          if (selfAttribute && value) attributes.set(left.text, value);
          pending.push({ name: left.text, value, end: node.endIndex });
          continue;
        }
        if (node.type !== 'call') continue;
        const location = locateNode(workflow.file, node);
        const proxy = proxyAt.get(at(location));
        const start = startAt.get(at(location));
        if (!proxy && !start) continue;
        let name: string | undefined;
        let kind: 'activity' | 'child' = 'activity';
        let options: StaticValue | undefined;
        if (proxy) {
          if (proxy.usedActivityTypes === 'all' || proxy.usedActivityTypes.length !== 1) continue;
          name = proxy.usedActivityTypes[0]!.name;
          options = proxy.options;
        } else {
          name = start!.workflowType ?? undefined;
          kind = 'child';
          options = start!.options;
        }
        if (!name) continue;
        const queue = options?.kind === 'object' ? options.properties.get('taskQueue') : undefined;
        const computedQueue = (queue !== undefined && queue.kind !== 'string') || (options?.kind === 'object' && options.unknownSpreads.length > 0);
        const args = callArguments(node);
        const payload: PythonNode[] = args.positional.slice(1);
        const listed = args.keywords.get('args');
        if (listed && (listed.type === 'list' || listed.type === 'tuple')) payload.push(...namedChildrenOf(listed));
        const arg = args.keywords.get('arg');
        if (arg) payload.push(arg);
        const seenHere = new Set<string>();
        payload.forEach((argument, index) => {
          for (const held of valuesIn(argument, names, workflow.file, location)) {
            if (seenHere.has(held.key)) continue;
            seenHere.add(held.key);
            const direct = unparenthesize(argument) === argument && heldOf(argument, names, workflow.file, location)?.key === held.key && !held.carried;
            const ops = kind === 'activity' && direct ? opsOf(name!, index) : undefined;
            const group = groups.get(held.key) ?? { held, receivers: [] };
            group.receivers.push({ name: name!, kind, location, computedQueue, ...(ops ? { ops } : {}) });
            groups.set(held.key, group);
          }
        });
      }
      flush(Number.MAX_SAFE_INTEGER);
    }
    handoffs.push(...handoffsOfGroups(workflow.name, groups.values()));
  }
  return handoffs;
}

function callOf(node: PythonNode): PythonNode | undefined {
  let target = unparenthesize(node);
  if (target.type === 'await') target = unparenthesize(namedChildrenOf(target)[0] ?? target);
  return target.type === 'call' ? target : undefined;
}

/** Every local path held in an argument: itself, the items of a list or dict, the arguments of a constructor. */
function valuesIn(node: PythonNode, names: Map<string, Held>, file: string, at: SourceLocation, depth = 0): Held[] {
  const target = unparenthesize(node);
  const held = heldOf(target, names, file, at);
  if (held) return held.fields ? [] : [held];
  if (depth > 1) return [];
  const children: PythonNode[] = [];
  if (target.type === 'list' || target.type === 'tuple' || target.type === 'set') children.push(...namedChildrenOf(target));
  else if (target.type === 'dictionary') {
    for (const pair of namedChildrenOf(target)) if (pair.type === 'pair' && pair.childForFieldName('value')) children.push(pair.childForFieldName('value')!);
  } else if (target.type === 'call') {
    const args = callArguments(target);
    children.push(...args.positional, ...args.keywords.values());
  } else if (target.type === 'keyword_argument' && target.childForFieldName('value')) children.push(target.childForFieldName('value')!);
  return children.flatMap((child) => valuesIn(child, names, file, at, depth + 1));
}

/** The local path (or local-path result) an expression of workflow code holds. */
function heldOf(node: PythonNode, names: Map<string, Held>, file: string, at: SourceLocation, boundTo?: string): Held | undefined {
  const target = unparenthesize(node);
  const key = boundTo ? `${at.file}:${at.line}:${at.column}` : `inline:${at.file}:${target.text}`;
  if (target.type === 'identifier') return names.get(target.text);
  if (target.type === 'attribute' && target.childForFieldName('object')?.text === 'self' && names.has(target.text)) return names.get(target.text);
  // A field of a result: `result["path"]`, `result.get("path")`, `result.path`.
  const field = resultField(target, names);
  if (field) return field;
  if (target.type === 'string') {
    let text = '';
    let base: Held | undefined;
    for (const child of namedChildrenOf(target)) {
      if (child.type === 'string_content' || child.type === 'escape_sequence') text += child.text;
      else if (child.type === 'interpolation') {
        const expression = child.namedChildren.find((c) => c !== null && c.type !== 'format_specifier' && c.type !== 'type_conversion');
        const inner = text === '' && expression ? heldOf(expression, names, file, at) : undefined;
        if (inner && !inner.fields) {
          base = inner;
          text = inner.path ?? `{${inner.expression}}`;
        } else text += `{${expression?.type === 'attribute' ? (expression.childForFieldName('attribute')?.text ?? '…') : (expression?.text ?? '…')}}`;
      }
    }
    if (base) return { key, expression: boundTo ?? target.text, path: text, declaration: at, ...(base.producer ? { producer: base.producer } : {}) };
    return isLocalPath(text) ? { key, expression: boundTo ?? target.text, path: text, declaration: at } : undefined;
  }
  if (target.type === 'call') {
    const callee = target.childForFieldName('function')?.text ?? '';
    const args = callArguments(target).positional;
    const first = args[0];
    if (!first) return undefined;
    if (/^(str|Path|pathlib\.Path|os\.fspath|os\.path\.abspath)$/.test(callee)) return heldOf(first, names, file, at);
    if (/^(os\.path\.join|Path\(.*\)\.joinpath)$/.test(callee)) {
      const base = heldOf(first, names, file, at);
      if (!base || base.fields) {
        const literal = stringLiteral(first);
        if (literal !== undefined && /^\/(tmp|var\/tmp)\/?$/.test(literal)) return { key, expression: boundTo ?? target.text, path: `${literal.replace(/\/$/, '')}/…`, declaration: at };
        return undefined;
      }
      return { key, expression: boundTo ?? target.text, path: `${base.path ?? `{${base.expression}}`}/…`, declaration: at, ...(base.producer ? { producer: base.producer } : {}) };
    }
  }
  if (target.type === 'binary_operator' && target.childForFieldName('operator')?.text === '/') {
    const base = heldOf(target.childForFieldName('left')!, names, file, at);
    if (base && !base.fields) return { key, expression: boundTo ?? target.text, path: `${base.path ?? `{${base.expression}}`}/…`, declaration: at, ...(base.producer ? { producer: base.producer } : {}) };
  }
  return undefined;
}

function resultField(target: PythonNode, names: Map<string, Held>): Held | undefined {
  let object: PythonNode | null | undefined;
  let field: string | undefined;
  if (target.type === 'subscript') {
    object = target.childForFieldName('value');
    const index = target.childForFieldName('subscript');
    field = index ? stringLiteral(index) : undefined;
  } else if (target.type === 'attribute') {
    object = target.childForFieldName('object');
    field = target.childForFieldName('attribute')?.text;
  } else if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'get') {
      object = callee.childForFieldName('object');
      const first = callArguments(target).positional[0];
      field = first ? stringLiteral(first) : undefined;
    }
  }
  if (!object || object.type !== 'identifier' || field === undefined) return undefined;
  const holder = names.get(object.text);
  if (!holder?.fields?.has(field)) return undefined;
  return {
    key: `${holder.key}#${field}`,
    expression: `${holder.expression}[${JSON.stringify(field)}]`,
    declaration: holder.declaration,
    ...(holder.producer ? { producer: { ...holder.producer, how: holder.fields.get(field)! } } : {}),
  };
}

/**
 * The local paths an activity returns that its own code makes: '' for the whole result, or the
 * keys of a dict literal it returns, each with how the path is made. Undefined when it returns none.
 */
function returnedLocalPaths(fn: PythonNode, file: string, modules: PythonModules): Map<string, string> | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const made = new Map<string, string>();
  const nodes: PythonNode[] = [];
  descendantsInScope(body, (node) => nodes.push(node));
  nodes.sort((a, b) => a.startIndex - b.startIndex);
  const how = (node: PythonNode | null | undefined): string | undefined => {
    if (!node) return undefined;
    const target = unparenthesize(node);
    if (target.type === 'identifier') return made.get(target.text);
    if (target.type === 'call') {
      const callee = target.childForFieldName('function');
      const name = callee ? (modules.qualifiedName(file, callee) ?? callee.text) : '';
      if (TEMP_CALLS[name]) return TEMP_CALLS[name];
      const first = callArguments(target).positional[0];
      // The worker's home directory: `Path.home()`, `os.path.expanduser("~/...")`.
      if (/(^|\.)Path\.home$/.test(name) && callArguments(target).positional.length === 0) return 'Path.home()';
      if (name === 'os.path.expanduser' && first && /^~(\/|$)/.test(stringLiteral(first) ?? '')) return `os.path.expanduser("${stringLiteral(first)}")`;
      if (/^(str|pathlib\.Path|Path|os\.fspath|os\.path\.abspath)$/.test(name) || /(^|\.)Path$/.test(name)) return how(first);
      if (name === 'os.path.join' && first) {
        const literal = stringLiteral(first);
        if (literal !== undefined && /^\/(tmp|var\/tmp)\/?$/.test(literal)) return `os.path.join("${literal}", ...)`;
        const inner = how(first);
        if (inner) return inner;
        if (callee && /gettempdir$/.test(first.text.replace(/\(\)$/, ''))) return 'tempfile.gettempdir()';
      }
      if (/^tempfile\.gettempdir$/.test(modules.qualifiedName(file, first?.childForFieldName('function') ?? first ?? target) ?? '')) return 'tempfile.gettempdir()';
      return undefined;
    }
    if (target.type === 'attribute' && target.childForFieldName('attribute')?.text === 'name') {
      const object = target.childForFieldName('object');
      if (object?.type === 'identifier' && made.get(`${object.text}#file`)) return made.get(`${object.text}#file`);
      if (object?.type === 'call') {
        const callee = object.childForFieldName('function');
        if (callee && (modules.qualifiedName(file, callee) ?? callee.text) === 'tempfile.NamedTemporaryFile') return 'tempfile.NamedTemporaryFile().name';
      }
      return undefined;
    }
    if (target.type === 'binary_operator' && target.childForFieldName('operator')?.text === '/') return how(target.childForFieldName('left'));
    if (target.type === 'string') {
      let text = '';
      for (const child of namedChildrenOf(target)) {
        if (child.type === 'string_content') text += child.text;
        else if (child.type === 'interpolation') {
          const expression = child.namedChildren.find((c) => c !== null && c.type !== 'format_specifier' && c.type !== 'type_conversion');
          const inner = text === '' ? how(expression) : undefined;
          if (inner) return inner;
          text += '{x}';
        }
      }
      return /^\/(tmp|var\/tmp)\/./.test(text) ? `"${text.replace(/\{x\}/g, '{…}')}"` : undefined;
    }
    return undefined;
  };
  const result = new Map<string, string>();
  for (const node of nodes) {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right) {
        const made_ = how(right);
        if (made_) made.set(left.text, made_);
        else made.delete(left.text);
      }
    } else if (node.type === 'with_item' || node.type === 'as_pattern') {
      // `with tempfile.NamedTemporaryFile(delete=False) as f:` then `return f.name`.
      const value = node.type === 'as_pattern' ? namedChildrenOf(node)[0] : node.childForFieldName('value');
      const alias = node.type === 'as_pattern' ? node.childForFieldName('alias') : undefined;
      const aliasName = alias ? namedChildrenOf(alias)[0]?.text ?? alias.text : undefined;
      const callee = value?.type === 'call' ? value.childForFieldName('function') : undefined;
      if (aliasName && callee && (modules.qualifiedName(file, callee) ?? callee.text) === 'tempfile.NamedTemporaryFile') made.set(`${aliasName}#file`, 'tempfile.NamedTemporaryFile().name');
    } else if (node.type === 'return_statement') {
      const value = namedChildrenOf(node)[0];
      if (!value) continue;
      const whole = how(value);
      if (whole) result.set('', whole);
      else if (unparenthesize(value).type === 'dictionary') {
        for (const pair of namedChildrenOf(unparenthesize(value))) {
          if (pair.type !== 'pair') continue;
          const key = pair.childForFieldName('key');
          const field = key ? stringLiteral(key) : undefined;
          const made_ = how(pair.childForFieldName('value'));
          if (field !== undefined && made_) result.set(field, made_);
        }
      }
    }
  }
  return result.size > 0 ? result : undefined;
}
