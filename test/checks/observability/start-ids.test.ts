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
      'workflow-start-without-search-attributes info src/starts.ts:17',
      'workflow-start-without-search-attributes info src/starts.ts:22',
      'workflow-start-without-search-attributes info src/starts.ts:24',
      'workflow-start-without-search-attributes info src/starts.ts:31',
      'workflow-start-without-search-attributes info src/starts.ts:34',
      'workflow-start-without-search-attributes info src/starts.ts:40',
      'workflow-start-without-search-attributes info src/starts.ts:46',
      'workflow-start-without-search-attributes info src/workflows.ts:29',
    ]);
  });

  it('says the id is derived from the keys, through a helper, a const and a join', () => {
    expect(at('src/starts.ts', 8).message).toContain('its workflow id is derived from its keys (`bootstrap-${workspaceName}`): the run of one entity is found by its id');
    expect(at('src/starts.ts', 10).message).toContain('its workflow id is derived from its keys (syncWorkflowId(params))');
    expect(at('src/starts.ts', 11).message).toContain("its workflow id is derived from its keys (`jobs/${kind}/${ids.join('/')}`)");
  });

  it('reports a project that sets no search attributes anywhere once, at its first business start', () => {
    const first = at('src/starts.ts', 16);
    expect(first.message).toMatch(/^No workflow start in the reviewed code sets search attributes, and no workflow upserts them: 4 starts of business workflows \(this one and 3 more\)/);
    expect(first.data?.['startsWithout']).toBe(4);
    expect(first.related?.map((r) => r.line)).toEqual([17, 22, 24]);
    expect(at('src/starts.ts', 22).message).toContain('(No start in the reviewed code sets search attributes: reported once, at src/starts.ts:16.)');
  });

  it('reads a key before the part that changes per run as a prefix that finds the entity', () => {
    expect(at('src/starts.ts', 46).message).toContain(
      "its workflow id is made of its keys and a part that changes per run (`payouts-${tenantId || 'global'}-${Date.now()}`): the run of one entity is found by its id",
    );
  });

  it('warns at each start that breaks the project\'s own convention', () => {
    const convention = fixtureReview('observability-start-convention').run(startAttributes);
    expect(where(convention)).toEqual([
      'workflow-start-without-search-attributes warning src/starts.ts:14',
      'workflow-start-without-search-attributes warning src/starts.ts:18',
    ]);
  });

  it('names a random id in the warning, and says a child is found through its parent', () => {
    expect(at('src/starts.ts', 16).message).toContain(
      'client.workflow.start(processPayout) sets no search attributes, although its input carries payoutId and it runs once per request or event (startRandom takes the request or message `request`), and its workflow id is random (randomUUID()), so the id does not find it either.',
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
