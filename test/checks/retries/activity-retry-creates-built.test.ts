// activity-retry-repeats-side-effect, creates reached through a controller class that only names
// the functions (`static writeCards = cards.writeCards`), with rows made by a project builder
// (`cardData({...})`, `cardsData(...)` mapping to objects): an insert in a transaction followed by
// another write, with a lookup of the parent by its id before it (that lookup cannot find the new
// row), is reported, and the other inserts of the activity are named with it. Left alone: a lookup
// by an id the row takes from the input, a lookup by another key, a builder that sets the id, and a
// client's `postLogin` (a POST that signs in creates nothing).
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/retries/activity-retry-repeats-side-effect.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('activity-retry-repeats-side-effect: creates through builders and aliases', () => {
  const review = fixtureReview('activity-retry-creates-built');
  const findings = review.run(check);

  it('reports the insert of a built row after a lookup of its parent by id, as info', () => {
    expect(where(findings)).toEqual(['activity-retry-repeats-side-effect info src/workflows.ts:4']);
    const [finding] = findings;
    expect((finding!.data as { activityTypes: string[] }).activityTypes).toEqual(['storeCards']);
    expect(finding!.message).toContain(
      'storeCards creates a card row with `tx.card.create(...)` at src/cards.ts:12 (through src/activities.ts:5), then awaits `recordUsage(...)` at src/cards.ts:28: when that fails, the retry runs the activity from the top and creates a card row again.',
    );
  });

  it('names the other inserts the retry repeats, one per transaction', () => {
    const [finding] = findings;
    expect(finding!.message).toContain('Its other inserts are repeated the same way: card rows with `db.card.createManyAndReturn(...)` at src/cards.ts:20, before `recordUsage(...)` at src/cards.ts:28.');
    expect(finding!.message).not.toContain('tx.link.create');
    expect(finding!.related!.map((r) => `${r.file.split('/').pop()}:${r.line} ${r.message}`)).toContain('cards.ts:20 another insert the retry repeats');
  });

  it('leaves a lookup of the input id, a lookup by another key, a builder that sets the id and a POST that signs in alone', () => {
    expect(findings.some((f) => /storeCardOnce|storeCardChecked|storeCardBuilt|syncPortal/.test(f.message))).toBe(false);
  });
});
