// The search attributes a workflow start sets: `typedSearchAttributes: [{ key, value }]` (keys from
// defineSearchAttributeKey) or the deprecated `searchAttributes: { Name: [...] }`.

import type { SearchAttributeKey, StaticValue, TemporalModel, WorkflowStart } from '../types.js';
import type { StartSearchAttributes } from '../../types.js';

export type { StartSearchAttributes };

const DEFINE_KEY = /defineSearchAttributeKey\(\s*['"`]([^'"`]+)['"`]\s*,\s*SearchAttributeType\.(\w+)/;

export function startSearchAttributes(start: WorkflowStart, model: TemporalModel): StartSearchAttributes {
  const options = start.options;
  if (!options || options.kind === 'undefined') return { state: 'none', attributes: [] };
  if (options.kind !== 'object') return { state: 'unknown', attributes: [] };
  const typed = options.properties.get('typedSearchAttributes');
  const untyped = options.properties.get('searchAttributes');
  if (typed && typed.kind !== 'undefined') return fromTyped(typed, model.searchAttributeKeys);
  if (untyped && untyped.kind !== 'undefined') return fromUntyped(untyped);
  return { state: options.unknownSpreads.length ? 'unknown' : 'none', attributes: [] };
}

function fromTyped(value: StaticValue, keys: SearchAttributeKey[]): StartSearchAttributes {
  const result: StartSearchAttributes = { state: 'set', option: 'typedSearchAttributes', attributes: [] };
  if (value.kind === 'array') {
    if (value.elements.length === 0) return { ...result, state: 'none' };
    for (const element of value.elements) {
      const key = element.kind === 'object' ? element.properties.get('key') : undefined;
      const attribute = key ? keyOf(key, keys) : undefined;
      if (attribute) result.attributes.push(attribute);
    }
    return result;
  }
  // `new TypedSearchAttributes([...])` or a variable: look for known key names in its text.
  const text = value.kind === 'unknown' ? value.text : '';
  for (const key of keys) {
    const variable = key.variable && 'name' in key.variable ? String((key.variable as { name: { getText(): string } }).name.getText()) : undefined;
    if (key.name && variable && new RegExp(`\\b${variable}\\b`).test(text)) result.attributes.push({ name: key.name, type: key.type });
  }
  return result;
}

function keyOf(value: StaticValue, keys: SearchAttributeKey[]): { name: string; type: string | null } | undefined {
  if (value.kind !== 'unknown') return undefined;
  const match = DEFINE_KEY.exec(value.text);
  if (match) return { name: match[1]!, type: match[2]! };
  const known = keys.find((k) => k.variable && 'name' in k.variable && (k.variable as { name: { getText(): string } }).name.getText() === value.text);
  return known?.name ? { name: known.name, type: known.type } : undefined;
}

function fromUntyped(value: StaticValue): StartSearchAttributes {
  if (value.kind !== 'object') return { state: 'unknown', option: 'searchAttributes', attributes: [] };
  const names = [...value.properties.keys()];
  if (names.length === 0) return { state: value.unknownSpreads.length ? 'unknown' : 'none', option: 'searchAttributes', attributes: [] };
  return { state: 'set', option: 'searchAttributes', attributes: names.map((name) => ({ name, type: null })) };
}
