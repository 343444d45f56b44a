// When the failure of a signal a request handler drops still reaches someone, so that
// workflow-signal-failure-swallowed has nothing to report: the rules both front-ends apply, each
// reading the facts in its own syntax (python/python-signal-failures.ts,
// typescript/swallowed-signals.ts).
//
// The caller learns the outcome:
// - the send is retried: the try sits in a loop that it leaves once the send succeeds (`for ...:
//   try: await handle.signal(...); break` / `for (...) { try { await handle.signal(...); break; }
//   catch (err) { log } }`); the failure is tried again, and the fix's own advice holds;
// - the handler hands the failure on as a value the code reads afterwards: a flag the catch sets
//   (`ok = False` in the clause, `ok` read after the try: in the response, in a test), or the
//   result of a `.catch(() => false)` the caller keeps. A clause that returns a value, re-raises or
//   answers an error is not "only logs" in the first place (start-handling.ts,
//   python-start-handling.ts).
//
// The workflow learns the outcome another way than the signal:
// - its timed wait sits in a loop that also calls an activity whose result decides whether the
//   loop ends: it polls, and the signal only makes it look sooner;
// - something other than a message handler writes the state the wait tests, from a result (an
//   awaited call, an activity) or in a callback: the wait can end without the signal;
// - its wait is timed and the code after it tells neither the timeout from the signal (TypeScript:
//   condition()'s result is dropped; Python: the clause that takes the TimeoutError only logs or
//   passes) nor reads the state the signal sets: the signal only wakes it early, and what follows
//   (an activity that reads the decision from the record) is the same without it.

/** Facts of the code that drops the failure, each read only when needed. */
export interface SendOutcomeFacts {
  /** The try sits in a loop and leaves it once its block succeeds. */
  retried(): boolean;
  /** The handler sets a value (a flag, the `.catch` result) that the code reads afterwards. */
  failureRead(): boolean;
}

/** The caller learns whether the signal was delivered. */
export function callerLearnsOutcome(facts: SendOutcomeFacts): boolean {
  return facts.retried() || facts.failureRead();
}

/** Facts of the wait for the state the signal sets, each read only when needed. */
export interface WaitOutcomeFacts {
  /** The wait has a timeout. */
  timed: boolean;
  /** The wait sits in a loop that also calls an activity whose result decides whether the loop ends. */
  polls(): boolean;
  /** Something other than a message handler writes the tested state from a result or in a callback. */
  writtenElsewhere(): boolean;
  /** The code after the wait takes a different path when it times out than when the state is set. */
  outcomeRead(): boolean;
  /** The code after the wait reads the state the signal sets. */
  stateReadAfter(): boolean;
}

/** The workflow reaches the outcome without the signal: a lost signal costs it nothing but time. */
export function workflowLearnsOtherwise(facts: WaitOutcomeFacts): boolean {
  if (facts.timed && facts.polls()) return true;
  if (facts.writtenElsewhere()) return true;
  if (!facts.timed) return false;
  return !facts.outcomeRead() && !facts.stateReadAfter();
}
