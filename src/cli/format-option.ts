// --format: each command lists the formats that apply to it; anything else is a usage error.
import { UsageError } from '../engine/errors.js';

export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], command: string): T {
  const format = (value ?? allowed[0]) as T;
  if (!allowed.includes(format)) {
    throw new UsageError(`--format ${value} does not apply to "${command}"; use one of: ${allowed.join(', ')}`);
  }
  return format;
}
