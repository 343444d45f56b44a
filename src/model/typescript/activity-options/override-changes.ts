// An `executeWithOptions` override is modelled as its own proxy whose options are the merge of
// the base proxy's options and the override. A defect inherited unchanged from the base is the
// base's defect, reported there once; these helpers tell whether an override touched a field.

import type { ActivityProxy, StaticValue, TemporalModel } from '../types.js';

/**
 * True when `proxy` is a plain proxy, or an override whose merged options differ from its base
 * at any of the option paths given (e.g. [['retry'], ['scheduleToCloseTimeout']]). An override
 * whose base cannot be found counts as changing everything.
 */
export function ownsOptions(model: TemporalModel, proxy: ActivityProxy, paths: string[][]): boolean {
  if (proxy.origin !== 'override') return true;
  const base = model.activityProxies.find((candidate) => candidate.id === proxy.baseProxyId);
  if (!base) return true;
  return paths.some((path) => !sameValue(valueAt(proxy.options, path), valueAt(base.options, path)));
}

function valueAt(value: StaticValue | undefined, path: string[]): StaticValue | undefined {
  let current = value;
  for (const key of path) {
    if (!current || current.kind !== 'object') return current;
    current = current.properties.get(key);
  }
  return current;
}

/** Structural equality that includes where each value was written. */
function sameValue(a: StaticValue | undefined, b: StaticValue | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.location.file !== b.location.file || a.location.line !== b.location.line || a.location.column !== b.location.column) return false;
  switch (a.kind) {
    case 'object': {
      const other = b as typeof a;
      if (a.properties.size !== other.properties.size || a.unknownSpreads.length !== other.unknownSpreads.length) return false;
      for (const [key, value] of a.properties) if (!sameValue(value, other.properties.get(key))) return false;
      return true;
    }
    case 'array': {
      const other = b as typeof a;
      return a.elements.length === other.elements.length && a.elements.every((element, i) => sameValue(element, other.elements[i]));
    }
    case 'string':
    case 'number':
    case 'boolean':
      return a.value === (b as typeof a).value;
    case 'unknown':
      return a.text === (b as typeof a).text;
    default:
      return true;
  }
}
