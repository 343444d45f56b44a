// Python workflows whose continue-as-new leaves state behind (see ../continue-as-new-drops.ts):
//
//   @workflow.run
//   async def run(self, input: SyncInput) -> None:        # SyncInput: a dataclass with `trigger_evaluation: bool = False`
//       if input.trigger_evaluation: ...
//       workflow.continue_as_new(SyncInput(repo_id=input.repo_id, cursor=next_cursor))   # the flag is reset
//
// Only what can be seen whole is judged: the new input must be a construction of the parameter's
// own class (keywords, or positionals in field order) without `**` / `*`, or a dict literal with
// string keys; `dataclasses.replace(input, ...)`, `input.model_copy(...)`, a name or any other
// call carry what the review cannot list. A field is reported when it has a default (leaving out a
// field without one fails the construction, another defect) and the run method reads it outside
// the continue-as-new call. Parameters left off `args=[...]` (or a single argument for a run with
// more parameters) are judged the same way when they have a default.
//
// Handler state: `self.X` that a @workflow.signal / @workflow.update method fills (append, extend,
// add, update, insert, `self.X[k] = v`), that the run method reads, and that the continue-as-new
// arguments do not mention, with no `workflow.wait_condition` testing it empty, no
// `all_handlers_finished` in the class, and no test of it around the call.
//
// Running totals: `self.X += ...` in the run method, where `__init__` sets `self.X` to a number and
// nothing else assigns it (no restore from the input), that the run hands to an activity or child
// or returns, that no condition reads (a per-run count that decides when to continue as new is
// meant to reset), and that the continue-as-new arguments do not mention.

import { pickRead, type DroppedContinueAsNewState, type DroppedStateUse } from '../continue-as-new-drops.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';
import { classDefinition, payloadFields } from './python-type-graph.js';

const CONTINUE_AS_NEW = 'temporalio.workflow.continue_as_new';
const WAIT_CONDITION = 'temporalio.workflow.wait_condition';
const SCHEDULES = /^temporalio\.workflow\.(?:(?:execute|start)_(?:local_)?activity(?:_method|_class)?|(?:execute|start)_child_workflow)$/;
const FILLING = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'extendleft', 'setdefault', 'put_nowait']);
const HANDLER_KINDS: Record<string, 'signal' | 'update'> = { 'temporalio.workflow.signal': 'signal', 'temporalio.workflow.update': 'update' };
const CONSTRUCTOR_HOOKS = new Set(['__init__', '__new__', '__post_init__', 'model_post_init', '__attrs_post_init__']);

interface Read {
  node: PythonNode;
  use: DroppedStateUse;
}

interface Parameter {
  name: string;
  annotation: PythonNode | null;
  hasDefault: boolean;
}

