// PLACEHOLDER until the model branch lands; replaced by the real model builder.
import type { Diagnostic } from '../../engine/types.js';
import { UsageError } from '../../engine/errors.js';
import type { TemporalModel } from './types.js';

export interface BuildModelOptions {
  root: string;
  projects?: string[];
  include?: string[];
  exclude?: string[];
}

export function buildTemporalModel(options: BuildModelOptions): { model: TemporalModel; diagnostics: Diagnostic[] } {
  throw new UsageError(`${options.root}: the TypeScript model is not built yet`);
}
