import { test } from 'vitest';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
test('scratch', () => {
  const t = Date.now();
  const { model, diagnostics } = buildTemporalModel({ root: process.env.ROOT ?? "examples/production-app" });
  const strip = (k: string, v: unknown) => (k === 'node' || k === 'variable' || k==='program' || k==='checker' ? undefined : v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : (k==='parameterTypes'||k==='argTypes') ? (v as unknown[]).length : (k==='returnType'||k==='resultType') ? 'type' : (k==='location' || k === 'definitionLocation') && v ? `${(v as any).file.split('/').pop()}:${(v as any).line}:${(v as any).column}` : v);
  console.log(JSON.stringify({ ...model, importsOf: undefined, projects: model.projects.length }, strip, 1));
  console.log(diagnostics, Date.now() - t);
});
