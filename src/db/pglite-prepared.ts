// PGlite's `query()` runs every statement as six protocol calls (Parse, Describe, Bind, Describe,
// Execute, Sync), and PostgreSQL parses and plans its text each time: ~150 µs for a one-row lookup,
// before the statement's own work. The statements built once and run on every message
// (reusable-query.ts) are parsed here once per database as named prepared statements, then run as
// one protocol call of Bind + Execute + Sync, their rows read with the row description taken when
// they were parsed: ~40 µs for the same lookup, and PostgreSQL's plan cache keeps the plans of the
// large CTE statements. Other statements (and every statement inside a transaction) take PGlite's
// own path.
import { parse, protocol, type PGlite } from '@electric-sql/pglite';

type Params = unknown[] | undefined;
type Options = { serializers?: Record<number, (value: unknown) => string>; parsers?: unknown; rowMode?: 'array' | 'object' } | undefined;
type Messages = Parameters<typeof parse.parseResults>[0];
type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

/** The internals this relies on (PGlite 0.5: base.ts and pglite.ts). */
interface PgliteInternals {
  query(text: string, params?: Params, options?: Options): Promise<unknown>;
  execProtocolStream(message: Uint8Array, options: { syncToFs: boolean }): Promise<Messages>;
  syncToFs(): Promise<void>;
  _runExclusiveTransaction: Exclusive;
  _runExclusiveQuery: Exclusive;
  serializers: Record<number, (value: unknown) => string>;
  parsers: Parameters<typeof parse.parseResults>[1];
}

interface Prepared {
  name: string;
  paramTypes: number[];
  /** The statement's RowDescription (none for a statement without rows), given to every run's parse. */
  rows: Messages;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Runs the statements `isReusable` names (with parameters, outside transactions) as prepared
 * statements on `client`. Answers false, changing nothing, when this PGlite lacks the internals.
 */
export function prepareReusableStatements(client: PGlite, isReusable: (text: string) => boolean): boolean {
  const pg = client as unknown as PgliteInternals;
  if (typeof pg._runExclusiveQuery !== 'function' || typeof pg._runExclusiveTransaction !== 'function' || typeof pg.execProtocolStream !== 'function') {
    return false;
  }
  const serialize = protocol.serialize;
  const query = pg.query.bind(client);
  // null: PostgreSQL would not prepare the text; PGlite's own path then runs it (and reports its error).
  const statements = new Map<string, Prepared | null>();

  async function prepare(text: string): Promise<Prepared | null> {
    const name = `cg_${statements.size + 1}`;
    try {
      const messages = await pg.execProtocolStream(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
      const description = messages.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
      return { name, paramTypes: description?.dataTypeIDs ?? [], rows: messages.filter((m) => m.name === 'rowDescription') };
    } catch {
      return null;
    }
  }

  /** Undefined when the text cannot be prepared. */
  async function run(text: string, params: unknown[], options: Options): Promise<unknown> {
    let prepared = statements.get(text);
    if (prepared === undefined) {
      prepared = await prepare(text);
      statements.set(text, prepared);
    }
    if (prepared === null) return undefined;
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const oid = prepared.paramTypes[i]!;
      const serializer = options?.serializers?.[oid] ?? pg.serializers[oid];
      return serializer ? serializer(value) : String(value);
    });
    let messages: Messages;
    try {
      messages = await pg.execProtocolStream(
        concat([serialize.bind({ statement: prepared.name, values }), serialize.execute({}), serialize.sync()]),
        { syncToFs: false },
      );
    } catch (err) {
      // As PGlite's own query() reports a database error: with the statement and its parameters.
      if (err && typeof err === 'object') Object.assign(err, { query: text, params, queryOptions: options });
      throw err;
    }
    await pg.syncToFs();
    return parse.parseResults(prepared.rows.concat(messages), pg.parsers, options as Parameters<typeof parse.parseResults>[2])[0];
  }

  pg.query = async (text, params, options) => {
    if (!params || params.length === 0 || statements.get(text) === null || !isReusable(text)) return query(text, params, options);
    const result = await pg._runExclusiveTransaction(() => pg._runExclusiveQuery(() => run(text, params, options)));
    return result === undefined ? query(text, params, options) : result;
  };
  return true;
}
