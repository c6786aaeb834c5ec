// A fresh storage for tests that run the real server as a child process: a PGlite directory, or
// with TEST_DATABASE_URL a scratch PostgreSQL database. Also the server's DATA_DIR (built-in CA).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchPostgres } from './database';
import type { Storage } from './tx-load';

export interface FaultStorage {
  storage: Storage;
  /** Environment for the child server. */
  env: Record<string, string>;
  kind: 'pglite' | 'postgres';
  drop(): Promise<void>;
}

export async function freshStorage(prefix: string): Promise<FaultStorage> {
  const dir = mkdtempSync(join(tmpdir(), `chargegraph-${prefix}-`));
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (!serverUrl) {
    const dataDir = join(dir, 'data');
    return {
      storage: { dataDir },
      env: { DATA_DIR: dataDir, DATABASE_URL: '' },
      kind: 'pglite',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const scratch = await createScratchPostgres(serverUrl);
  return {
    storage: { databaseUrl: scratch.url },
    env: { DATA_DIR: join(dir, 'data'), DATABASE_URL: scratch.url },
    kind: 'postgres',
    drop: async () => {
      await scratch.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
