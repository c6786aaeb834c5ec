// Whether the database carries every migration this build ships (drizzle's journal table vs the
// drizzle/ folder), for the readiness probe. drizzle's migrator applies a migration when its folder
// time is newer than the newest applied one; "applied" here means exactly that nothing is left.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './client';

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

let expected: number | undefined;

/** Folder time of the newest migration shipped with this build (read once). */
export function latestShippedMigration(): number {
  return (expected ??= Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis)));
}

/** Folder time of the newest applied migration, undefined when none is (no journal table). */
export async function latestAppliedMigration(db: Db): Promise<number | undefined> {
  const present = await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  const [row] = (Array.isArray(present) ? present : (present as { rows: unknown[] }).rows) as Array<{ present: boolean }>;
  if (!row?.present) return undefined;
  const result = await db.execute(sql`select max(created_at) as latest from drizzle.__drizzle_migrations`);
  const [latest] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ latest: unknown }>;
  return latest?.latest === null || latest?.latest === undefined ? undefined : Number(latest.latest);
}
