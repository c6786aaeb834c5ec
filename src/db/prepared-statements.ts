// drizzle-orm runs its queries through postgres.js `unsafe()`, which ignores the client's `prepare: true`
// and asks for an unnamed statement unless told `prepare: true` (drizzle says so only for queries built
// with `.prepare(name)`). postgres.js then sends every parameterized statement as Parse + Describe,
// waits for the description, and only then Bind + Execute: two round trips and a fresh parse and plan
// on the server, every time. Prepared, each connection parses a statement text once and afterwards
// sends only Bind + Execute (one round trip).
// Inside `begin()` (drizzle's transactions) the callback gets its own `sql`, which is wrapped.

type Unsafe = (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
type Begin = (...args: unknown[]) => Promise<unknown>;

export interface PostgresJsSql {
  unsafe: Unsafe;
  begin?: Begin;
}

/** `{ ...options, prepare: true }` written out: V8 (Node 20) builds that literal on a slow path, once per query. */
function withPrepare(options: Record<string, unknown> | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = { prepare: true };
  if (options) for (const key in options) if (key !== 'prepare') result[key] = options[key];
  return result;
}

function preparing(sql: PostgresJsSql): void {
  const unsafe = sql.unsafe;
  // Only with parameters: without any, postgres.js sends a simple query (no Parse at all).
  sql.unsafe = function (this: unknown, query, params, options) {
    return params && params.length > 0 ? unsafe.call(this, query, params, withPrepare(options)) : unsafe.call(this, query, params, options);
  };
}

/** Statement texts built once and run many times (reusable-query.ts): a bounded set, safe to prepare anywhere. */
const reusableStatements = new Set<string>();

export function registerReusableStatement(text: string): void {
  reusableStatements.add(text);
}

export function isReusableStatement(text: string): boolean {
  return reusableStatements.has(text);
}

/** The texts registered so far (tests check their plans). */
export function reusableStatementTexts(): string[] {
  return [...reusableStatements];
}

function preparingReusable(sql: PostgresJsSql): void {
  const unsafe = sql.unsafe;
  sql.unsafe = function (this: unknown, query, params, options) {
    return params && params.length > 0 && reusableStatements.has(query)
      ? unsafe.call(this, query, params, withPrepare(options))
      : unsafe.call(this, query, params, options);
  };
}

/**
 * Prepared statements for drizzle's queries inside transactions (`begin()`, on `transactions`, a pool
 * of its own) and for the reusable statements on `queries`. Transactions get their own pool because
 * of a postgres.js defect: a `begin` pipelined behind 100 queries (or written into a full socket
 * buffer) is never marked reserved and fails with UNSAFE_TRANSACTION, and prepared statements let
 * the pipelines of a shared pool grow that long (seen under load in the benchmark). Other statements
 * on `queries` stay unnamed: their texts vary (IN lists), and each prepared one stays on its connection.
 */
export function usePreparedStatements(queries: PostgresJsSql, transactions: PostgresJsSql): void {
  const begin = transactions.begin;
  if (typeof begin !== 'function') return;
  preparingReusable(queries);
  queries.begin = function (...args: unknown[]) {
    const last = args.length - 1;
    const fn = args[last];
    if (typeof fn === 'function') {
      args[last] = (sql: PostgresJsSql) => {
        preparing(sql);
        return (fn as (s: PostgresJsSql) => unknown)(sql);
      };
    }
    return begin.apply(transactions, args);
  };
}
