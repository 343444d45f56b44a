// Outbound calls a Python activity makes with no limit of their own, in its body and the project
// helpers it reaches (the walk of python-blocking-calls.ts: module functions, methods of the
// project's classes, `with` blocks): `requests.<verb>(...)` with no `timeout=`, `smtplib.SMTP(...)`
// and `urllib.request.urlopen(...)` with no timeout. Read for sync and async activities alike.

import type { SourceLocation, UntimedCall } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { walkReachedCalls } from './python-blocking-calls.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, locateNode } from './python-syntax.js';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

export function addUntimedCalls(activities: PythonActivity[], modules: PythonModules): void {
  const scopes = new Map<string, unknown>();
  for (const activity of activities) {
    const found: UntimedCall[] = [];
    const seen = new Set<string>();
    walkReachedCalls(activity.node, activity.file, modules, scopes, (call: PythonNode, file: string, via: SourceLocation[]) => {
      const untimed = untimedCallAt(call, file, modules);
      if (!untimed) return;
      const key = `${untimed.location.file}:${untimed.location.line}:${untimed.location.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ ...untimed, via });
    });
    if (found.length > 0) activity.untimedCalls = found;
  }
}

/** `smtplib.SMTP(host, port, local_hostname, timeout)`: where each constructor takes `timeout` positionally (SMTP_SSL's moved across versions: not read). */
const UNTIMED_CONSTRUCTORS = new Map<string, { kind: 'smtplib' | 'urlopen'; position?: number }>([
  ['smtplib.SMTP', { kind: 'smtplib', position: 3 }],
  ['smtplib.LMTP', { kind: 'smtplib' }],
  ['smtplib.SMTP_SSL', { kind: 'smtplib' }],
  ['urllib.request.urlopen', { kind: 'urlopen', position: 2 }],
]);

const socketDefaults = new WeakMap<PythonModules, boolean>();

/**
 * A call with no limit of its own: `requests.<verb>(...)` with no `timeout=` (requests waits
 * forever by default; `socket.setdefaulttimeout` does not reach it: requests passes `timeout=None`
 * to urllib3, which means none), `smtplib.SMTP(...)` or `urllib.request.urlopen(...)` with no
 * timeout (these take `socket.getdefaulttimeout()`, None unless the project calls
 * `socket.setdefaulttimeout`, which then leaves them alone). A call with `*args` or `**kwargs` may
 * pass one: not reported. Session and client objects are not read (an adapter may set a timeout).
 */
export function untimedCallAt(call: PythonNode, file: string, modules: PythonModules): Omit<UntimedCall, 'via'> | undefined {
  const callee = call.childForFieldName('function');
  const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
  if (!qualified) return undefined;
  const args = callArguments(call);
  if (args.starred || args.spreads.length > 0 || args.keywords.has('timeout')) return undefined;
  if (qualified.startsWith('requests.') && HTTP_VERBS.includes(qualified.slice('requests.'.length))) {
    return { api: qualified, kind: 'requests', location: locateNode(file, call) };
  }
  const constructor = UNTIMED_CONSTRUCTORS.get(qualified);
  if (!constructor) return undefined;
  if (constructor.position === undefined ? args.positional.length > 3 : args.positional.length > constructor.position) return undefined;
  let socketDefault = socketDefaults.get(modules);
  if (socketDefault === undefined) {
    socketDefault = [...modules.files.values()].some((parsed) => /\bsetdefaulttimeout\s*\(/.test(parsed.text));
    socketDefaults.set(modules, socketDefault);
  }
  if (socketDefault) return undefined;
  return { api: qualified, kind: constructor.kind, location: locateNode(file, call) };
}

