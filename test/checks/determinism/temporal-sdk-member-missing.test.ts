// temporal-sdk-name-missing on members of the SDK's client objects, over
// test/fixtures/python-sdk-member-missing.
//
// The SDK facts: temporalio.client.Client has no get_service_client and no check_health (its
// attribute is service_client), and WorkflowHandle has no get_result (it is result()), in any
// release from 1.0.0 to 1.35.0 (scripts/python-sdk-members.py read every published wheel). The
// second block checks the generated member list against the SDK installed for the tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { nearestMembers } from '../../../src/model/python/python-sdk-members.js';
import { TEMPORALIO_MEMBERS } from '../../../src/model/python/temporalio-members.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-member-missing');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('temporal-sdk-name-missing on Client and WorkflowHandle members', () => {
  test('a member no release has, on a value every origin shows to be a Client or a WorkflowHandle', () => {
    const found = findings.filter((f) => f.checkId === 'temporal-sdk-name-missing');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'temporal-sdk-name-missing error app/service.py:13',
      'temporal-sdk-name-missing error app/service.py:24',
      'temporal-sdk-name-missing error app/service.py:48',
      'temporal-sdk-name-missing error app/service.py:71',
      'temporal-sdk-name-missing error app/service.py:80',
    ]);
    const [feedback, result, health, listed, close] = found;
    expect(feedback!.message).toBe(
      'temporalio.client.Client has no get_service_client in any SDK release (1.0.0 to 1.35.0); the nearest member is service_client. ' +
        'The value is a Client: get_temporal_client() -> Client (app/temporal_client.py:6). ' +
        '`client.get_service_client` raises AttributeError whenever this line runs. ' +
        'The `except Exception` at line 17 catches it, so the rest of the try block (lines 14 to 16) never runs: every call takes the handler, and the failure shows only as what the handler does.',
    );
    expect(feedback!.fix).toBe("Use the member Client has (client.service_client; see the SDK's API reference for your version).");
    expect(result!.message).toContain('temporalio.client.WorkflowHandle has no get_result in any SDK release');
    expect(result!.message).toContain('the nearest member is result.');
    expect(result!.message).toContain('client.get_workflow_handle(...) (app/service.py:23)');
    expect(result!.message).not.toContain('catches it');
    // self.client, set from a parameter annotated Client
    expect(health!.message).toContain('temporalio.client.Client has no check_health');
    // a parameter annotated Optional[Client], given a client again in the function
    expect(listed!.message).toContain('temporalio.client.Client has no list_workflow in any SDK release (1.0.0 to 1.35.0); the nearest member is list_workflows.');
    expect(close!.message).toContain('temporalio.client.Client has no close in any SDK release (1.0.0 to 1.35.0). The value is a Client: the parameter client: Client (app/service.py:79).');
    expect(close!.fix).toBe('Remove the call: a Client has nothing to close in any SDK release; its connection goes when the last reference to the client does.');
    // not reported: members the classes have in some release (count_workflows is newer than 1.0.0),
    // private names, attributes the code sets, a read guarded by `except AttributeError`, the
    // project's own wrapper class, an unannotated parameter, a parameter bound to something else
  });

  test('nearest members', () => {
    const client = TEMPORALIO_MEMBERS['temporalio.client.Client']!.filter((name) => !name.startsWith('_'));
    expect(nearestMembers('get_service_client', client)).toEqual(['service_client']);
    expect(nearestMembers('list_workflow', client)).toEqual(['list_workflows']);
    expect(nearestMembers('check_health', client)).toEqual([]);
  });
});

const python = process.env['PREFLIGHT_PYTHON'];
const installed = Boolean(python) && spawnSync(python!, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!installed) console.warn('skipping the member list check against the installed SDK: set PREFLIGHT_PYTHON to an interpreter with temporalio installed');

describe.skipIf(!installed)('the generated member list and the installed SDK', () => {
  test('every public attribute of the installed classes is listed; the missing members are missing there too', () => {
    const script = [
      'import json',
      'from temporalio.client import Client, WorkflowHandle',
      'print(json.dumps({"temporalio.client." + c.__name__: sorted(n for n in dir(c) if not n.startswith("_")) for c in (Client, WorkflowHandle)}))',
    ].join('\n');
    const run = spawnSync(python!, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const actual = JSON.parse(run.stdout) as Record<string, string[]>;
    for (const [name, members] of Object.entries(actual)) {
      const listed = new Set(TEMPORALIO_MEMBERS[name]);
      expect(members.filter((member) => !listed.has(member)), name).toEqual([]);
    }
    expect(actual['temporalio.client.Client']).toContain('service_client');
    expect(actual['temporalio.client.Client']).not.toContain('get_service_client');
    expect(actual['temporalio.client.WorkflowHandle']).not.toContain('get_result');
  });
});
