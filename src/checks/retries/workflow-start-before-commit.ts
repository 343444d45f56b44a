// A client start that runs inside an open database transaction, after the write of the row the
// workflow is about and before that write is committed: the workflow (and its first activity) can
// run before the row is visible, and when the commit fails or rolls back, the workflow runs on for a
// row that does not exist. Each front-end reads it from its own syntax (python-start-before-commit.ts,
// typescript/start-before-commit.ts) into the same facts, worded here for both.

import { defineCheck, type CheckContext } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { startsBeforeCommit } from '../../model/typescript/start-before-commit.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { SourceLocation, StartBeforeCommitFacts } from '../../model/types.js';

export default defineCheck({
  id: 'workflow-start-before-commit',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow start that runs after a database write and before its commit, with the written row in the workflow\'s input: the workflow can read the row before it is committed, and runs on for a row that does not exist when the commit fails',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const found = python ? (python.startsBeforeCommit ?? []) : model.language === undefined || model.language === 'typescript' ? startsBeforeCommit(model as TemporalModel) : [];
    for (const one of found) report(ctx, one);
  },
});

function report(ctx: CheckContext, found: StartBeforeCommitFacts): void {
  const at = (location: SourceLocation) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const base = (location: SourceLocation) => `${location.file.split(/[\\/]/).pop()}:${location.line}`;
  const workflow = found.workflow.replace(/\.run$/, '');
  const startText = found.startText ?? 'client.start_workflow';
  const through = found.through.length > 0 ? ` (${startText} in ${found.through[0]!.function}, ${base(found.start)}${found.through.length > 1 ? `, through ${found.through.slice(1).map((step) => step.function).join(', ')}` : ''})` : '';
  const commitPart = found.commit.block
    ? `inside \`${found.commit.text}\` (line ${found.commit.location.line}), which commits only when ${found.commit.ends ?? 'the block ends'}`
    : `before \`${found.commit.text}\` (line ${found.commit.location.line})`;
  const writeLine = found.write.location.line;
  ctx.report({
    location: found.location,
    message:
      `${found.function} starts ${workflow}${through} with ${found.argument} after \`${found.write.text}\` (line ${writeLine}) and ${commitPart}: the write is not committed yet when the workflow starts. ` +
      'The workflow can run, and its first activity look the row up, before the commit: it finds nothing (or the old values) and fails or decides on stale data. ' +
      'And when the commit fails or the transaction rolls back, nothing stops the workflow: it runs on, for its whole length, for a row that does not exist.',
    fix:
      'Commit first, then start the workflow (save the workflow id in a second commit, or derive it from the row id); or write an outbox row in the same transaction and start the workflow from it, which also covers a process that dies between the commit and the start.',
    related: [
      { ...found.write.location, message: 'the write that is not committed yet' },
      { ...found.commit.location, message: found.commit.block ? (found.commit.ends ? `the transaction, committed when ${found.commit.ends}` : 'the transaction block, committed when it ends') : 'the commit, after the start' },
      ...(found.through.length > 0 ? [{ ...found.start, message: 'the start' }] : []),
    ],
    data: { workflow, row: found.row, argument: found.argument, write: found.write.text, commit: found.commit.text, ...(found.through.length ? { through: found.through.map((step) => step.function).join(' < ') } : {}), at: at(found.location) },
  });
}
