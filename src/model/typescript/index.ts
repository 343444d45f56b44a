// The static model's public surface: build it once, then query it with these helpers. Checks use
// these instead of the compiler API directly.

export { buildTemporalModel, type BuildModelOptions } from './build-model.js';
export { clearSharedDeclarations } from './program.js';
export { locate, locateOffset, nodeSnippet, nodeText, relativeId, relativePath } from './locate.js';
export type * from './types.js';
