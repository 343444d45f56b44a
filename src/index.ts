// The library API: review(options) => ReviewResult, plus the types. Nothing here prints.
export { review, type ReviewOptions } from './review.js';
export { checks } from './checks/index.js';
export { defineCheck, type CheckDefinition, type CheckContext, type FindingDraft } from './checks/define-check.js';
export { configSchema, loadConfig, defaultConfig, type PreflightConfig } from './engine/config.js';
export { UsageError } from './engine/errors.js';
export * from './engine/types.js';
export type * from './model/typescript/types.js';
