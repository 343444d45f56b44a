// What Actions cost on Temporal Cloud pay-as-you-go (TEMPORAL-FACTS.md §10): every activity
// attempt is one Action, priced per million in tiers.

/** Upper bound of each tier in Actions, and its price per million Actions in USD (§10). */
export const ACTION_PRICE_TIERS: readonly { upTo: number; usdPerMillion: number }[] = [
  { upTo: 5_000_000, usdPerMillion: 50 },
  { upTo: 10_000_000, usdPerMillion: 45 },
  { upTo: 20_000_000, usdPerMillion: 40 },
  { upTo: 50_000_000, usdPerMillion: 35 },
  { upTo: 100_000_000, usdPerMillion: 30 },
  { upTo: 200_000_000, usdPerMillion: 25 },
];

/**
 * Pay-as-you-go price of `actions` Actions, tier by tier: 11.25 M Actions = $525. Above the last
 * published tier (200 M) pricing is negotiated; we keep charging the last tier's price.
 */
export function actionsCostUsd(actions: number): number {
  if (!(actions > 0)) return 0;
  let cost = 0;
  let floor = 0;
  for (const tier of ACTION_PRICE_TIERS) {
    const inTier = Math.min(actions, tier.upTo) - floor;
    if (inTier <= 0) break;
    cost += (inTier / 1_000_000) * tier.usdPerMillion;
    floor = tier.upTo;
  }
  const last = ACTION_PRICE_TIERS[ACTION_PRICE_TIERS.length - 1]!;
  if (actions > last.upTo) cost += ((actions - last.upTo) / 1_000_000) * last.usdPerMillion;
  return roundCents(cost);
}

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** "$12.50", "$1,234.00": always two decimals so small sums stay visible. */
export function formatUsd(usd: number): string {
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
