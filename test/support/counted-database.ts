// A fresh test database with the given stations, recording the kind of every statement run on it
// (instrument.ts), for tests that prove how many statements a piece of work takes.
import type { Database } from '../../src/db/client';
import { instrumentDatabase, type DbOperation } from '../../src/db/instrument';
import { stations } from '../../src/db/schema';
import { openTestDatabase } from './database';

export interface CountedDatabase {
  database: Database;
  /** Statement kinds in the order they finished; clear it before the work to count. */
  operations: DbOperation[];
}

export async function openCountedDatabase(stationIds: readonly string[]): Promise<CountedDatabase> {
  const database = await openTestDatabase();
  if (stationIds.length > 0) await database.db.insert(stations).values(stationIds.map((id) => ({ id })));
  const operations: DbOperation[] = [];
  instrumentDatabase(database, { queryStarted: () => {}, queryFinished: (operation) => operations.push(operation) });
  return { database, operations };
}