export function pythonDroppedContinueAsNewState(workflows: PythonWorkflow[], modules: PythonModules): DroppedContinueAsNewState[] {
  const found: DroppedContinueAsNewState[] = [];
  const seen = new Set<number>();
  for (const workflow of workflows) {
    if (seen.has(workflow.node.id) || !workflow.node.text.includes('continue_as_new')) continue;
    seen.add(workflow.node.id);
    const run = classMembers(workflow.node).find((member) => member.type === 'function_definition' && decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'));
    if (!run) continue;
    const calls = run.descendantsOfType('call').filter((call): call is PythonNode => !!call && isContinueAsNew(call, workflow.file, modules));
    for (const call of calls) {
      const args = callArguments(call);
      // Another workflow's input.
      if (args.keywords.has('workflow') || args.positional.length > 1 || args.spreads.length || args.starred) continue;
      found.push(...droppedInputs(call, run, workflow, modules));
      found.push(...droppedHandlerState(call, run, workflow, modules));
      found.push(...droppedAccumulators(call, run, workflow, modules));
    }
  }
  return found;
}

function isContinueAsNew(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  return !!callee && modules.qualifiedName(file, callee) === CONTINUE_AS_NEW;
}

function parametersOf(fn: PythonNode): Parameter[] | undefined {
  const list = fn.childForFieldName('parameters');
  if (!list) return undefined;
  const parameters: Parameter[] = [];
  for (const entry of namedChildrenOf(list)) {
    switch (entry.type) {
      case 'identifier':
        parameters.push({ name: entry.text, annotation: null, hasDefault: false });
        break;
      case 'typed_parameter': {
        const name = namedChildrenOf(entry).find((child) => child.type === 'identifier');
        if (!name) return undefined;
        parameters.push({ name: name.text, annotation: entry.childForFieldName('type'), hasDefault: false });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = entry.childForFieldName('name');
        if (name?.type !== 'identifier') return undefined;
        parameters.push({ name: name.text, annotation: entry.childForFieldName('type'), hasDefault: true });
        break;
      }
      default:
        // *args, **kwargs, keyword-only markers: the mapping of arguments is not plain.
        return undefined;
    }
  }
  return parameters.slice(1); // self
}

// ---------------------------------------------------------------------------------------------
// Input fields and positional parameters

function droppedInputs(call: PythonNode, run: PythonNode, workflow: PythonWorkflow, modules: PythonModules): DroppedContinueAsNewState[] {
  const parameters = parametersOf(run);
  if (!parameters?.length) return [];
  const args = callArguments(call);
  let given: PythonNode[];
  const single = args.positional[0] ?? args.keywords.get('arg');
  const list = args.keywords.get('args');
  if (single && list) return [];
  if (single) given = [single];
  else if (list) {
    const literal = unparenthesize(list);
    if (literal.type !== 'list' && literal.type !== 'tuple') return [];
    given = namedChildrenOf(literal);
    if (given.some((element) => element.type === 'list_splat')) return [];
  } else return []; // `continue_as_new()` with no argument at all: a deliberate fresh start, not a forgotten one.
  const body = run.childForFieldName('body');
  if (!body) return [];
  const found: DroppedContinueAsNewState[] = [];
  parameters.forEach((parameter, index) => {
    if (reassigned(body, parameter.name)) return;
    const argument = given[index];
    if (!argument) {
      if (!parameter.hasDefault) return;
      const read = pickRead(readsOf(body, call, (node) => node.type === 'identifier' && node.text === parameter.name && !isAttributeName(node) && !isKeywordName(node), workflow.file, modules));
      if (read) found.push(entry('parameter', parameter.name, workflow, call, read));
      return;
    }
    if (!parameter.annotation) return;
    const cls = annotatedClass(parameter.annotation, workflow.file, modules);
    if (!cls) return;
    const written = writtenFields(unparenthesize(argument), cls, workflow.file, modules);
    if (!written) return;
    for (const field of cls.fields) {
      if (written.has(field) || !hasDefault(cls.node, cls.file, field, modules)) continue;
      const read = pickRead(readsOf(body, call, (node) => isFieldRead(node, parameter.name, field), workflow.file, modules));
      if (!read) continue;
      found.push({ ...entry('field', field, workflow, call, read), holder: parameter.name, holderType: cls.node.childForFieldName('name')?.text ?? '' });
    }
  });
  return found;
}

function entry(kind: DroppedContinueAsNewState['kind'], name: string, workflow: PythonWorkflow, call: PythonNode, read: Read): DroppedContinueAsNewState {
  return { kind, workflow: workflow.name, name, continueAsNew: locateNode(workflow.file, call), read: locateNode(workflow.file, read.node), readText: readText(read.node), use: read.use };
}

interface PayloadClass {
  node: PythonNode;
  file: string;
  fields: string[];
}

/** The project payload class an annotation names (`SyncInput`, `Optional[SyncInput]`, `models.SyncInput`), with its fields. */
function annotatedClass(annotation: PythonNode, file: string, modules: PythonModules): PayloadClass | undefined {
  let target = unparenthesize(annotation);
  if (target.type === 'type') target = namedChildrenOf(target)[0] ?? target;
  // `SyncInput | None`, `Optional[SyncInput]`: the class inside.
  if (target.type === 'binary_operator') {
    const sides = [target.childForFieldName('left'), target.childForFieldName('right')];
    const classes = sides.filter((side): side is PythonNode => !!side && side.type !== 'none');
    if (classes.length !== 1) return undefined;
    target = classes[0]!;
  } else if (target.type === 'generic_type' && namedChildrenOf(target)[0]?.text === 'Optional') {
    const inner = namedChildrenOf(target)[1];
    const parts = inner?.type === 'type_parameter' ? namedChildrenOf(inner) : [];
    if (parts.length !== 1) return undefined;
    target = parts[0]!.type === 'type' ? (namedChildrenOf(parts[0]!)[0] ?? parts[0]!) : parts[0]!;
  }
  if (target.type !== 'identifier' && target.type !== 'attribute') return undefined;
  const definition = classDefinition(target, file, modules);
  if (definition?.kind !== 'class') return undefined;
  const members = classMembers(definition.node);
  // A constructor or validator may fill what the call leaves out.
  if (members.some((m) => m.type === 'function_definition' && (CONSTRUCTOR_HOOKS.has(m.childForFieldName('name')?.text ?? '') || decoratorsOf(m).some((d) => /validator/.test(d.expression.text))))) return undefined;
  const fields = payloadFields(definition.node, definition.file, modules);
  if (!fields?.length) return undefined;
  return { node: definition.node, file: definition.file, fields: fields.map((f) => f.name) };
}

/** The fields a construction writes: `Cls(a=..., b=...)`, `Cls(x, y)` (field order), `{"a": ...}`; undefined when not fully visible. */
function writtenFields(argument: PythonNode, cls: PayloadClass, file: string, modules: PythonModules): Set<string> | undefined {
  if (argument.type === 'dictionary') {
    const keys = new Set<string>();
    for (const pair of namedChildrenOf(argument)) {
      if (pair.type !== 'pair') return undefined;
      const key = pair.childForFieldName('key');
      const text = key ? stringLiteral(key) : undefined;
      if (text === undefined) return undefined;
      keys.add(text);
    }
    return keys;
  }
  if (argument.type !== 'call') return undefined;
  const callee = argument.childForFieldName('function');
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return undefined;
  const definition = classDefinition(callee, file, modules);
  if (definition?.kind !== 'class' || definition.node.id !== cls.node.id) return undefined;
  const args = callArguments(argument);
  if (args.spreads.length || args.starred) return undefined;
  const keys = new Set<string>(args.keywords.keys());
  if (args.positional.length) {
    if (args.positional.length > cls.fields.length) return undefined;
    for (const field of cls.fields.slice(0, args.positional.length)) keys.add(field);
  }
  return keys;
}

/** The field is declared with a default (`x: bool = False`, `= field(default_factory=list)`), on the class or a project base. */
function hasDefault(classNode: PythonNode, file: string, field: string, modules: PythonModules, depth = 0): boolean {
  if (depth > 6) return false;
  for (const member of classMembers(classNode)) {
    const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === field && assignment.childForFieldName('type')) {
      const right = assignment.childForFieldName('right');
      return !!right && declaresDefault(right);
    }
  }
  const list = classNode.childForFieldName('superclasses');
  for (const base of list ? namedChildrenOf(list) : []) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const definition = classDefinition(base, file, modules);
    if (definition?.kind === 'class' && hasDefault(definition.node, definition.file, field, modules, depth + 1)) return true;
  }
  return false;
}

