// PGlite runs each statement as synchronous WebAssembly on the event loop, and hands its lock from
// one queued statement to the next through promises only: thousands of queued statements (a boot
// storm) run back to back without the loop once polling its sockets, so for seconds no connection
// is accepted, no message read and no timer run. Here the lock's holder first yields one turn of the
// loop whenever the statements since the last turn have run longer than a budget.
import type { PGlite } from '@electric-sql/pglite';

/** Longest the loop goes without polling because of queued statements (plus one statement). */
export const PGLITE_TURN_BUDGET_MS = 5;

type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Makes `client` yield the event loop between statements once the budget is spent. PGlite's
 * `_runExclusiveTransaction` (its lock for query, exec and transaction) is internal: without it,
 * nothing is changed and the caller is told so.
 */
export function yieldBetweenStatements(client: PGlite, budgetMs = PGLITE_TURN_BUDGET_MS): boolean {
  const target = client as unknown as { _runExclusiveTransaction?: Exclusive };
  const exclusive = target._runExclusiveTransaction;
  if (typeof exclusive !== 'function') return false;
  const run = exclusive.bind(client) as Exclusive;
  // Start of the current stretch of statements without a turn of the loop (undefined: none yet).
  let stretchStart: number | undefined;
  const startStretch = () => {
    stretchStart = performance.now();
    setImmediate(() => { stretchStart = undefined; }); // the loop turned on its own
  };
  target._runExclusiveTransaction = <T>(fn: () => Promise<T>) => run(async () => {
    if (stretchStart === undefined) startStretch();
    else if (performance.now() - stretchStart > budgetMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      startStretch();
    }
    return fn();
  });
  return true;
}
