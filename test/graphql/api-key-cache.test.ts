// API keys found valid are remembered for API_KEY_CACHE_MS (one database read per key per 2 s, not
// per request); a key revoked through this process is refused at once, one revoked by another
// process (the CLI writes the database directly) within API_KEY_CACHE_MS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { instrumentDatabase, type DbOperation } from '../../src/db/instrument';
import { revokeApiKeyById } from '../../src/db/queries/api-keys';
import { API_KEY_CACHE_MS, authenticateKey, createApiKey, forgetApiKey } from '../../src/graphql/api-keys';
import { openTestDatabase } from '../support/database';

describe('API key verification cache', () => {
  let database: Database;
  const operations: DbOperation[] = [];
  const services = () => ({ db: database.db });

  before(async () => {
    database = await openTestDatabase();
    instrumentDatabase(database, { queryStarted: () => {}, queryFinished: (operation) => operations.push(operation) });
  });
  after(() => database.close());

  test('a valid key is read once for many requests; an unknown key is read every time', async () => {
    const { key, apiKey } = await createApiKey(services(), 'app', 'operator');
    operations.length = 0;
    for (let i = 0; i < 5; i++) assert.deepEqual(await authenticateKey(services(), key), { keyId: apiKey.id, role: 'operator', idTokens: [] });
    assert.deepEqual(operations, ['select']);
    operations.length = 0;
    for (let i = 0; i < 3; i++) assert.equal(await authenticateKey(services(), 'cg_not-a-key'), undefined);
    assert.deepEqual(operations, ['select', 'select', 'select']);
  });

  test('revoked through this process (revokeApiKey): refused from the next request on', async () => {
    const { key, apiKey } = await createApiKey(services(), 'revoked-here', 'viewer');
    assert.ok(await authenticateKey(services(), key));
    assert.ok(await revokeApiKeyById(database.db, apiKey.id, new Date()));
    forgetApiKey(services(), apiKey.id);
    assert.equal(await authenticateKey(services(), key), undefined);
  });

  test('revoked by another process (the CLI): refused within API_KEY_CACHE_MS', async () => {
    const { key, apiKey } = await createApiKey(services(), 'revoked-elsewhere', 'viewer');
    assert.ok(await authenticateKey(services(), key));
    assert.ok(await revokeApiKeyById(database.db, apiKey.id, new Date()));
    await new Promise((r) => setTimeout(r, API_KEY_CACHE_MS + 50));
    assert.equal(await authenticateKey(services(), key), undefined);
  });
});
