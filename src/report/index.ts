// Reporters: a plain record from format name to a function returning a string.
import type { ReviewResult } from '../engine/types.js';
import { renderJson } from './json.js';
import { renderPretty } from './pretty.js';

export interface ReportOptions {
  color: boolean;
}

export const reviewReporters = {
  pretty: (result: ReviewResult, options: ReportOptions) => renderPretty(result, options),
  json: (result: ReviewResult) => renderJson(result),
} satisfies Record<string, (result: ReviewResult, options: ReportOptions) => string>;

export type ReviewFormat = keyof typeof reviewReporters;
export const REVIEW_FORMATS = Object.keys(reviewReporters) as ReviewFormat[];
