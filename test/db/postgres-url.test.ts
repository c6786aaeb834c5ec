// DATABASE_URL may name a Unix-domain socket directory as libpq does (`?host=/dir`); postgres.js
// would otherwise send `host` to the server as a run-time parameter and fail to connect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresTarget } from '../../src/db/postgres-url';

test('a socket directory in ?host= becomes the host option and leaves the URL', () => {
  assert.deepEqual(postgresTarget('postgres://postgres@localhost:5433/cg?host=/var/run/postgresql&sslmode=disable'),
    { url: 'postgres://postgres@localhost:5433/cg?sslmode=disable', host: '/var/run/postgresql' });
});

test('URLs without a socket directory pass through unchanged', () => {
  for (const url of ['postgres://postgres@127.0.0.1:5432/cg', 'postgres://u:p@db.example/cg?host=db2.example&sslmode=require']) {
    assert.deepEqual(postgresTarget(url), { url });
  }
});
