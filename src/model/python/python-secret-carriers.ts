// Credential-looking fields in a Python project's payloads, kept only where some producer may set
// them (src/model/python/python-payload-producers.ts) and grouped by the class that declares the
// field: a `password` on one credentials class, carried by thirty payload types that nest it, is
// one decision to fix in one place, so it is one finding with the other carriers related.

import { isBareToken, looksLikeSecret, namesDevicePushToken } from '../typescript/payload-types/secret-names.js';
import type { SecretCarrierFacts, SecretFieldFacts } from '../types.js';
import type { PythonModules } from './python-modules.js';
import { ARRAYS, BINARY, MAPS, MASKED, TEXT, withoutNone, type PythonPayloadSite } from './python-payload-types.js';
import type { ClassRef, PayloadRoot, ProducerIndex, SecretStep } from './python-payload-producers.js';
import { classMembers, namedChildrenOf } from './python-syntax.js';
import { classDefinition, payloadFields, type PythonType } from './python-type-graph.js';

const SECRET_DEPTH = 5;

interface PythonSecret extends SecretFieldFacts {
  /** How the value reaches the field, for the producer reading. */
  steps: SecretStep[];
  /** The class that declares the field; absent when the parameter itself is the credential. */
  owner?: ClassRef;
}

/** Credential-looking names in a payload: the parameter and the fields of its classes at any depth. */
export function findPythonSecrets(site: PythonPayloadSite, modules: PythonModules): PythonSecret[] {
  const found: PythonSecret[] = [];
  const visited = new Set<number>();
  const visit = (type: PythonType, path: string, nameHere: string, depth: number, steps: SecretStep[], owner: ClassRef | undefined, holder: string | undefined): void => {
    // Annotations say what a name holds: only a value that can hold text is taken for the
    // credential itself (`use_credentials: bool` is a flag); a class is judged by its own fields.
    // A bare `token` held by something named after push tokens (`PushTokenInput.token`,
    // `delete_push_token(token)`) is a device push token: the address of a device, not a credential.
    if (looksLikeSecret(nameHere) && !masked(type) && (isBareToken(nameHere) ? holdsText(type) && !namesDevicePushToken(holder) : mayHoldText(type))) {
      found.push({ path, name: nameHere, typeText: type.text, steps, ...(owner ? { owner: declaringClass(owner, nameHere, modules)! } : {}) });
      return;
    }
    for (const part of type.kind === 'union' ? type.members : [type]) {
      if (part.kind === 'generic' && ARRAYS.has(part.name) && part.args[0]) {
        visit(part.args[0], `${path}[]`, '', depth + 1, [...steps, { kind: 'element', element: classOf(part.args[0]) }], undefined, undefined);
        continue;
      }
      if (part.kind !== 'class') continue;
      // A class is judged by its fields, not its name: `SecretRef(name, optional)` is the reference
      // to a secret the fix asks for, `DockerCredentials(username, password)` holds one in `password`.
      const fields = payloadFields(part.node, part.file, modules);
      if (!fields || visited.has(part.node.id) || depth >= SECRET_DEPTH) continue;
      visited.add(part.node.id);
      const holder = { node: part.node, file: part.file };
      const className = part.node.childForFieldName('name')?.text;
      for (const field of fields) visit(field.type, `${path}.${field.name}`, field.name, depth + 1, [...steps, { kind: 'field', name: field.name, holder }], holder, className);
    }
  };
  const fnName = site.fn.childForFieldName('name')?.text;
  visit(site.type, site.valueName, site.direction === 'result' ? '' : site.valueName, 0, [], undefined, namesDevicePushToken(fnName) ? fnName : site.name);
  return found;
}

/** The one project class a type is (`Foo`, `Optional[Foo]`), if it is one. */
function classOf(type: PythonType): ClassRef | undefined {
  const parts = withoutNone(type);
  const only = parts.length === 1 ? parts[0] : undefined;
  return only?.kind === 'class' ? { node: only.node, file: only.file } : undefined;
}

