// Times every query drizzle sends, on both drivers, by wrapping the one driver method drizzle calls:
// postgres.js `unsafe()` / `begin()`, PGlite `query()` / `transaction()`. A transaction is timed as
// a whole (operation "transaction"); the statements inside it are not timed one by one.
import type { Database } from './client';

export type DbOperation = 'select' | 'insert' | 'update' | 'delete' | 'transaction' | 'other';
export const DB_OPERATIONS: readonly DbOperation[] = ['select', 'insert', 'update', 'delete', 'transaction', 'other'];

export interface DbObserver {
  queryStarted(): void;
  queryFinished(operation: DbOperation, seconds: number, ok: boolean): void;
}

/** The statement's kind from its first keyword, without allocating. */
export function operationOf(text: string): DbOperation {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  const starts = (word: string) => {
    for (let k = 0; k < word.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
    return true;
  };
  if (starts('select')) return 'select';
  if (starts('insert')) return 'insert';
  if (starts('update')) return 'update';
  if (starts('delete')) return 'delete';
  return 'other';
}

type AnyFn = (...args: any[]) => any;
const current = new WeakMap<object, { observer: DbObserver }>();

function timed(slot: { observer: DbObserver }, operation: DbOperation, run: () => PromiseLike<unknown>): PromiseLike<unknown> {
  const observer = slot.observer;
  const started = performance.now();
  observer.queryStarted();
  const pending = run();
  const done = (ok: boolean) => observer.queryFinished(operation, (performance.now() - started) / 1000, ok);
  // postgres.js queries run when first awaited and are configured (`.values()`) right after unsafe()
  // returns: attach our listener a microtask later so it never starts the query itself.
  queueMicrotask(() => pending.then(() => done(true), () => done(false)));
  return pending;
}

function wrap(target: Record<string, unknown>, method: string, slot: { observer: DbObserver }, operation?: DbOperation): void {
  const original = target[method] as AnyFn | undefined;
  if (typeof original !== 'function') throw new Error(`database client has no ${method}()`);
  target[method] = function (this: unknown, ...args: unknown[]) {
    const op = operation ?? (typeof args[0] === 'string' ? operationOf(args[0]) : 'other');
    return timed(slot, op, () => original.apply(this, args));
  };
}

/**
 * Reports every query of `database` to `observer`. Instrumenting the same database again (tests
 * start several apps on one handle in turn) only switches the observer.
 */
export function instrumentDatabase(database: Database, observer: DbObserver): void {
  const client = (database.db as unknown as { $client?: Record<string, unknown> }).$client;
  if (!client) throw new Error('database handle exposes no driver client');
  const existing = current.get(client);
  if (existing) {
    existing.observer = observer;
    return;
  }
  const slot = { observer };
  current.set(client, slot);
  if (database.kind === 'postgres') {
    wrap(client, 'unsafe', slot);
    wrap(client, 'begin', slot, 'transaction');
  } else {
    wrap(client, 'query', slot);
    wrap(client, 'transaction', slot, 'transaction');
  }
}

/** postgres.js pool size (`max`); PGlite is a single connection. */
export function poolSize(database: Database): number {
  const client = (database.db as unknown as { $client?: { options?: { max?: number } } }).$client;
  return database.kind === 'postgres' ? (client?.options?.max ?? 0) : 1;
}