/** `= False`, `= None`, `field(default_factory=list)`; not `field()` / `Field(...)` / `Field(description=...)`, which leave the field required. */
function declaresDefault(value: PythonNode): boolean {
  const node = unparenthesize(value);
  if (node.type !== 'call' || !/^(?:dataclasses\.|pydantic\.)?(?:field|Field)$/.test(node.childForFieldName('function')?.text ?? '')) return true;
  const args = callArguments(node);
  const first = args.positional[0];
  if (first) return first.type !== 'ellipsis';
  return args.keywords.has('default') || args.keywords.has('default_factory');
}

function isFieldRead(node: PythonNode, holder: string, field: string): boolean {
  if (node.type !== 'attribute') return false;
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && object.text === holder && node.childForFieldName('attribute')?.text === field;
}

function isAttributeName(node: PythonNode): boolean {
  const parent = node.parent;
  return parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id;
}

function isKeywordName(node: PythonNode): boolean {
  const parent = node.parent;
  return parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id;
}

/** `input = ...` in the run method: the name no longer holds what the run was started with. */
function reassigned(body: PythonNode, name: string): boolean {
  for (const assignment of body.descendantsOfType(['assignment', 'augmented_assignment'])) {
    const left = assignment?.childForFieldName('left');
    if (!left) continue;
    if (left.type === 'identifier' && left.text === name) return true;
    if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && namedChildrenOf(left).some((child) => child.text === name)) return true;
  }
  return false;
}

/** Nodes of the run method that pass `test`, outside the continue-as-new call and not written to. */
function readsOf(body: PythonNode, call: PythonNode, test: (node: PythonNode) => boolean, file: string, modules: PythonModules): Read[] {
  const reads: Read[] = [];
  const visit = (node: PythonNode): void => {
    if (node.id === call.id) return;
    if (test(node)) {
      if (!isWritten(node)) reads.push({ node, use: useOf(node, file, modules) });
      return;
    }
    for (const child of namedChildrenOf(node)) visit(child);
  };
  visit(body);
  return reads;
}

