// @ts-check
/** Work that events ask for again and again (refreshing a list on every live message), done no more than needed. */

/**
 * Wraps `work` so that at most one run is in flight: a call while it runs asks for exactly one more run after it,
 * however many calls came meanwhile. A burst of events thus costs two runs, not one per event, and an older answer
 * never lands after a newer one.
 * @param {() => Promise<void>} work
 * @returns {() => Promise<void>} resolves when a run that began after the call has finished
 */
export function coalesced(work) {
  /** @type {Promise<void>|null} */
  let running = null;
  /** @type {Promise<void>|null} */
  let next = null;
  const run = () => {
    running = work().finally(() => {
      running = null;
    });
    return running;
  };
  return () => {
    if (!running) return run();
    next ??= running.catch(() => undefined).then(() => {
      next = null;
      return run();
    });
    return next;
  };
}
