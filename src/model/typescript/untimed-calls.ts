// Outbound calls an activity makes that carry no limit of their own, read where the review can
// read the options as written: Node's global `fetch` with no `signal` in its init, and axios
// requests (`axios.get(...)`, `axios(config)`, a request on an `axios.create(...)` instance) with no
// `timeout`, `signal` or `cancelToken` on the request or the instance (axios's default timeout is
// 0, no limit). Left alone, because a limit may be set where the review does not look: options it
// cannot read (a variable from elsewhere, a spread), a project that sets `axios.defaults.timeout`
// or an instance's `defaults.timeout`, an instance with request interceptors (they may set one), a
// project that replaces fetch's dispatcher (`setGlobalDispatcher`, whose timeouts then apply), a
// `fetch` imported from a package or declared by the project, and a call raced against something
// else (`Promise.race`: the activity stops waiting on it).

import ts from 'typescript';
import { axiosInstanceRequest, axiosOptions } from './call-timeouts.js';
import { locate } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { CodeIndex } from './code-index.js';
import type { UntimedCall } from '../types.js';

/**
 * How long Node's fetch waits on a silent server before it gives up by itself: undici's
 * headersTimeout and bodyTimeout, 300 s each by default (undici-types client.d.ts).
 */
export const NODE_FETCH_WAIT_LIMIT_MS = 300_000;

/** What the review finds at one call: a call with no limit, or nothing (a limit, or options it cannot read). */
export function untimedCallAt(node: ts.CallExpression, ctx: ResolveContext): Omit<UntimedCall, 'via'> | undefined {
  const callee = skipOuterExpressions(node.expression);
  if (isGlobalFetch(callee)) {
    if (projectFlags(ctx.index).dispatcher || raced(node)) return undefined;
    return lacks(node.arguments[1], ['signal'], ctx) ? { api: 'fetch', kind: 'fetch', location: locate(node) } : undefined;
  }
  const direct = axiosOptions(node, callee);
  if (direct) {
    // `axios.create(...)` makes an instance; its requests are read where they are made.
    if (direct.what !== 'axios request') return undefined;
    if (projectFlags(ctx.index).axiosDefaults || raced(node)) return undefined;
    const api = ts.isPropertyAccessExpression(callee) ? `axios.${callee.name.text}` : 'axios';
    return lacks(direct.options, ['timeout', 'signal', 'cancelToken'], ctx) ? { api, kind: 'axios', location: locate(node) } : undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const instance = axiosInstanceRequest(node, ctx);
    if (!instance) return undefined;
    if (projectFlags(ctx.index).axiosDefaults || raced(node)) return undefined;
    // An instance whose requests pass through interceptors may get its timeout there.
    if (/\binterceptors\s*\.\s*request\s*\.\s*use\b/.test(instance.created.getSourceFile().text)) return undefined;
    if (!lacks(instance.created.arguments[0], ['timeout', 'signal'], ctx)) return undefined;
    if (!lacks(instance.options, ['timeout', 'signal', 'cancelToken'], ctx)) return undefined;
    return { api: `${callee.getText()} (axios instance)`, kind: 'axios', location: locate(node) };
  }
  return undefined;
}

/**
 * True when the options argument is absent, or an object the review reads in full with none of
 * the named fields. An argument it cannot read (a parameter, a spread of something unknown) may
 * carry one: false.
 */
function lacks(argument: ts.Expression | undefined, fields: string[], ctx: ResolveContext): boolean {
  if (!argument) return true;
  const value = resolveValue(argument, ctx);
  if (value.kind === 'undefined') return true;
  if (value.kind !== 'object' || value.unknownSpreads.length > 0) return false;
  return !fields.some((field) => value.properties.has(field));
}

/** `fetch(...)` or `globalThis.fetch(...)`, the runtime's own: not imported, not declared in the file. */
function isGlobalFetch(callee: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(callee)) {
    return callee.name.text === 'fetch' && ts.isIdentifier(callee.expression) && callee.expression.text === 'globalThis';
  }
  if (!ts.isIdentifier(callee) || callee.text !== 'fetch') return false;
  const file = callee.getSourceFile();
  if (importBindings(file).has('fetch')) return false;
  return !/\b(?:function|const|let|var|class)\s+fetch\b/.test(file.text) && !/[{,]\s*fetch\s*[,}:]/.test(paramText(callee));
}

/** The parameter lists of the functions around a node, as text (a `fetch` parameter shadows the global). */
function paramText(node: ts.Node): string {
  let text = '';
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) text += ' ' + current.parameters.map((p) => p.getText()).join(',');
  }
  return text.includes('fetch') ? `{${text.replace(/\s/g, '')}}` : '';
}

/** Inside `Promise.race([...])` / `Promise.any([...])` in the same function: the activity stops waiting when the other side wins. */
function raced(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (!ts.isCallExpression(current)) continue;
    const callee = skipOuterExpressions(current.expression);
    if (ts.isPropertyAccessExpression(callee) && ['race', 'any'].includes(callee.name.text) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise') return true;
  }
  return false;
}

const flagsByIndex = new WeakMap<CodeIndex, { axiosDefaults: boolean; dispatcher: boolean }>();

/** Project-wide settings that give these calls a limit elsewhere: `axios.defaults.timeout = ...`, `setGlobalDispatcher(...)`. */
function projectFlags(index: CodeIndex): { axiosDefaults: boolean; dispatcher: boolean } {
  const known = flagsByIndex.get(index);
  if (known) return known;
  let axiosDefaults = false;
  let dispatcher = false;
  for (const file of index.files) {
    const text = index.sourceFile(file)?.text ?? '';
    if (/\.defaults\s*\.\s*timeout\s*=|defaults\s*:\s*\{[^}]*\btimeout\b/.test(text)) axiosDefaults = true;
    if (/\bsetGlobalDispatcher\b/.test(text)) dispatcher = true;
  }
  const flags = { axiosDefaults, dispatcher };
  flagsByIndex.set(index, flags);
  return flags;
}
