// Generates a synthetic Temporal code base: N workflow modules, each with a proxy and an
// activity module, one workflows index, and workers. Usage: node generate.mjs <dir> [N=2000]
import fs from 'node:fs';
import path from 'node:path';

export function generateProject(dir, count) {
  fs.rmSync(dir, { recursive: true, force: true });
  const src = path.join(dir, 'src');
  fs.mkdirSync(path.join(src, 'workflows'), { recursive: true });
  fs.mkdirSync(path.join(src, 'activities'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true }, include: ['src'] }, null, 2),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'synthetic-temporal-app', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(src, 'options.ts'),
    `export const DEFAULT_RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 } as const;\n` +
      `export function activityOptions(startToClose: \`\${number}s\`) {\n  return { startToCloseTimeout: startToClose, scheduleToCloseTimeout: '10m', retry: DEFAULT_RETRY } as const;\n}\n`,
  );
  const index = [];
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(
      path.join(src, 'activities', `act${i}.ts`),
      `import { heartbeat } from '@temporalio/activity';\n\n` +
        `export class Declined${i} extends Error {}\n\n` +
        `export async function fetch${i}(id: string): Promise<string> {\n  if (!id) throw new Declined${i}('empty');\n  return id + '-${i}';\n}\n\n` +
        `export async function process${i}(ids: string[]): Promise<number> {\n  let total = 0;\n  for (const id of ids) {\n    heartbeat(id);\n    total += await Promise.resolve(id.length);\n  }\n  return total;\n}\n`,
    );
    fs.writeFileSync(
      path.join(src, 'workflows', `wf${i}.ts`),
      `import { proxyActivities, sleep, ApplicationFailure } from '@temporalio/workflow';\n` +
        `import type * as activities from '../activities/act${i}.js';\n` +
        `import { activityOptions } from '../options.js';\n\n` +
        `const { fetch${i}, process${i} } = proxyActivities<typeof activities>(activityOptions('${(i % 50) + 10}s'));\n\n` +
        `export async function workflow${i}(id: string): Promise<number> {\n  if (!id) throw ApplicationFailure.nonRetryable('missing id', 'InvalidInput');\n  const value = await fetch${i}(id);\n  await sleep('1s');\n  return process${i}([value, String(Date.now())]);\n}\n`,
    );
    index.push(`export * from './wf${i}.js';`);
  }
  fs.writeFileSync(path.join(src, 'workflows', 'index.ts'), index.join('\n') + '\n');
  const activityImports = [];
  for (let i = 0; i < count; i++) activityImports.push(`import * as act${i} from './activities/act${i}.js';`);
  fs.writeFileSync(
    path.join(src, 'worker.ts'),
    `import { createRequire } from 'node:module';\nimport { Worker } from '@temporalio/worker';\n${activityImports.join('\n')}\n\n` +
      `const require = createRequire(import.meta.url);\n\n` +
      `export async function run(): Promise<void> {\n  const worker = await Worker.create({\n    taskQueue: 'synthetic',\n    workflowsPath: require.resolve('./workflows/index.js'),\n` +
      `    activities: { ${Array.from({ length: count }, (_, i) => `...act${i}`).join(', ')} },\n    maxConcurrentActivityTaskExecutions: 50,\n  });\n  await worker.run();\n}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? 'bench/.generated/check-vs-tsc');
  const count = Number(process.argv[3] ?? 2000);
  generateProject(dir, count);
  console.log(`generated ${count} workflow modules in ${dir}`);
}
