// `temporal-preflight generate alerts|dashboard|runbooks [dir] -o <path>`: writes Prometheus alert
// rules, a Grafana dashboard, or one runbook per workflow type for the project in dir.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../engine/errors.js';
import { pathInside } from '../../engine/file-name-part.js';
import { ARTIFACT_KINDS, generateArtifact, type ArtifactKind } from '../../generate/generate.js';
import type { CliIo } from '../io.js';
import { writeFileAtomic } from '../write-file-atomic.js';

interface GenerateFlags {
  output?: string;
  project?: string[];
  config?: string;
  runbookUrl?: string;
  force?: boolean;
}

export function registerGenerate(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('write Prometheus alert rules, a Grafana dashboard or runbooks for the project in dir')
    .argument('<artifact>', `what to write: ${ARTIFACT_KINDS.join(', ')}`)
    .argument('[dir]', 'project directory', '.')
    .option('-o, --output <path>', 'alerts/dashboard: the file (default stdout); runbooks: the folder (default: runbooks.dir of the config, in dir)')
    .option('-p, --project <tsconfig...>', 'tsconfig.json file(s) to review (default: discover them under dir)')
    .option('--config <file>', 'config file (default: preflight.config.{json,yaml,yml} in dir)')
    .option('--runbook-url <base>', 'prefix of runbook links in alert annotations (default: runbooks.dir of the config)')
    .option('--force', 'runbooks: overwrite runbooks that already exist')
    .action(async (artifact: string, dir: string, flags: GenerateFlags) => {
      if (!(ARTIFACT_KINDS as readonly string[]).includes(artifact)) {
        throw new UsageError(`generate: unknown artifact "${artifact}" (expected ${ARTIFACT_KINDS.join(', ')})`);
      }
      const kind = artifact as ArtifactKind;
      const result = await generateArtifact({
        kind,
        dir,
        ...(flags.project ? { projects: flags.project } : {}),
        ...(flags.config ? { configFile: flags.config } : {}),
        ...(flags.runbookUrl ? { runbookBase: flags.runbookUrl } : {}),
      });
      if (kind !== 'runbooks') {
        io.writeOutput(result.files[0]!.content, flags.output);
        if (flags.output) io.stderr(`wrote ${flags.output}\n`);
      } else {
        const folder = flags.output ?? path.join(dir, result.runbookDir);
        writeRunbooks(io, folder, result.files, flags.force === true);
      }
      // what was written may lack workflow types: say so, and do not exit as if all was well
      if (result.incomplete) io.stderr(`temporal-preflight: incomplete: ${result.incomplete}\n`);
      io.setExitCode(result.incomplete ? 1 : 0);
    });
}

function writeRunbooks(io: CliIo, folder: string, files: { name: string; content: string }[], force: boolean): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UsageError(`${folder}: cannot create the runbook folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  for (const file of files) {
    const target = pathInside(folder, file.name);
    if (fs.existsSync(target) && !force) {
      io.stdout(`kept ${target} (exists; --force overwrites)\n`);
      continue;
    }
    try {
      writeFileAtomic(target, file.content);
    } catch (error) {
      throw new UsageError(`${target}: cannot write the runbook (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    io.stdout(`wrote ${target}\n`);
  }
}
