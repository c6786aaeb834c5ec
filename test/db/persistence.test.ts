// Data survives a restart: PGlite under DATA_DIR, or PostgreSQL (DATABASE_URL) when TEST_DATABASE_URL is set.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startApp } from '../../src/app';
import { provisionStation } from '../../src/blocks/provisioning/station-admin';
import { loadConfig } from '../../src/config';
import { findStation } from '../../src/db/queries/stations';
import { createScratchPostgres } from '../support/database';

const dir = mkdtempSync(join(tmpdir(), 'chargegraph-persist-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a provisioned station is still there after the CSMS restarts', { timeout: 60_000 }, async () => {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  const scratch = serverUrl ? await createScratchPostgres(serverUrl) : undefined;
  const env = {
    HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: join(dir, 'data'),
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  };
  try {
    const first = await startApp(loadConfig(env));
    await provisionStation(first.services, 'PERSIST-1', { password: 'a-long-enough-password-1' });
    await first.close();

    const second = await startApp(loadConfig(env));
    try {
      const station = await findStation(second.services.db, 'persist-1');
      assert.equal(station?.id, 'PERSIST-1');
      assert.ok(station?.passwordHash?.startsWith('scrypt$'));
      assert.equal(second.database.kind, scratch ? 'postgres' : 'pglite');
    } finally {
      await second.close();
    }
  } finally {
    await scratch?.drop();
  }
});
