// How a message names a value that comes from the environment, in the language that reads it.

import type { Configurable } from './types.js';

/** `process.env.X`, or the Python read of the variable (`os.environ.get("X")`). */
export function environmentReference(configurable: Configurable): string {
  return configurable.reference ?? `process.env.${configurable.env}`;
}
