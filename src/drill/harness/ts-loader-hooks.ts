// ESM loader hooks for drill worker processes: the user's worker module is often TypeScript run
// with tsx in development, and Node 20 cannot load `.ts` files. These hooks resolve `./x.js`
// imports to `./x.ts` when only the TypeScript file exists (NodeNext style) and strip types with
// swc (a dependency of @temporalio/worker, so present wherever the SDK is, and much faster to load
// than the TypeScript compiler, which is the fallback). Files under node_modules are left to Node.

import fs from 'node:fs';
import { createRequire } from 'node:module';
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

type Transpile = (source: string, fileName: string) => string;
let transpile: Transpile | undefined;

export async function load(url: string, context: object, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS_FILE.test(url) || url.includes('/node_modules/')) return nextLoad(url, context);
  transpile ??= await loadTranspiler();
  const fileName = fileURLToPath(url);
  return { format: 'module', source: transpile(fs.readFileSync(fileName, 'utf8'), fileName), shortCircuit: true };
}

interface Swc {
  transformSync(source: string, options: object): { code: string };
}

async function loadTranspiler(): Promise<Transpile> {
  const require = createRequire(import.meta.url);
  try {
    const swc = require(createRequire(require.resolve('@temporalio/worker')).resolve('@swc/core')) as Swc;
    return (source, fileName) =>
      swc.transformSync(source, {
        filename: fileName,
        sourceMaps: 'inline',
        jsc: { parser: { syntax: 'typescript', tsx: fileName.endsWith('.tsx') }, target: 'es2022' },
        module: { type: 'es6' },
      }).code;
  } catch {
    const ts = ((await import('typescript')) as { default: typeof import('typescript') }).default;
    return (source, fileName) =>
      ts.transpileModule(source, {
        fileName,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX, inlineSourceMap: true, inlineSources: true },
      }).outputText;
  }
}
