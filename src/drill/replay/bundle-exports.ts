// The workflow types a prebuilt workflow bundle exports. The SDK only looks a type up when it
// activates a workflow, so a history with no completed workflow task (a just-started execution)
// replays "ok" against a bundle that lacks its type; asking the bundle directly closes that gap.
// Loading the bundle runs the workflows modules' top level, in a bare V8 context as the SDK's
// sandbox does; replay runs that code anyway (static commands never load this file).

import fs from 'node:fs';
import vm from 'node:vm';

/** Exported function names, or undefined when the bundle cannot be evaluated outside the SDK. */
export function bundleExports(codePath: string): Set<string> | undefined {
  try {
    // the SDK's sandbox provides webpack's module cache; an empty one loads every module afresh
    const context = vm.createContext({ __webpack_module_cache__: {} });
    vm.runInContext(fs.readFileSync(codePath, 'utf8'), context, { filename: codePath, timeout: 10_000 });
    const module = vm.runInContext('__TEMPORAL__.importWorkflows()', context, { timeout: 10_000 }) as Record<string, unknown>;
    return new Set(Object.keys(module).filter((name) => typeof module[name] === 'function'));
  } catch {
    return undefined; // the SDK's own replay still reports a missing type once a task runs
  }
}
