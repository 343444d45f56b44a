// Reporters: a plain record from format name to a function returning a string.
import type { ReviewResult } from '../engine/types.js';
import { escapeControlCharactersIn } from './control-characters.js';
import { renderHtml } from './html/render-html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderPretty } from './pretty.js';
import { renderSarif } from './sarif.js';

export interface ReportOptions {
  color: boolean;
  /** Pretty: columns to wrap to (default 100). */
  width?: number;
  /** Pretty: every finding in full, info included. */
  verbose?: boolean;
  /** Pretty: one line per finding. */
  compact?: boolean;
  /** Markdown: prefix for file links (e.g. https://github.com/o/r/blob/<sha>/); default relative. */
  linkBase?: string;
}

export const reviewReporters = {
  pretty: (result: ReviewResult, options: ReportOptions) => renderPretty(escapeControlCharactersIn(result), options),
  json: (result: ReviewResult) => renderJson(result),
  sarif: (result: ReviewResult) => renderSarif(result),
  markdown: (result: ReviewResult, options: ReportOptions) => renderMarkdown(escapeControlCharactersIn(result), options.linkBase ? { linkBase: options.linkBase } : {}),
  html: (result: ReviewResult) => renderHtml(result),
} satisfies Record<string, (result: ReviewResult, options: ReportOptions) => string>;

export type ReviewFormat = keyof typeof reviewReporters;
export const REVIEW_FORMATS = Object.keys(reviewReporters) as ReviewFormat[];
