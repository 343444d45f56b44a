// --verbose and --compact: how much of the review the pretty report shows, and the width it wraps
// to (the terminal's when stdout is one and the report goes there, else the reporter's default).
import { UsageError } from '../engine/errors.js';
import type { CliIo } from './io.js';

export interface PrettyFlags {
  verbose?: boolean;
  compact?: boolean;
  output?: string;
}

export interface PrettyLayout {
  verbose: boolean;
  compact: boolean;
  width?: number;
}

export function prettyLayout(format: string, flags: PrettyFlags, io: Pick<CliIo, 'columns'>): PrettyLayout {
  if (format !== 'pretty' && (flags.verbose || flags.compact)) {
    throw new UsageError(`${flags.compact ? '--compact' : '--verbose'} applies to --format pretty (the ${format} report always has every finding)`);
  }
  const width = !flags.output && io.columns ? io.columns : undefined;
  return { verbose: Boolean(flags.verbose), compact: Boolean(flags.compact), ...(width ? { width } : {}) };
}
