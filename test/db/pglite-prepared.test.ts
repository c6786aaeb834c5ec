// Reusable statements on PGlite run as named prepared statements (src/db/pglite-prepared.ts): parsed
// once, then one protocol call per run, with the same results, errors and transaction behaviour as
// PGlite's own query().
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { prepareReusableStatements } from '../../src/db/pglite-prepared';

const SELECT = 'select id, n, at, doc from items where id = $1';
const INSERT = 'insert into items (id, n, at, doc) values ($1, $2, $3, $4) returning id';
const BROKEN = 'select nothing from missing_table where id = $1';

describe('PGlite prepared reusable statements', () => {
  let pg: PGlite;
  const sent: string[] = [];

  before(async () => {
    pg = await PGlite.create();
    await pg.exec(`create table items (id text primary key, n integer not null, at timestamptz, doc jsonb)`);
    const reusable = new Set([SELECT, INSERT, BROKEN]);
    assert.equal(prepareReusableStatements(pg, (text) => reusable.has(text)), true);
    // Records the first message type of every protocol call: P(arse), B(ind), Q(uery), S(ync)...
    const target = pg as unknown as { execProtocolStream(m: Uint8Array, o: unknown): Promise<unknown> };
    const stream = target.execProtocolStream.bind(pg);
    target.execProtocolStream = (message, options) => {
      sent.push(String.fromCharCode(message[0]!));
      return stream(message, options);
    };
  });
  after(() => pg.close());

  test('a reusable statement is parsed once, then runs as one Bind call with the results query() gives', async () => {
    sent.length = 0;
    const at = new Date('2026-01-02T03:04:05.000Z');
    await pg.query(INSERT, ['a', 1, at.toISOString(), JSON.stringify({ k: [1, 2] })]);
    assert.deepEqual(sent, ['P', 'B']);
    sent.length = 0;
    await pg.query(INSERT, ['b', 2, null, null]);
    assert.deepEqual(sent, ['B']);

    sent.length = 0;
    const prepared = await pg.query(SELECT, ['a']);
    const arrays = await pg.query(SELECT, ['b'], { rowMode: 'array' });
    assert.deepEqual(sent, ['P', 'B', 'B']);
    const plain = await pg.query(`${SELECT} -- not reusable`, ['a']);
    assert.deepEqual(prepared.rows, plain.rows);
    assert.deepEqual(prepared.fields, plain.fields);
    assert.deepEqual(prepared.rows, [{ id: 'a', n: 1, at, doc: { k: [1, 2] } }]);
    assert.deepEqual(arrays.rows, [['b', 2, null, null]]);
  });

  test('a database error keeps its code and statement, and the next statement runs', async () => {
    await pg.query(INSERT, ['dup', 1, null, null]);
    await assert.rejects(pg.query(INSERT, ['dup', 1, null, null]), (err: { code?: string; query?: string }) => {
      assert.equal(err.code, '23505');
      assert.equal(err.query, INSERT);
      return true;
    });
    const { rows } = await pg.query<{ n: number }>(SELECT, ['dup']);
    assert.deepEqual(rows.map((r) => r.n), [1]);
  });

  test('a text PostgreSQL cannot prepare runs through query() and reports its own error', async () => {
    await assert.rejects(pg.query(BROKEN, ['x']), (err: { code?: string }) => err.code === '42P01');
    sent.length = 0;
    await assert.rejects(pg.query(BROKEN, ['x']), (err: { code?: string }) => err.code === '42P01');
    // PGlite's own Parse (which fails) and Sync: no second attempt to prepare it.
    assert.deepEqual(sent, ['P', 'S']);
  });

  test('statements inside a transaction take PGlite path, and a rolled-back insert is gone', async () => {
    await assert.rejects(pg.transaction(async (tx) => {
      await tx.query(INSERT, ['in-tx', 5, null, null]);
      throw new Error('roll back');
    }));
    assert.deepEqual((await pg.query(SELECT, ['in-tx'])).rows, []);
  });

  test('concurrent runs each get their own answer', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `c-${i}`);
    await Promise.all(ids.map((id, i) => pg.query(INSERT, [id, i, null, null])));
    const answers = await Promise.all(ids.map((id) => pg.query<{ id: string; n: number }>(SELECT, [id])));
    assert.deepEqual(answers.map((a) => a.rows[0]), ids.map((id, i) => ({ id, n: i, at: null, doc: null })));
  });
});
