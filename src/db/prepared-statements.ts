// drizzle-orm runs its queries through postgres.js `unsafe()`, which ignores the client's `prepare: true`
// and asks for an unnamed statement unless told `prepare: true` (drizzle says so only for queries built
// with `.prepare(name)`). postgres.js then sends every parameterized statement as Parse + Describe,
// waits for the description, and only then Bind + Execute: two round trips and a fresh parse and plan
// on the server, every time. Prepared, each connection parses a statement text once and afterwards
// sends only Bind + Execute (one round trip).
// Inside `begin()` (drizzle's transactions) the callback gets its own `sql`, which is wrapped.

type Unsafe = (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
type Begin = (...args: unknown[]) => Promise<unknown>;

interface PostgresJsSql {
  unsafe: Unsafe;
  begin?: Begin;
}

function preparing(sql: PostgresJsSql): void {
  const unsafe = sql.unsafe;
  // Only with parameters: without any, postgres.js sends a simple query (no Parse at all).
  sql.unsafe = function (this: unknown, query, params, options) {
    return params && params.length > 0 ? unsafe.call(this, query, params, { ...options, prepare: true }) : unsafe.call(this, query, params, options);
  };
}

/**
 * Prepared statements for drizzle's queries inside transactions (`begin()`), where the connection is
 * reserved. Not for the pool's own queries: prepared, they no longer mark a connection "full" while
 * described, so postgres.js pipelines more of them per connection, and a `begin` queued behind 100
 * pipelined queries (or a full socket buffer) is never marked reserved and fails with
 * UNSAFE_TRANSACTION (seen under load in the benchmark).
 */
export function usePreparedStatements(client: PostgresJsSql): void {
  const begin = client.begin;
  if (typeof begin !== 'function') return;
  client.begin = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const fn = args[last];
    if (typeof fn === 'function') {
      args[last] = (sql: PostgresJsSql) => {
        preparing(sql);
        return (fn as (s: PostgresJsSql) => unknown)(sql);
      };
    }
    return begin.apply(this, args);
  };
}
