// Loop sizes that every front-end shares.

/**
 * Up to this many iterations, a loop of single awaits (queries, API calls) ends in seconds: far
 * inside an ordinary startToCloseTimeout, so a heartbeat would buy nothing.
 */
export const CAPPED_ITERATIONS = 100;

/**
 * "A few" awaited calls per turn of a loop over a collection: more than this and a turn is a
 * workflow of its own. With each call quick (no sleep, poll, nested loop, stream or child
 * process, in the turn or the helpers it calls), the loop takes seconds unless the collection
 * holds thousands of items, which the code does not say.
 */
export const QUICK_AWAITS_PER_TURN = 3;

/** A written page size from which the collection is known to be large. */
export const THOUSANDS = 1_000;

/** How many project helpers deep a call is followed (as deep as heartbeats are); deeper than this it is not known to be quick. */
export const QUICK_HELPER_DEPTH = 5;

/**
 * A loop whose turns are capped and only pause for a constant time (plus quick local work) ends
 * within its cap times its pause. Under this bound it is a short wait, not a long run: a heartbeat
 * (typically every few seconds, with a heartbeatTimeout of tens of seconds) would notice a crash
 * no sooner than the loop ends, and no progress is worth saving.
 */
export const BOUNDED_WAIT_MS = 60_000;

/**
 * At most this many turns in a bounded wait: each turn may also make local file calls (a
 * millisecond or so each), which the pause does not count; a thousand of them add a second or two.
 */
export const BOUNDED_WAIT_TURNS = 1_000;

/**
 * A poll (a loop that sleeps between looks) whose turns times its pause stays under this is a
 * short wait (a reconnect of 5 s in 100 ms steps, 400 tries 20 ms apart): it ends before a
 * missing heartbeat costs much. From this on, or with no bound the code states, it runs long.
 */
export const POLL_LONG_MS = 5 * 60_000;
