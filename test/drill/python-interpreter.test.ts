// Which interpreter Python replay uses: --python as given (a path or a command on PATH), else the
// project's .venv, then venv, then python3 on PATH; and which module each workflow file is.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonWorkflowEntries, resolvePythonInterpreter } from '../../src/drill/replay/python/python-replay.js';
import type { PythonModel } from '../../src/model/python/build-python-model.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const temp = scratchFolderForSuite('py-interpreter-test');

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

describe('resolvePythonInterpreter', () => {
  const bin = path.join(temp, 'bin');
  const python3 = executable(path.join(bin, 'python3'));
  const env = { PATH: bin };

  it('takes --python as a path, or looks a bare name up on PATH', () => {
    expect(resolvePythonInterpreter(temp, python3, env)).toBe(python3);
    expect(resolvePythonInterpreter(temp, 'python3', env)).toBe(python3);
    expect(() => resolvePythonInterpreter(temp, path.join(temp, 'nope/python'), env)).toThrow(`--python ${path.join(temp, 'nope/python')}: no such interpreter`);
    expect(() => resolvePythonInterpreter(temp, 'python9', env)).toThrow('--python python9: no such interpreter');
  });

  it("defaults to the project's .venv, then venv, then python3 on PATH", () => {
    const project = path.join(temp, 'project');
    fs.mkdirSync(project);
    expect(resolvePythonInterpreter(project, undefined, env)).toBe(python3);
    const venv = executable(path.join(project, 'venv/bin/python'));
    expect(resolvePythonInterpreter(project, undefined, env)).toBe(venv);
    const dotVenv = executable(path.join(project, '.venv/bin/python'));
    expect(resolvePythonInterpreter(project, undefined, env)).toBe(dotVenv);
  });

  it('says what to do when there is none', () => {
    const empty = path.join(temp, 'empty');
    fs.mkdirSync(empty);
    expect(() => resolvePythonInterpreter(empty, undefined, { PATH: path.join(temp, 'none') })).toThrow(
      `no Python interpreter: ${empty} has no .venv or venv and python3 is not on PATH; give --python <interpreter>`,
    );
  });
});

describe('pythonWorkflowEntries', () => {
  it('names each workflow file as a module under the deepest import root (src/ layout)', () => {
    const root = path.join(temp, 'layout');
    fs.mkdirSync(path.join(root, 'src/app/flows'), { recursive: true });
    const workflow = (file: string, className: string, name = className) => ({ file: path.join(root, file), className, name });
    const model = { root, workflows: [workflow('src/app/flows/orders.py', 'OrderWorkflow', 'orders'), workflow('src/app/__init__.py', 'RootWorkflow'), workflow('scripts/run.py', 'ScriptWorkflow')] } as unknown as PythonModel;
    const { roots, workflows } = pythonWorkflowEntries(model);
    expect(roots).toEqual([path.join(root, 'src'), root]);
    expect(workflows).toEqual([
      { module: 'app.flows.orders', className: 'OrderWorkflow', name: 'orders' },
      { module: 'app', className: 'RootWorkflow', name: 'RootWorkflow' },
      { module: 'scripts.run', className: 'ScriptWorkflow', name: 'ScriptWorkflow' },
    ]);
  });
});