function isWritten(node: PythonNode): boolean {
  const parent = node.parent;
  return (parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && parent.childForFieldName('left')?.id === node.id;
}

const STATEMENT = /_statement$|^function_definition$|^class_definition$|^block$/;

function useOf(node: PythonNode, file: string, modules: PythonModules): DroppedStateUse {
  let used: DroppedStateUse = 'other';
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (['if_statement', 'while_statement', 'elif_clause'].includes(current.type) && current.childForFieldName('condition')?.id === child.id) return 'condition';
    if (current.type === 'conditional_expression' && namedChildrenOf(current)[1]?.id === child.id) return 'condition';
    if (current.type === 'boolean_operator' && current.childForFieldName('left')?.id === child.id) return 'condition';
    if (current.type === 'match_statement' && current.childForFieldName('subject')?.id === child.id) return 'condition';
    if (current.type === 'lambda') {
      const owner = current.parent?.type === 'argument_list' ? current.parent.parent : undefined;
      const callee = owner?.childForFieldName('function');
      if (callee && modules.qualifiedName(file, callee) === WAIT_CONDITION) return 'condition';
      break;
    }
    if (current.type === 'call' && child.type === 'argument_list') {
      const callee = current.childForFieldName('function');
      if (callee && SCHEDULES.test(modules.qualifiedName(file, callee) ?? '')) used = 'activity';
    }
    if (STATEMENT.test(current.type) || current.type === 'expression_statement') break;
  }
  return used;
}

function readText(node: PythonNode): string {
  let statement = node;
  while (statement.parent && !STATEMENT.test(statement.type) && statement.type !== 'expression_statement') statement = statement.parent;
  let text = statement.text.split('\n')[0]!.trim();
  if (/^(if|elif|while)\b/.test(text)) text = text.replace(/:\s*$/, '');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Handler state

function droppedHandlerState(call: PythonNode, run: PythonNode, workflow: PythonWorkflow, modules: PythonModules): DroppedContinueAsNewState[] {
  const classText = workflow.node.text;
  if (/\ball_handlers_finished\b/.test(classText)) return [];
  const args = callArguments(call);
  const argumentNodes = [...args.positional, ...args.keywords.values()];
  // `self` passed whole, or a method of the workflow building the input: not visible here.
  if (argumentNodes.some((node) => usesSelfOpaquely(node))) return [];
  const feeds = handlerFeeds(workflow, modules);
  const found: DroppedContinueAsNewState[] = [];
  const body = run.childForFieldName('body');
  if (!body) return [];
  for (const [attribute, feed] of feeds) {
    const isUse = (node: PythonNode) => node.type === 'attribute' && node.childForFieldName('object')?.text === 'self' && node.childForFieldName('attribute')?.text === attribute;
    // Pending work: code other than the handlers takes items out of it or empties it.
    if (!consumedOutsideHandlers(workflow, attribute, modules)) continue;
    if (carriedInto(argumentNodes, body, isUse)) continue;
    if (testedAround(call, run, isUse) || drainedByCondition(workflow, isUse, modules)) continue;
    const read = pickRead(readsOf(body, call, isUse, workflow.file, modules));
    if (!read) continue;
    found.push({ ...entry('handler-state', `self.${attribute}`, workflow, call, read), feed });
  }
  return found;
}

const CONSUMING = new Set(['pop', 'popleft', 'clear', 'popitem', 'get_nowait']);

function consumedOutsideHandlers(workflow: PythonWorkflow, attribute: string, modules: PythonModules): boolean {
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition' || member.childForFieldName('name')?.text === '__init__') continue;
    if (decoratorsOf(member).some((d) => HANDLER_KINDS[modules.qualifiedName(workflow.file, d.expression) ?? ''])) continue;
    const consumed = mentions(member, (node) => {
      if (node.type === 'call') {
        const callee = node.childForFieldName('function');
        return callee?.type === 'attribute' && CONSUMING.has(callee.childForFieldName('attribute')?.text ?? '') && selfAttribute(callee.childForFieldName('object')) === attribute;
      }
      if (node.type === 'assignment') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (selfAttribute(left) === attribute && right && (['list', 'dictionary', 'set'].includes(right.type) ? namedChildrenOf(right).length === 0 : /^(?:list|dict|set|deque|collections\.deque)\(\)$/.test(right.text))) return true;
        return left?.type === 'subscript' && selfAttribute(left.childForFieldName('value')) === attribute && left.text.includes('[:]');
      }
      if (node.type === 'delete_statement') return mentions(node, (inner) => inner.type === 'subscript' && selfAttribute(inner.childForFieldName('value')) === attribute);
      return false;
    });
    if (consumed) return true;
  }
  return false;
}

