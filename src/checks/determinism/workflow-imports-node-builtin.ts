// Prevents a worker that cannot start: the workflow bundler rejects workflow code that reaches a
// Node built-in or a non-workflow Temporal package, directly or through a library (TEMPORAL-FACTS.md §1).

import { relative } from '../../engine/run-checks.js';
import type { SourceLocation } from '../../model/types.js';
import { disallowedImportChains, type DisallowedImportChain } from '../../model/typescript/sandbox/import-chains.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-imports-node-builtin',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code reaches a Node built-in or a non-workflow Temporal package, directly or through its imports',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    // One finding per import in the entry file: the modules reached through it are one fix.
    const groups = new Map<string, DisallowedImportChain[]>();
    for (const chain of disallowedImportChains(model)) {
      const first = chain.steps[0]!.location;
      const key = `${chain.entry}\0${first.file}:${first.line}:${first.column}`;
      groups.set(key, [...(groups.get(key) ?? []), chain]);
    }
    for (const chains of groups.values()) {
      const first = chains[0]!;
      const modules = chains.map((chain) => chain.module);
      const specifiers = chains.map((chain) => chain.specifier);
      const chainFiles = (chain: DisallowedImportChain) => [...chain.steps.map((step) => relative(ctx.root, step.from)), chain.specifier];
      // The first chain in full; the others by the file that imports the module (each import is a related location).
      const imports =
        chains.length === 1
          ? `'${first.specifier}' (${chainFiles(first).join(' → ')})`
          : `${list(specifiers.map((s) => `'${s}'`))} through one import: '${first.specifier}' (${chainFiles(first).join(' → ')}), ` +
            list(chains.slice(1).map((chain) => `'${chain.specifier}' (in ${relative(ctx.root, chain.steps[chain.steps.length - 1]!.from)})`));
      const temporal = chains.filter((chain) => chain.module.startsWith('@temporalio/'));
      const rejected = [
        ...(temporal.length < chains.length ? ['Node built-ins other than assert, url and util'] : []),
        ...(temporal.length > 0 ? [temporal.length === 1 && chains.length === 1 ? 'this Temporal package, which only works outside the workflow sandbox' : 'the Temporal packages that only work outside the workflow sandbox'] : []),
      ].join(' and ');
      const detectionOff = first.detectionOff;
      const message = detectionOff.length
        ? `Workflow code imports ${imports}. The SDK's workflow bundler rejects ${rejected}, but the worker's ` +
          `webpackConfigHook replaces webpack's externals (${detectionOff.map((at) => `${relative(ctx.root, at.file)}:${at.line}`).join(', ')}), which is where the SDK looks for them: ` +
          `the bundle's guard against Node built-ins is disabled, so Worker.create does not fail; the bundle gets ${modules.length === 1 ? 'an empty module in its place' : 'empty modules in their place'}, and a call into ${modules.length === 1 ? 'it' : 'them'} from workflow code throws at run time.`
        : `Workflow code imports ${imports}. The SDK's workflow bundler rejects ${rejected}, ` +
          `so Worker.create fails with "importing the following disallowed modules" and no workflow runs.`;
      const moveFix =
        temporal.length === chains.length
          ? `Import only types from ${list(specifiers.map((s) => `'${s}'`))} (import type), keep ${chains.length === 1 ? 'its' : 'their'} runtime use in activities, client or worker code, or list ${chains.length === 1 ? 'it' : 'them'} in bundlerOptions.ignoreModules if ${chains.length === 1 ? 'it is' : 'they are'} never called in workflow code.`
          : `Move the code that needs ${list(specifiers.map((s) => `'${s}'`))} into an activity, import only types from ${chains.length === 1 ? 'it' : 'them'} (import type), or, if ${chains.length === 1 ? 'it is' : 'they are'} never called at run time, add ${list(modules.map((m) => `'${m}'`))} to bundlerOptions.ignoreModules.`;
      const fix = detectionOff.length
        ? `${moveFix} To have the SDK check the bundle again, keep its externals in webpackConfigHook: config.externals = [config.externals, { ... }].`
        : moveFix;
      const related: (SourceLocation & { message: string })[] = [];
      const seen = new Set<string>();
      for (const chain of chains) {
        for (const step of chain.steps) {
          const key = `${step.location.file}:${step.location.line}:${step.location.column}:${step.specifier}`;
          if (seen.has(key)) continue;
          seen.add(key);
          related.push({ ...step.location, message: `imports '${step.specifier}'` });
        }
      }
      for (const at of detectionOff) related.push({ ...at, message: "webpackConfigHook replaces externals: the SDK's check for disallowed modules does not run" });
      ctx.report({
        location: first.steps[0]!.location,
        ...(detectionOff.length ? { severity: 'info' as const } : {}),
        message,
        fix,
        related,
        data: {
          module: first.module,
          chain: chainFiles(first),
          entry: relative(ctx.root, first.entry),
          ...(chains.length > 1 ? { modules, chains: chains.map(chainFiles) } : {}),
          ...(detectionOff.length ? { detectionOff: true } : {}),
        },
      });
    }
  },
});

/** 'a', 'a and b', 'a, b and c'. */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
