import type { Command } from 'commander';
import type { CliIo } from '../io.js';
export function registerLoadDrill(_drill: Command, _io: CliIo): void {}