/** The arguments carry `self.X`, directly or through a local name built or filled from it (followed a few steps). */
function carriedInto(argumentNodes: PythonNode[], body: PythonNode, isUse: (node: PythonNode) => boolean): boolean {
  const names = new Set<string>();
  // Local names (`carry`) and other attributes of the workflow (`self._state`) built or filled from it.
  const carries = (node: PythonNode) => mentions(node, (current) => isUse(current) || (current.type === 'identifier' && current.text !== 'self' && names.has(current.text)) || (current.type === 'attribute' && names.has(current.text)));
  const rootName = (node: PythonNode | null): string | undefined => {
    let current = node;
    while (current && (current.type === 'attribute' || current.type === 'subscript')) {
      if (current.type === 'attribute' && current.childForFieldName('object')?.text === 'self') return current.text;
      current = current.type === 'attribute' ? current.childForFieldName('object') : current.childForFieldName('value');
    }
    return current?.type === 'identifier' && current.text !== 'self' ? current.text : undefined;
  };
  for (let round = 0; round < 4; round++) {
    const before = names.size;
    for (const node of body.descendantsOfType(['assignment', 'augmented_assignment', 'call'])) {
      if (!node) continue;
      if (node.type === 'call') {
        const callee = node.childForFieldName('function');
        const list = node.childForFieldName('arguments');
        if (callee?.type === 'attribute' && FILLING.has(callee.childForFieldName('attribute')?.text ?? '') && list && carries(list)) {
          const root = rootName(callee.childForFieldName('object'));
          if (root) names.add(root);
        }
        continue;
      }
      const right = node.childForFieldName('right');
      if (!right || !carries(right)) continue;
      const left = node.childForFieldName('left');
      const root = rootName(left);
      if (root) names.add(root);
      else if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) for (const child of namedChildrenOf(left)) if (child.type === 'identifier') names.add(child.text);
    }
    if (names.size === before) break;
  }
  return argumentNodes.some((node) => carries(node));
}

function mentions(node: PythonNode, test: (node: PythonNode) => boolean): boolean {
  if (test(node)) return true;
  return namedChildrenOf(node).some((child) => mentions(child, test));
}

function usesSelfOpaquely(node: PythonNode): boolean {
  return mentions(node, (current) => {
    if (current.type !== 'identifier' || current.text !== 'self') return false;
    const parent = current.parent;
    if (parent?.type !== 'attribute' || parent.childForFieldName('object')?.id !== current.id) return true;
    // `self.build_input()`
    return parent.parent?.type === 'call' && parent.parent.childForFieldName('function')?.id === parent.id;
  });
}

/** `self.X` attributes that signal and update methods fill, each with its first fill. */
function handlerFeeds(workflow: PythonWorkflow, modules: PythonModules): Map<string, NonNullable<DroppedContinueAsNewState['feed']>> {
  const feeds = new Map<string, NonNullable<DroppedContinueAsNewState['feed']>>();
  for (const member of classMembers(workflow.node)) {
    if (member.type !== 'function_definition') continue;
    let kind: 'signal' | 'update' | undefined;
    let messageName: string | undefined;
    for (const decorator of decoratorsOf(member)) {
      const found = HANDLER_KINDS[modules.qualifiedName(workflow.file, decorator.expression) ?? ''];
      if (!found) continue;
      kind = found;
      const named = decorator.call ? callArguments(decorator.call).keywords.get('name') : undefined;
      messageName = (named && stringLiteral(named)) ?? member.childForFieldName('name')?.text;
    }
    if (!kind) continue;
    const body = member.childForFieldName('body');
    if (!body) continue;
    const visit = (node: PythonNode): void => {
      const attribute = filledAttribute(node);
      if (attribute && !feeds.has(attribute)) {
        feeds.set(attribute, { location: locateNode(workflow.file, node), text: shortText(node.text), kind: kind!, ...(messageName ? { name: messageName } : {}) });
      }
      for (const child of namedChildrenOf(node)) visit(child);
    };
    visit(body);
  }
  return feeds;
}

function shortText(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 48 ? `${line.slice(0, 45)}...` : line;
}

