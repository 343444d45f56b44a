// Finds every payload an event carries and labels it with where it sits (TEMPORAL-FACTS.md
// section 8): inputs, results, failures followed through `cause`, heartbeat details, memo,
// search attributes, headers and marker details.

import { intern } from './flat-string.js';
import { OmittedString } from './omitted-string.js';
import { measurePayload } from './payload-size.js';
import type { PayloadDirection, PayloadFact, PayloadOrigin, PayloadSite } from './types.js';

export interface PayloadContext {
  site: PayloadSite;
  direction: PayloadDirection;
  name: string | undefined;
}

/** Failure chains and nested maps deeper than this are not searched (they still count in size). */
const MAX_DEPTH = 64;

/** Adds the payloads found in an event's attributes to `out`. */
export function collectPayloads(attributes: Record<string, unknown>, start: PayloadContext, out: PayloadFact[], withPreview: boolean): void {
  walk(attributes, start, false, out, withPreview, 0);
}

function walk(value: unknown, ctx: PayloadContext, namesFromKeys: boolean, out: PayloadFact[], withPreview: boolean, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const element of value) if (element !== null && typeof element === 'object') walk(element, ctx, false, out, withPreview, depth + 1);
    return;
  }
  const object = value as Record<string, unknown>;
  if (isPayload(object)) {
    const measure = measurePayload(object, withPreview);
    const fact: PayloadFact = {
      origin: originOf(ctx.site, ctx.direction, ctx.name),
      bytes: measure.bytes,
      encoding: measure.encoding,
    };
    if (measure.preview !== undefined) fact.preview = measure.preview;
    out.push(fact);
    return;
  }
  for (const key in object) {
    const child = object[key];
    if (child === null || typeof child !== 'object' || child instanceof OmittedString) continue;
    if (namesFromKeys) {
      walk(child, { site: ctx.site, direction: ctx.direction, name: intern(key) }, false, out, withPreview, depth + 1);
      continue;
    }
    const refined = refine(ctx, key);
    if (refined === undefined) walk(child, ctx, false, out, withPreview, depth + 1);
    else if (refined === NAMES_FROM_KEYS) walk(child, ctx, true, out, withPreview, depth + 1);
    else walk(child, refined, false, out, withPreview, depth + 1);
  }
}

const origins = new Map<string, Map<string, Map<string | undefined, PayloadOrigin>>>();
let originCount = 0;

/**
 * One shared origin object per (site, direction, name): payloads of the same origin repeat in
 * every event, and sharing the object lets the summarizer remember its key (never mutate it).
 */
function originOf(site: PayloadSite, direction: PayloadDirection, name: string | undefined): PayloadOrigin {
  let byDirection = origins.get(site);
  if (!byDirection) origins.set(site, (byDirection = new Map()));
  let byName = byDirection.get(direction);
  if (!byName) byDirection.set(direction, (byName = new Map()));
  let origin = byName.get(name);
  if (!origin) {
    origin = name === undefined ? { site, direction } : { site, direction, name };
    // names are interned and bounded; past this many, origins are simply not shared
    if (originCount < 100_000) {
      byName.set(name, origin);
      originCount++;
    }
  }
  return origin;
}

/** A proto Payload: a metadata map and/or base64 data, and no Payloads/map structure. */
function isPayload(object: Record<string, unknown>): boolean {
  const data = object.data;
  const metadata = object.metadata;
  const hasData = typeof data === 'string' || data instanceof OmittedString;
  const hasMetadata = metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata);
  if (!hasData && !hasMetadata) return false;
  if (data !== undefined && !hasData) return false;
  return object.payloads === undefined && object.fields === undefined;
}

const NAMES_FROM_KEYS = Symbol('names from keys');

function refine(ctx: PayloadContext, key: string): PayloadContext | typeof NAMES_FROM_KEYS | undefined {
  switch (key) {
    case 'memo':
    case 'upsertedMemo':
      return { site: 'memo', direction: 'value', name: undefined };
    case 'searchAttributes':
      return { site: 'search-attribute', direction: 'value', name: undefined };
    case 'header':
      return { site: 'header', direction: 'value', name: undefined };
    case 'fields':
    case 'indexedFields':
      return ctx.site === 'memo' || ctx.site === 'search-attribute' || ctx.site === 'header' ? NAMES_FROM_KEYS : undefined;
    case 'failure':
    case 'lastFailure':
    case 'continuedFailure':
    case 'cause':
      return ctx.direction === 'failure' ? undefined : { ...ctx, direction: 'failure' };
    case 'lastHeartbeatDetails':
    case 'heartbeatDetails':
      return { ...ctx, direction: 'heartbeat' };
    case 'input':
    case 'args':
      return ctx.direction === 'failure' ? undefined : { ...ctx, direction: 'input' };
    case 'result':
    case 'success':
      return ctx.direction === 'failure' || ctx.site === 'marker' ? undefined : { ...ctx, direction: 'result' };
    case 'lastCompletionResult':
      return { site: 'workflow', direction: 'result', name: 'last-completion-result' };
    case 'details':
      return ctx.direction === 'failure' ? undefined : { ...ctx, direction: 'details' };
    default:
      return undefined;
  }
}
