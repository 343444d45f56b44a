// Loop sizes that every front-end shares.

/**
 * Up to this many iterations, a loop of single awaits (queries, API calls) ends in seconds: far
 * inside an ordinary startToCloseTimeout, so a heartbeat would buy nothing.
 */
export const CAPPED_ITERATIONS = 100;
