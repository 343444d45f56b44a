// Shapes of history and payload growth seen in production code: a continue-as-new that counts only
// successful rounds, a signal handler registered under a new name on every call,
// a definition passed as workflow input and on through continue-as-new, and an activity that
// returns an SDK's whole response.
import { describe, expect, it } from 'vitest';
import continueAsNewCountsSuccesses from '../../../src/checks/payloads/continue-as-new-counts-successes.js';
import payloadCarriesCollection from '../../../src/checks/payloads/payload-carries-collection.js';
import signalHandlerPerCall from '../../../src/checks/payloads/signal-handler-per-call.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('payload and history shapes', () => {
  const review = fixtureReview('payload-shapes');

  describe('continue-as-new-counts-successes', () => {
    const findings = review.run(continueAsNewCountsSuccesses);

    it('reports the counter incremented only on the success path, and not loops that count rounds, count failures, rethrow, read the suggestion or retry without limit; through a helper only when the helper lets the failure out', () => {
      expect(where(findings)).toEqual([
        'continue-as-new-counts-successes warning src/workflows.ts:14',
        'continue-as-new-counts-successes warning src/workflows.ts:159',
      ]);
    });

    it('names the condition, the catch and the fix', () => {
      const [finding] = findings;
      expect(finding!.message).toContain("mailboxPoller's loop continues as new only when `synced >= ROUNDS_PER_RUN` (line 18)");
      expect(finding!.message).toContain('the catch (line 15)');
      expect(finding!.message).toContain('The activity syncInbox (maximumAttempts 3) gives up in bounded time');
      expect(finding!.fix).toContain('continueAsNewSuggested');
    });
  });

  describe('signal-handler-per-call', () => {
    const findings = review.run(signalHandlerPerCall);

    it('reports the per-call name registered from a helper called in a loop, not one removed after use or one per run', () => {
      expect(where(findings)).toEqual(['signal-handler-per-call info src/workflows.ts:90']);
    });

    it('names the helper, the loop and the fix', () => {
      const [finding] = findings;
      expect(finding!.message).toContain('`lock-granted-${resourceId}-${requestId}`');
      expect(finding!.message).toContain('acquireLock() runs from a loop (line 97)');
      expect(finding!.fix).toContain('setHandler(definition, undefined)');
    });
  });

  describe('payload-carries-collection', () => {
    const findings = review.run(payloadCarriesCollection);
    const at = (file: string) => findings.find((f) => f.file === file);

    it('reports the SDK response, the carried-on definition and the id lists; not the trimmed result, the small SDK type or the options object', () => {
      expect(where(findings)).toEqual([
        'payload-carries-collection info src/chain-activities.ts:4',
        'payload-carries-collection info src/journey-workflows.ts:4',
        'payload-carries-collection info src/workflows.ts:96',
        'payload-carries-collection info src/workflows.ts:114',
      ]);
    });

    it('names the third-party response type, its package and its array fields', () => {
      const finding = at('src/chain-activities.ts')!;
      expect(finding.message).toContain('Activity waitForTransfer returns ChainReceipt, a whole response type of the package fake-chain, with the array field logs (ChainLog[])');
      expect(finding.fix).toContain('Return only the fields of ChainReceipt the workflow uses');
    });

    it('prefers the array of nested objects to a small map, and says continue-as-new stores it again', () => {
      const finding = at('src/journey-workflows.ts')!;
      expect(finding.message).toContain('Workflow userJourney takes `props`, which holds an array at props.definition.steps (JourneyStep[]');
      expect(finding.message).toContain('userJourney hands it on to continueAsNew (line 12), so every run stores it again');
      expect(finding.fix).toContain('Pass the id (and version) of props.definition.steps instead and load it in an activity');
    });
  });
});
