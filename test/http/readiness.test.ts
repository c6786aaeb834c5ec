// Issue 5 §3: GET /ready — 200 when the database answers and carries every migration; 503 with a
// JSON body saying why otherwise (database down, migrations pending, draining). /health stays liveness.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../src/db/client';
import { latestShippedMigration } from '../../src/db/migration-state';
import { createReadiness } from '../../src/http/readiness';
import { probeRoutes } from '../../src/http/probe-routes';
import { createScratchPostgres } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

async function ready(server: TestServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.httpUrl}/ready`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An empty database nobody migrated: PGlite in memory, or a scratch PostgreSQL database. */
async function unmigratedDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (url) {
    const scratch = await createScratchPostgres(url);
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(scratch.url, { max: 1, onnotice: () => {} });
    return {
      db: drizzle(client) as unknown as Db, kind: 'postgres',
      ping: () => client`select 1`.then(() => true, () => false),
      close: async () => {
        await client.end({ timeout: 5 });
        await scratch.drop();
      },
    };
  }
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = await PGlite.create();
  const db = drizzle(client);
  return { db: db as unknown as Db, kind: 'pglite', ping: () => db.execute(sql`select 1`).then(() => true, () => false), close: () => client.close() };
}

describe('GET /ready (issue 5 §3)', { timeout: 60_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  test('migrated database that answers → 200 ready', async () => {
    assert.deepEqual(await ready(server), {
      status: 200, body: { status: 'ready', database: 'up', migrations: 'applied', draining: false },
    });
  });

  test('migrations missing or behind → 503 migrations "pending"; applied once the journal reaches the shipped one', async () => {
    const database = await unmigratedDatabase();
    try {
      const readiness = createReadiness(database);
      assert.deepEqual(await readiness.check(), {
        status: 503, body: { status: 'not ready', database: 'up', migrations: 'pending', draining: false },
      });
      // drizzle's journal table, with an older migration than this build ships.
      await database.db.execute(sql`create schema drizzle`);
      await database.db.execute(sql`create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`);
      await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('old', ${latestShippedMigration() - 1})`);
      assert.equal((await readiness.check()).body.migrations, 'pending');
      await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('new', ${latestShippedMigration()})`);
      assert.deepEqual(await readiness.check(), {
        status: 200, body: { status: 'ready', database: 'up', migrations: 'applied', draining: false },
      });
    } finally {
      await database.close();
    }
  });

  test('METRICS_ENABLED=false leaves /ready but no /metrics route', () => {
    const routes = probeRoutes({ readiness: server.app.readiness });
    assert.deepEqual([...routes.keys()], ['/ready']);
  });

  test('draining (graceful shutdown) → 503 at once; /health still 200 (liveness)', async () => {
    const draining = await startTestServer();
    try {
      draining.app.readiness.setDraining();
      const { status, body } = await ready(draining);
      assert.equal(status, 503);
      assert.equal(body.draining, true);
      assert.equal(body.status, 'not ready');
      assert.equal((await fetch(`${draining.httpUrl}/health`)).status, 200);
    } finally {
      await draining.close();
    }
  });

  test('database down (closed handle) → 503 database "down"', async () => {
    const broken = await startTestServer();
    try {
      await broken.app.database.close();
      const { status, body } = await ready(broken);
      assert.equal(status, 503);
      assert.deepEqual(body, { status: 'not ready', database: 'down', migrations: 'unknown', draining: false });
    } finally {
      await broken.close();
    }
  });
});