/** `self.X.append(...)` (and the other fills), `self.X[k] = v`: the attribute filled. */
function filledAttribute(node: PythonNode): string | undefined {
  if (node.type === 'call') {
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || !FILLING.has(callee.childForFieldName('attribute')?.text ?? '')) return undefined;
    return selfAttribute(callee.childForFieldName('object'));
  }
  if (node.type === 'assignment') {
    const left = node.childForFieldName('left');
    if (left?.type === 'subscript') return selfAttribute(left.childForFieldName('value'));
  }
  return undefined;
}

function selfAttribute(node: PythonNode | null): string | undefined {
  if (node?.type !== 'attribute' || node.childForFieldName('object')?.text !== 'self') return undefined;
  return node.childForFieldName('attribute')?.text;
}

function testedAround(call: PythonNode, run: PythonNode, isUse: (node: PythonNode) => boolean): boolean {
  for (let current = call.parent; current && current.id !== run.id; current = current.parent) {
    if (['if_statement', 'while_statement', 'elif_clause'].includes(current.type)) {
      const condition = current.childForFieldName('condition');
      if (condition && mentions(condition, isUse)) return true;
    }
    // In an else branch: the if's condition tested it too.
    if (current.type === 'else_clause' && current.parent?.type === 'if_statement') {
      const condition = current.parent.childForFieldName('condition');
      if (condition && mentions(condition, isUse)) return true;
    }
  }
  return false;
}

/** `await workflow.wait_condition(lambda: not self.X)` / `len(self.X) == 0` anywhere in the class. */
function drainedByCondition(workflow: PythonWorkflow, isUse: (node: PythonNode) => boolean, modules: PythonModules): boolean {
  for (const call of workflow.node.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (!call || !callee || modules.qualifiedName(workflow.file, callee) !== WAIT_CONDITION) continue;
    const predicate = callArguments(call).positional[0];
    if (!predicate || !mentions(predicate, isUse)) continue;
    const empty = mentions(predicate, (node) => {
      if (node.type === 'not_operator') return mentions(node, isUse);
      if (node.type === 'comparison_operator') {
        const equal = node.children.some((child) => child?.type === '==' || child?.type === '<=');
        return equal && mentions(node, isUse) && namedChildrenOf(node).some((child) => child.type === 'integer' && child.text === '0');
      }
      return false;
    });
    if (empty) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Running totals

function droppedAccumulators(call: PythonNode, run: PythonNode, workflow: PythonWorkflow, modules: PythonModules): DroppedContinueAsNewState[] {
  const body = run.childForFieldName('body');
  if (!body) return [];
  const args = callArguments(call);
  const argumentNodes = [...args.positional, ...args.keywords.values()];
  if (argumentNodes.length === 0 || argumentNodes.some((node) => usesSelfOpaquely(node))) return [];
  const members = classMembers(workflow.node).filter((m) => m.type === 'function_definition');
  const init = members.find((m) => m.childForFieldName('name')?.text === '__init__');
  if (!init) return [];
  const totals = new Set<string>();
  for (const node of body.descendantsOfType('augmented_assignment')) {
    if (!node || !node.children.some((child) => child?.type === '+=')) continue;
    const attribute = selfAttribute(node.childForFieldName('left'));
    if (attribute) totals.add(attribute);
  }
  const found: DroppedContinueAsNewState[] = [];
  for (const attribute of totals) {
    // Started at a number in __init__, and assigned nowhere else (a restore from the input, a reset).
    const assignments = workflow.node.descendantsOfType('assignment').filter((a): a is PythonNode => !!a && selfAttribute(a.childForFieldName('left')) === attribute);
    const initial = assignments.filter((a) => enclosing(a, ['function_definition'])?.id === init.id);
    if (initial.length !== 1 || assignments.length !== 1) continue;
    const value = initial[0]!.childForFieldName('right');
    if (!value || (value.type !== 'integer' && value.type !== 'float')) continue;
    const isUse = (node: PythonNode) => selfAttribute(node) === attribute;
    if (carriedInto(argumentNodes, body, isUse)) continue;
    const reads = readsOf(body, call, isUse, workflow.file, modules).filter((read) => !enclosing(read.node, ['augmented_assignment']));
    if (reads.some((read) => read.use === 'condition')) continue;
    const handed = reads.find((read) => read.use === 'activity') ?? reads.find((read) => enclosing(read.node, ['return_statement']) !== undefined);
    if (!handed) continue;
    found.push(entry('accumulator', `self.${attribute}`, workflow, call, handed));
  }
  return found;
}
