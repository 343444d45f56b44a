// Prevents a worker or client that cannot start: the code imports the Temporal SDK (Python
// `temporalio`, TypeScript `@temporalio/*`) but the dependency manifest that governs the file does
// not declare it, so a clean install (a CI run, a Docker build, a new machine) does not install it
// and the process fails at import. It works only where someone installed the package by hand.
// Reported once per manifest, and only when the manifests clearly lack it (see dependency-manifests.ts).

import path from 'node:path';
import { pythonMissingSdk, pythonSdkImports, typescriptMissingSdk, typescriptSdkImports, type SdkImport } from '../../engine/dependency-manifests.js';
import { listNames } from '../../engine/name-list.js';
import { relativePath } from '../../model/typescript/locate.js';
import { defineCheck } from '../define-check.js';

const ASIDE = /(^|\/)(examples?|samples?|docs?|scripts?|tools?|benchmarks?|notebooks?|playground|sandbox)\//i;

export default defineCheck({
  id: 'temporal-sdk-not-declared',
  area: 'capacity',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'The code imports the Temporal SDK but the dependency manifest that governs it (pyproject.toml, requirements.txt, package.json) does not declare it',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    const importers: { file: string; imports: SdkImport[] }[] = [];
    for (const file of model.files) {
      const relative = relativePath(ctx.root, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      // examples, scripts and benchmarks are run by hand, often with tools installed on their own
      if (ASIDE.test(relative)) continue;
      const text = ctx.readProjectFile(file);
      if (text === undefined) continue;
      const imports = python ? pythonSdkImports(text) : typescriptSdkImports(text);
      if (imports.length > 0) importers.push({ file: relative, imports });
    }
    const missing = python ? pythonMissingSdk(ctx, importers) : typescriptMissingSdk(ctx, importers);
    for (const entry of missing) {
      const first = entry.importers[0]!;
      const packages = listNames(entry.packages);
      const more = entry.importers.length > 1 ? ` and ${entry.importers.length - 1} more ${entry.importers.length === 2 ? 'file' : 'files'}` : '';
      const kind = python ? 'its dependencies' : 'dependencies, devDependencies or peerDependencies (nor does a package.json above it or in the workspace)';
      ctx.report({
        location: { file: path.resolve(ctx.root, entry.manifest), line: entry.line, column: 1 },
        message:
          `${first.file}:${first.line}${more} ${entry.importers.length === 1 ? 'imports' : 'import'} ${packages}, but ${entry.manifest} does not list ${entry.packages.length === 1 ? 'it' : 'them'} in ${kind}` +
          (python ? ' (nor does a lock file or a manifest above it)' : '') +
          `: a clean install (CI, a Docker build, a new machine) does not install ${entry.packages.length === 1 ? 'it' : 'them'}, so the worker or client fails at import and only runs where someone installed the SDK by hand.`,
        fix: python
          ? `Add temporalio to ${entry.manifest} (e.g. \`uv add temporalio\`, \`poetry add temporalio\`, or a \`temporalio>=1.x\` line), with the version the code is written for.`
          : `Add ${packages} to the dependencies of ${entry.manifest} (\`npm install ${entry.packages.join(' ')}\`), all at the same SDK version.`,
        related: entry.importers.slice(0, 20).map((importer) => ({ file: path.resolve(ctx.root, importer.file), line: importer.line, column: 1, message: `imports ${python ? 'temporalio' : 'the SDK'}` })),
        data: { manifest: entry.manifest, packages: entry.packages, importers: entry.importers.map((i) => i.file) },
      });
    }
  },
});
