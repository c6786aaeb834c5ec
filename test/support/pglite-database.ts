// A `Database` over a PGlite instance the caller already created (e.g. loaded from a dump).
// Mirrors src/db/client.ts's PGlite branch; migrate() is a no-op when the data is already migrated.
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database, Db } from '../../src/db/client';
import { yieldBetweenStatements } from '../../src/db/pglite-fairness';
import * as schema from '../../src/db/schema';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function databaseFromPglite(client: PGlite): Promise<Database> {
  if (!yieldBetweenStatements(client)) throw new Error('this PGlite version has no _runExclusiveTransaction');
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  let closing: Promise<void> | undefined;
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: () => db.execute(sql`select 1`).then(() => true, () => false),
    close: () => (closing ??= client.close()),
  };
}
