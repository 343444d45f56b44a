// The models of a project outside a full review (`capacity <dir>`, `simulate outage --from`): its
// TypeScript model and, when some .py file imports temporalio, its Python model.

import { buildPythonModel, hasPythonTemporalCode, type PythonModel } from '../model/python/build-python-model.js';
import { buildTemporalModel, isNoTypeScriptTemporalCode } from '../model/typescript/build-model.js';
import type { TemporalModel } from '../model/typescript/types.js';
import type { PreflightConfig } from './config.js';

export async function projectModels(root: string, config: PreflightConfig, projects?: string[]): Promise<(TemporalModel | PythonModel)[]> {
  const scope = { root, include: config.include, exclude: config.exclude };
  // -p names TypeScript projects: then only they are reviewed, as in `check`.
  const python = !projects?.length && hasPythonTemporalCode(scope);
  const models: (TemporalModel | PythonModel)[] = [];
  try {
    models.push(buildTemporalModel({ ...scope, ...(projects?.length ? { projects } : {}), tests: config.tests }).model);
  } catch (error) {
    // as in a review: a Python project has no TypeScript to model
    if (!(python && isNoTypeScriptTemporalCode(error))) throw error;
  }
  if (python) models.push((await buildPythonModel(scope)).model);
  return models;
}
