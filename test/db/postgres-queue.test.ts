// The postgres.js pool's queues (patched at install by src/db/postgres-queue-patch.ts) must not grow
// while they never run empty: a pool whose connections stay in use took one more array slot per
// statement, and scanned them all on every move of a connection (CPU rising for as long as the load lasts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PATCH_MARKER, postgresQueueFiles } from '../../src/db/postgres-queue-patch';
import { readFileSync } from 'node:fs';

interface Queue<T> { length: number; push(x: T): T; shift(): T | undefined; remove(x: T): T | null }

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const installedQueue = async (): Promise<(initial?: unknown[]) => Queue<object>> => {
  const esm = postgresQueueFiles().find((f) => !f.includes('/cjs/') && !f.includes('/cf/'))!;
  return ((await import(pathToFileURL(esm).href)) as { default: (initial?: unknown[]) => Queue<object> }).default;
};

test('the installed postgres.js carries the queue fix in all its copies', () => {
  const files = postgresQueueFiles();
  assert.equal(files.length, 3);
  for (const file of files) assert.ok(readFileSync(file, 'utf8').includes(PATCH_MARKER), file);
});

test('a queue that never runs empty keeps its size: a million shift/push turns retain no memory', async () => {
  const Queue = await installedQueue();
  const connections = Array.from({ length: 10 }, (_, id) => ({ id }));
  const queue = Queue();
  for (const c of connections) queue.push(c);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1_000_000; i++) {
    const c = queue.shift()!;
    queue.remove(c); // what the pool's move() does after shifting a connection out
    queue.push(c);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 2_000_000, `heap grew by ${grown} bytes`);
  assert.equal(queue.length, 10);
});

test('FIFO order, remove from the middle, shift of an empty queue', async () => {
  const Queue = await installedQueue();
  const items = Array.from({ length: 200 }, (_, id) => ({ id }));
  const queue = Queue();
  for (const x of items) queue.push(x);
  for (let i = 0; i < 150; i++) assert.equal(queue.shift(), items[i]);
  assert.equal(queue.remove(items[160]!), items[160]);
  assert.equal(queue.remove(items[10]!), null);
  const rest: object[] = [];
  while (queue.length > 0) rest.push(queue.shift()!);
  assert.deepEqual(rest, items.slice(150).filter((_, i) => i !== 10));
  assert.equal(queue.shift(), undefined);
  assert.equal(queue.length, 0);
  queue.push(items[0]!);
  assert.equal(queue.shift(), items[0]);
});
