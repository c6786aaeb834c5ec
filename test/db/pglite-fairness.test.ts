// PGlite's statements run synchronously on the event loop; a long queue of them must still let the
// loop turn (accept connections, read messages, run timers) between statements.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client';
import { reusableSql } from '../../src/db/queries/reusable-query';

test('PGlite: a timer runs while thousands of queued statements are still pending', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await database.db.execute(sql`create table fairness_probe (id serial primary key, v text)`);
    let done = 0;
    let doneWhenTimerRan: number | undefined;
    const timer = new Promise<void>((resolve) => setTimeout(() => { doneWhenTimerRan = done; resolve(); }, 0));
    const statements = Array.from({ length: 3000 }, (_, i) =>
      database.db.execute(sql`insert into fairness_probe (v) values (${`row ${i}`})`).then(() => { done++; }));
    await Promise.all([...statements, timer]);
    assert.equal(done, 3000);
    assert.ok(doneWhenTimerRan! < 3000, `the timer ran only after all ${doneWhenTimerRan} statements`);
  } finally {
    await database.close();
  }
});

test('PGlite: prepared reusable statements yield the loop the same way', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await database.db.execute(sql`create table fairness_prepared (id serial primary key, v text)`);
    const insert = reusableSql(sql`insert into fairness_prepared (v) values (${sql.placeholder('v')})`);
    let done = 0;
    let doneWhenTimerRan: number | undefined;
    const timer = new Promise<void>((resolve) => setTimeout(() => { doneWhenTimerRan = done; resolve(); }, 0));
    const statements = Array.from({ length: 5000 }, (_, i) => insert(database.db, { v: `row ${i}` }).then(() => { done++; }));
    await Promise.all([...statements, timer]);
    assert.equal(done, 5000);
    assert.ok(doneWhenTimerRan! < 5000, `the timer ran only after all ${doneWhenTimerRan} statements`);
  } finally {
    await database.close();
  }
});
