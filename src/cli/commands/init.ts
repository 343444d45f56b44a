// `temporal-preflight init [dir]`: writes a starter preflight.config.json listing the workflow and
// activity types the review finds, with load, deadlines and volume entries to fill in.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE_NAMES, defaultConfig } from '../../engine/config.js';
import { UsageError } from '../../engine/errors.js';
import { projectFacts } from '../../generate/generate.js';
import { activityTypesOf } from '../../generate/project-facts.js';
import { renderStarterConfig, schemaRefFor } from '../../generate/starter-config.js';
import type { CliIo } from '../io.js';

interface InitFlags {
  project?: string[];
  force?: boolean;
}

export function registerInit(program: Command, io: CliIo): void {
  program
    .command('init')
    .description('write a starter preflight.config.json for the project in dir, from its code')
    .argument('[dir]', 'project directory', '.')
    .option('-p, --project <tsconfig...>', 'tsconfig.json file(s) to review (default: discover them under dir)')
    .option('--force', 'overwrite an existing preflight.config.json')
    .action((dir: string, flags: InitFlags) => {
      const existing = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
      if (existing && !(flags.force && existing.endsWith('.json'))) {
        throw new UsageError(`${existing}: a config already exists${existing.endsWith('.json') ? '; --force overwrites it' : ''}`);
      }
      // the defaults, not the file --force replaces: a broken config must not stop init
      const { facts } = projectFacts({ dir, config: defaultConfig(), ...(flags.project ? { projects: flags.project } : {}) });
      const target = path.join(dir, 'preflight.config.json');
      try {
        fs.writeFileSync(target, renderStarterConfig(facts, schemaRefFor(dir)));
      } catch (error) {
        throw new UsageError(`${target}: cannot write the config (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
      const queues = facts.taskQueues.length ? `task queue${facts.taskQueues.length === 1 ? '' : 's'} ${facts.taskQueues.join(', ')}` : 'no task queue';
      io.stderr(
        `wrote ${target}: ${count(facts.workflows.length, 'workflow type')}, ${count(activityTypesOf(facts).length, 'activity type')}, ${queues}; ` +
          'fill in the null entries under load, deadlines and volume (see docs/configuration.md)\n',
      );
      io.setExitCode(0);
    });
}
