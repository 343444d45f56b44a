// Builds the workflow bundle once, at image build time: `npm run build:workflows` writes
// dist/workflow-bundle.js, and the worker loads it when WORKFLOW_BUNDLE_PATH points at it.

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const { code } = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../src/workflows.ts', import.meta.url)) });
const out = new URL('../dist/workflow-bundle.js', import.meta.url);
await mkdir(new URL('.', out), { recursive: true });
await writeFile(out, code);
console.log(`wrote ${fileURLToPath(out)}`);
