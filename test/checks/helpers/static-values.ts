// Builds StaticValues the way the model resolves literal options, for unit tests of pure helpers.

import type { Configurable, StaticObject, StaticValue } from '../../../src/model/typescript/types.js';

const at = { file: '/project/src/workflows.ts', line: 1, column: 1 };

export function literal(value: unknown, configurable?: Configurable): StaticValue {
  const extra = configurable ? { configurable } : {};
  if (typeof value === 'string') return { kind: 'string', value, location: at, ...extra };
  if (typeof value === 'number') return { kind: 'number', value, location: at, ...extra };
  if (typeof value === 'boolean') return { kind: 'boolean', value, location: at, ...extra };
  if (value === null) return { kind: 'null', location: at };
  if (value === undefined) return { kind: 'undefined', location: at };
  if (Array.isArray(value)) return { kind: 'array', elements: value.map((v) => literal(v)), location: at };
  return literalObject(value as Record<string, unknown>);
}

export function literalObject(properties: Record<string, unknown>, unknownSpreads: string[] = []): StaticObject {
  return {
    kind: 'object',
    properties: new Map(Object.entries(properties).map(([key, value]) => [key, isStaticValue(value) ? value : literal(value)])),
    unknownSpreads: unknownSpreads.map((text) => ({ text, location: at })),
    location: at,
  };
}

export function unknownValue(text: string): StaticValue {
  return { kind: 'unknown', text, location: at };
}

function isStaticValue(value: unknown): value is StaticValue {
  return typeof value === 'object' && value !== null && 'kind' in value && 'location' in value;
}
