import { UsageError } from '../engine/errors.js';

export function parseFailOn(value: string | undefined): 'error' | 'warning' {
  if (value === undefined || value === 'error' || value === 'warning') return value ?? 'error';
  throw new UsageError(`--fail-on ${value}: use error or warning`);
}
