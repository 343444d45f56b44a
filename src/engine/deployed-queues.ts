// The task queue a process polls or starts on once deployed, when the code reads it from an
// environment variable: the value the compose service that runs the code gives the variable, or
// the code's default when that service does not set it. Undefined whenever the review cannot tell
// (no service is shown to run the file, a value is interpolated or comes from a file the
// repository does not hold, the variable's name cannot be read).

import path from 'node:path';
import type { ComposeService } from './compose-services.js';
import { servicesRunning } from './compose-services.js';
import type { SourceLocation, StaticValue } from '../model/types.js';

export interface DeployedQueue {
  value: string;
  /** The compose service the value holds in, when the value depends on one. */
  service?: ComposeService;
  /** Where the deployment sets the variable (a compose or env file line, a Dockerfile ENV); absent when the code's value applies. */
  setAt?: { file: string; line: number };
  /** The variable read, when the code reads one. */
  env?: string;
  /** Where the code writes its value (the default, or the literal). */
  code: SourceLocation;
}

/**
 * Every value the queue takes in the services that run `file` (absolute or relative to root): one
 * per service. A literal queue is that literal, wherever the code runs.
 */
export function deployedQueues(queue: StaticValue<unknown> | undefined, file: string, root: string, services: ComposeService[]): DeployedQueue[] | undefined {
  if (!queue || queue.kind !== 'string') return undefined;
  if (!queue.configurable) return [{ value: queue.value, code: queue.location }];
  if (queue.configurable.variable === null) return undefined;
  const name = queue.configurable.variable?.name ?? queue.configurable.env;
  const caseInsensitive = queue.configurable.variable?.caseInsensitive ?? false;
  const relative = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  const running = servicesRunning(services, relative);
  if (!running) return undefined;
  const values: DeployedQueue[] = [];
  for (const service of running) {
    const given = service.variable(name, caseInsensitive);
    if (given.kind === 'unknown') return undefined;
    // a name read case-insensitively (pydantic) as a deployment writes it
    const env = caseInsensitive ? name.toUpperCase() : name;
    if (given.kind === 'set') values.push({ value: given.value, service, setAt: { file: given.file, line: given.line }, env, code: queue.location });
    else values.push({ value: queue.value, service, env, code: queue.location });
  }
  return values;
}
