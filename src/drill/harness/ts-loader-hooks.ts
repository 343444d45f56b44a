// ESM loader hooks for drill worker processes: the user's worker module is often TypeScript run
// with tsx in development, and Node 20 cannot load `.ts` files. These hooks resolve `./x.js`
// imports to `./x.ts` when only the TypeScript file exists (NodeNext style) and strip types with
// the TypeScript compiler's transpileModule. Files under node_modules are left to Node.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: object) => Promise<LoadResult>;

const TS_FILE = /\.(m?ts|tsx)$/;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const alternative = typeScriptSibling(specifier, context.parentURL);
    if (alternative) return { url: alternative, shortCircuit: true };
    throw error;
  }
}

/** `./a.js` -> `./a.ts`, `./a` -> `./a.ts` or `./a/index.ts`, when that file exists. */
function typeScriptSibling(specifier: string, parentURL: string | undefined): string | undefined {
  const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
  if (!relative || !parentURL) return undefined;
  const base = new URL(specifier, parentURL);
  const candidates = /\.m?js$/.test(base.pathname)
    ? [base.href.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts'), base.href.replace(/\.js$/, '.tsx')]
    : [`${base.href}.ts`, `${base.href}/index.ts`];
  return candidates.find((candidate) => isFile(candidate));
}

function isFile(url: string): boolean {
  try {
    return fs.statSync(fileURLToPath(url)).isFile();
  } catch {
    return false;
  }
}

let compiler: typeof import('typescript') | undefined;

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS_FILE.test(url) || url.includes('/node_modules/')) return nextLoad(url, context);
  compiler ??= ((await import('typescript')) as { default: typeof import('typescript') }).default;
  const ts = compiler;
  const fileName = fileURLToPath(url);
  const output = ts.transpileModule(fs.readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      inlineSourceMap: true,
      inlineSources: true,
      esModuleInterop: true,
    },
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
