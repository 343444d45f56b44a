// An activity result field set to the whole text of a log (read in the activity or in a method
// whose result it returns) is reported; a shortened tail, a name that only mentions log, and an
// exported function no workflow schedules are left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/payloads/payload-carries-log-output.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('payload-carries-log-output', () => {
  const findings = fixtureReview('payload-carries-log-output').run(check);

  it('reports the result field that carries a whole log, and nothing else', () => {
    expect(where(findings)).toEqual(['payload-carries-log-output warning src/build-runner.ts:10']);
  });

  it('names the activity, the field, the log read and where the result comes from', () => {
    const [finding] = findings;
    expect(finding!.message).toContain('Activity buildImage returns `error` set to the whole text of getBuildLogs(...) (in src/build-runner.ts, which it returns the result of)');
    expect(finding!.message).toContain('2 MiB payload limit');
    expect(finding!.related).toEqual([expect.objectContaining({ line: 10, message: 'reads the log (getBuildLogs)' })]);
    expect(finding!.fix).toContain("Return the log's identifier");
  });
});
