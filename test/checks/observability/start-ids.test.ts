// workflow-start-without-search-attributes (issue 13): a workflow id derived from the entity's keys
// finds its run without attributes (info); a random or SDK-generated id is named in the warning;
// a start in development-only code (by path, function name, NODE_ENV or a development flag) is a
// note, while a name that merely contains "dev" (registerDevice) and a `!== 'development'` guard
// stay production.
import { beforeAll, describe, expect, it } from 'vitest';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

let findings: Finding[];
beforeAll(() => {
  findings = fixtureReview('observability-start-ids').run(startAttributes);
});

function at(file: string, line: number): Finding {
  return findings.find((f) => f.file === file && f.line === line)!;
}

describe('workflow-start-without-search-attributes: workflow ids and development code', () => {
  it('notes derived ids and development-only starts, and warns on random and generated ids in production code', () => {
    expect(where(findings)).toEqual([
      'workflow-start-without-search-attributes info src/scripts/setup-dev-env.ts:7',
      'workflow-start-without-search-attributes info src/starts.ts:8',
      'workflow-start-without-search-attributes info src/starts.ts:10',
      'workflow-start-without-search-attributes info src/starts.ts:11',
      'workflow-start-without-search-attributes warning src/starts.ts:16',
      'workflow-start-without-search-attributes warning src/starts.ts:17',
      'workflow-start-without-search-attributes warning src/starts.ts:22',
      'workflow-start-without-search-attributes warning src/starts.ts:24',
      'workflow-start-without-search-attributes info src/starts.ts:31',
      'workflow-start-without-search-attributes info src/starts.ts:34',
      'workflow-start-without-search-attributes info src/starts.ts:40',
      'workflow-start-without-search-attributes info src/workflows.ts:29',
    ]);
  });

  it('says the id is derived from the keys, through a helper, a const and a join', () => {
    expect(at('src/starts.ts', 8).message).toContain('its workflow id is derived from its keys (`bootstrap-${workspaceName}`): the run of one entity is found by its id');
    expect(at('src/starts.ts', 10).message).toContain('its workflow id is derived from its keys (syncWorkflowId(params))');
    expect(at('src/starts.ts', 11).message).toContain("its workflow id is derived from its keys (`jobs/${kind}/${ids.join('/')}`)");
  });

  it('names a random id in the warning, and says a child is found through its parent', () => {
    expect(at('src/starts.ts', 16).message).toContain(
      'client.workflow.start(processPayout) sets no search attributes, although its input or workflow id carries payoutId, and its workflow id is random (randomUUID()), so the id does not find it either.',
    );
    expect(at('src/starts.ts', 17).message).toContain('its workflow id is random (`payout-${Date.now()}`)');
    expect(at('src/workflows.ts', 29).message).toContain("It starts a child workflow: the parent's history records the child's id, so the child is found through its parent.");
  });

  it('says why a start is development-only', () => {
    expect(at('src/scripts/setup-dev-env.ts', 7).message).toBe(
      "client.workflow.execute(processPayout) sets no search attributes, but it is development-only code: its file path (src/scripts/setup-dev-env.ts) says 'dev'. No production execution is started here.",
    );
    expect(at('src/starts.ts', 31).message).toContain("it runs only when process.env.NODE_ENV === 'development'");
    expect(at('src/starts.ts', 34).message).toContain('it runs only when createDevelopmentProjects is set');
    expect(at('src/starts.ts', 40).message).toContain("it is in seedPayouts, whose name says 'seed'");
  });
});
