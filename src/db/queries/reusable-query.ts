// A drizzle query whose SQL text is built once and run many times, on the database or inside any
// transaction. Building SQL from the query builder costs more CPU than the database's own work for
// the small statements on the TransactionEvent path (issue 5 profile); values go in through
// `sql.placeholder(name)`.
//
// drizzle's own `.prepare()` binds a query to the handle it was built on (a transaction ends), so
// this keeps the built text, parameters and result fields, and asks each handle's session for a
// prepared query, as `.prepare()` does. Caveat of placeholders: a column's encoder is applied to the
// value as is, so a placeholder for a timestamp or json column must never receive null.
import type { SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { registerReusableStatement } from '../prepared-statements';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Handle = Db | Tx;

/** What drizzle keeps in a prepared query (pg-core/session.js PgPreparedQuery and its drivers). */
interface PreparedShape {
  query: { sql: string; params: unknown[] };
  fields?: unknown;
  customResultMapper?: unknown;
  joinsNotNullableMap?: Record<string, boolean>;
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

interface SessionShape {
  dialect: { sqlToQuery(statement: SQL): PreparedShape['query'] };
  prepareQuery(query: PreparedShape['query'], fields: unknown, name: undefined, arrayMode: boolean, mapper?: unknown): PreparedShape;
}

/** Any insert/select/update builder. Its internal `_prepare()` (unnamed) is what `.prepare()` and `.execute()` build with. */
interface Buildable {
  prepare(name: string): unknown;
}

export function reusableQuery<Row>(build: (handle: Handle) => Buildable): (handle: Handle, values: Record<string, unknown>) => Promise<Row> {
  let built: PreparedShape | undefined;
  return (handle, values) => {
    if (!built) {
      built = (build(handle) as unknown as { _prepare(): PreparedShape })._prepare();
      registerReusableStatement(built.query.sql);
    }
    const session = (handle as unknown as { session: SessionShape }).session;
    const prepared = session.prepareQuery(built.query, built.fields, undefined, true, built.customResultMapper);
    if (built.joinsNotNullableMap) prepared.joinsNotNullableMap = built.joinsNotNullableMap;
    return prepared.execute(values) as Promise<Row>;
  };
}

/**
 * The same for a hand-written statement (what `db.execute(sql)` runs), or one composed of builders
 * (then built from the first handle): rows as objects keyed by column name, as the database names
 * them. postgres-js answers an array, PGlite `{ rows }`.
 */
export function reusableSql<Row>(statement: SQL | ((handle: Handle) => SQL)): (handle: Handle, values: Record<string, unknown>) => Promise<Row[]> {
  let built: PreparedShape['query'] | undefined;
  return async (handle, values) => {
    const session = (handle as unknown as { session: SessionShape }).session;
    if (!built) {
      built = session.dialect.sqlToQuery(typeof statement === 'function' ? statement(handle) : statement);
      registerReusableStatement(built.sql);
    }
    const result = (await session.prepareQuery(built, undefined, undefined, false).execute(values)) as Row[] | { rows: Row[] };
    return Array.isArray(result) ? result : result.rows;
  };
}
