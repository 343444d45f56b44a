// The checks get every language's model through one typed slot; the ones that read facts only the
// Python front-end collects (workflow code, registrations by class) ask for it here.

import type { CodeModel } from '../types.js';
import type { PythonModel } from './build-python-model.js';

export function pythonModelOf(model: CodeModel | undefined): PythonModel | undefined {
  return model?.language === 'python' ? (model as PythonModel) : undefined;
}