/** The class (the holder or one of its project bases) whose body annotates the field. */
function declaringClass(holder: ClassRef, field: string, modules: PythonModules, depth = 0): ClassRef | undefined {
  const declares = classMembers(holder.node).some((member) => {
    const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
    return assignment?.type === 'assignment' && assignment.childForFieldName('type') !== null && assignment.childForFieldName('left')?.text === field;
  });
  if (declares) return holder;
  const list = holder.node.childForFieldName('superclasses');
  for (const base of depth < 6 && list ? namedChildrenOf(list) : []) {
    const definition = classDefinition(base, holder.file, modules);
    const found = definition?.kind === 'class' ? declaringClass({ node: definition.node, file: definition.file }, field, modules, depth + 1) : undefined;
    if (found) return found;
  }
  return depth === 0 ? holder : undefined;
}

/** Text, bytes, Any or a container of them: what a credential can be stored as. Unresolved types are "cannot tell". */
function mayHoldText(type: PythonType): boolean {
  const parts = withoutNone(type);
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
  const parts = withoutNone(type);
  return parts.length > 0 && parts.every((p) => p.kind === 'generic' && (TEXT.has(p.name) || (ARRAYS.has(p.name) && p.args[0]?.kind === 'generic' && TEXT.has(p.args[0].name))));
}

/** Where a secret's value starts: the parameter itself (a workflow or activity input), or instances of the payload's classes. */
function rootOf(site: PythonPayloadSite, secret: PythonSecret): { root: PayloadRoot; steps: SecretStep[] } {
  const first = secret.steps[0];
  if (!first) {
    const parameter = site.direction === 'input' && (site.kind === 'workflow' || site.kind === 'activity');
    return { root: parameter ? { kind: 'parameter', fn: site.fn, file: site.location.file, name: site.valueName } : { kind: 'unknown' }, steps: [] };
  }
  if (first.kind === 'field') return { root: { kind: 'classes', classes: [first.holder] }, steps: secret.steps };
  return first.element ? { root: { kind: 'classes', classes: [first.element] }, steps: secret.steps.slice(1) } : { root: { kind: 'unknown' }, steps: [] };
}

/**
 * Payloads carrying credential fields some producer may set, one group per declaring class and
 * field (groups with the same carriers merge, so a class with three such fields is one finding).
 * A parameter that is itself the credential (`api_key: str`) is its own group.
 */
export function pythonSecretCarriers(sites: PythonPayloadSite[], modules: PythonModules, producers: ProducerIndex): SecretCarrierFacts[] {
  const sorted = [...sites].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  const groups = new Map<string, { sites: PythonPayloadSite[]; secrets: PythonSecret[] }>();
  for (const site of sorted) {
    for (const secret of findPythonSecrets(site, modules)) {
      const { root, steps } = rootOf(site, secret);
      if (!producers.mayCarry(root, steps)) continue;
      const key = secret.owner ? `${secret.owner.file}:${secret.owner.node.startIndex}:${secret.name}` : `${siteKey(site)}:${secret.path}`;
      const group = groups.get(key) ?? { sites: [], secrets: [] };
      if (!group.sites.includes(site)) group.sites.push(site);
      // The message shows the field as the first carrier reaches it.
      if (group.sites[0] === site) group.secrets.push(secret);
      groups.set(key, group);
    }
  }
  const merged = new Map<string, SecretCarrierFacts>();
  for (const group of groups.values()) {
    const carriers = group.sites.map(siteKey).join('|');
    const facts = merged.get(carriers);
    const secrets = group.secrets.map(({ steps: _steps, owner: _owner, ...secret }) => secret);
    if (facts) facts.secrets.push(...secrets);
    else merged.set(carriers, { signatures: group.sites.map(({ type: _type, fn: _fn, ...site }) => site), secrets });
  }
  return [...merged.values()];
}

function siteKey(site: PythonPayloadSite): string {
  return `${site.kind}:${site.name}:${site.direction}:${site.valueName}:${site.location.file}:${site.location.line}:${site.location.column}`;
}

