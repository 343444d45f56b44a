// workflow-start-without-search-attributes warns only where operators will need search attributes
// to find runs: the workflow id is random or clock-only, the input carries an id-like business key,
// and the start runs once per request or event. Otherwise the id finds the runs (it names the key,
// or it is built where the check cannot read it), there is no key to list runs by, or the start is
// an operator's script that prints its ids: a note that says which.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

const CHECK = 'workflow-start-without-search-attributes';

describe('workflow-start-without-search-attributes: when the runs cannot be found another way (TypeScript)', () => {
  let findings: Finding[];
  beforeAll(() => {
    findings = fixtureReview('observability-start-findable').run(startAttributes);
  });
  const at = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line)!;

  it('warns on a random id with a customer key started per request; notes the rest', () => {
    expect(where(findings)).toEqual([
      `${CHECK} warning src/routes/charges.ts:7`,
      `${CHECK} info src/routes/charges.ts:12`,
      `${CHECK} info src/routes/charges.ts:17`,
      `${CHECK} info src/routes/charges.ts:22`,
      `${CHECK} info src/scripts/charge-once.ts:7`,
    ]);
  });

  it('says why each note is not a warning', () => {
    expect(at('src/routes/charges.ts', 7).message).toContain('although its input carries customerId and it runs once per request or event (its file is under routes/');
    expect(at('src/routes/charges.ts', 12).message).toContain("WorkflowId STARTS_WITH '...'");
    expect(at('src/routes/charges.ts', 17).message).toContain('its workflow id is not a random or clock-only value');
    expect(at('src/routes/charges.ts', 22).message).toContain('its input carries no id-like business key');
    expect(at('src/scripts/charge-once.ts', 7).message).toContain('nothing shows it runs once per request or event');
  });
});

describe('workflow-start-without-search-attributes: when the runs cannot be found another way (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-findable');
    findings = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === CHECK);
  });

  it('warns on a random id with a customer key in a route; a key before the random part and a script are notes', () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      `${CHECK} warning app/api.py:13`,
      `${CHECK} info app/api.py:18`,
      `${CHECK} info app/charge_once.py:11`,
    ]);
    const [warning, keyed, script] = findings;
    expect(warning!.message).toMatch(/^client\.start_workflow\(ChargeWorkflow\) sets no search attributes, although its input carries customer_id and it runs once per request or event/);
    expect(warning!.fix).toContain('SearchAttributeKey.for_keyword("CustomerId")');
    expect(warning!.fix).toContain('search_attributes=TypedSearchAttributes([SearchAttributePair(CUSTOMER_ID, customer_id)])');
    expect(keyed!.message).toContain("WorkflowId STARTS_WITH '...'");
    expect(script!.message).toContain('nothing shows it runs once per request or event');
  });
});
