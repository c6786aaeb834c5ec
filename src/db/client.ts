// Opens the database: embedded PGlite under DATA_DIR, or PostgreSQL through `postgres` when a
// URL is given. Both run the same drizzle schema and the same drizzle-kit migrations.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { DEFAULT_DATABASE_POOL_MAX } from '../config';
import { lockDataDir } from './data-dir-lock';
import { yieldBetweenStatements } from './pglite-fairness';
import { isReusableStatement, usePreparedStatements, type PostgresJsSql } from './prepared-statements';
import { postgresTarget } from './postgres-url';
import { DEFAULT_POSTGRES_TIMEOUTS, resilientPostgresOptions, urlWantsTls, type PostgresTimeouts } from './postgres-resilience';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

const pipelinedCommits = new WeakSet<object>();

/**
 * Whether statements issued inside `db.transaction` but not awaited still run before its COMMIT,
 * which then goes out with them: postgres.js sends a transaction's queries in order on one
 * connection. Not assumed of PGlite (and it has no round trips to save).
 */
export function commitPipelines(db: Db): boolean {
  return pipelinedCommits.has(db);
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps everything in memory (tests). */
  dataDir?: string;
  maxConnections?: number;
  /** PostgreSQL only: how long to wait before a query fails (postgres-resilience.ts). */
  timeouts?: PostgresTimeouts;
}

async function openPostgres(url: string, max: number, timeouts: PostgresTimeouts): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const target = postgresTarget(url);
  const options = { max, onnotice: () => {}, prepare: true, ...(target.host && { host: target.host }), ...resilientPostgresOptions(timeouts, urlWantsTls(url)) };
  // Two pools of `max` connections: single statements, and transactions (prepared-statements.ts).
  const client = postgres(target.url, options);
  const transactions = postgres(target.url, options);
  usePreparedStatements(client as unknown as PostgresJsSql, transactions as unknown as PostgresJsSql);
  const db = drizzle(client, { schema });
  // drizzle set its own type handling on `client` (timestamps and json pass through as text); the
  // transactions pool must read and write values the same way.
  for (const table of ['parsers', 'serializers'] as const) Object.assign(transactions.options[table], client.options[table]);
  pipelinedCommits.add(db);
  await Promise.all([client`select 1`, transactions`select 1`]);
  // The first connection fetched the array types into the shared parsers. Later connections skip the
  // fetch: postgres.js runs it without a handler, so a connection dying mid-fetch (database outage)
  // would be an unhandled rejection. Our schema declares no custom types (no enums, no arrays).
  for (const pool of [client, transactions]) (pool.options as { fetch_types: boolean }).fetch_types = false;
  await migrate(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    ping: () => client`select 1`.then(() => true, () => false),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), transactions.end({ timeout: 5 })]);
    },
  };
}

/**
 * A `Database` over a PGlite instance: statements yield the event loop (pglite-fairness.ts),
 * migrations applied; `release` runs after close (the data directory's lock).
 */
export async function databaseOverPglite(client: PGlite, release: () => void = () => {}): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!yieldBetweenStatements(client)) throw new Error('this PGlite version has no _runExclusiveTransaction; see src/db/pglite-fairness.ts');
  const { prepareReusableStatements } = await import('./pglite-prepared');
  if (!prepareReusableStatements(client, isReusableStatement)) throw new Error('this PGlite version lacks the internals src/db/pglite-prepared.ts uses');
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  let closing: Promise<void> | undefined;
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: () => db.execute(sql`select 1`).then(() => true, () => false),
    close: () => (closing ??= client.close().finally(release)),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  try {
    return await databaseOverPglite(await PGlite.create(dataDir), unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? DEFAULT_DATABASE_POOL_MAX, options.timeouts ?? DEFAULT_POSTGRES_TIMEOUTS);
  return openPglite(options.dataDir ?? './data');
}
