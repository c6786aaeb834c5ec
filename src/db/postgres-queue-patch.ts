// Run by `postinstall`: replaces the queue of postgres.js 3.4.x (src/queue.js and its cjs and cf
// copies) with one that does not grow. The original's shift() leaves an `undefined` slot and
// empties its array only when a shift takes the last item; a pool whose `open` or `busy` queue
// never runs empty (every connection in use, one after another, for minutes) grows by one slot per
// statement, and each move of a connection between queues then scans the whole array (indexOf).
// In the benchmark's PostgreSQL mix that cost rose linearly: 0.6 → 1.6 % of the CSMS's CPU within
// 30 s, and it never stops rising while the load lasts. This queue keeps FIFO order and the same
// interface, reads from its head, and drops consumed slots once they are half of its array.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PATCH_MARKER = 'chargegraph: compacting queue';

const QUEUE = `// ${PATCH_MARKER} (src/db/postgres-queue-patch.ts)
function Queue(initial = []) {
  let xs = initial.slice()
  let head = 0

  return {
    get length() {
      return xs.length - head
    },
    remove: (x) => {
      const at = xs.indexOf(x, head)
      return at === -1
        ? null
        : (xs.splice(at, 1), x)
    },
    push: (x) => (xs.push(x), x),
    shift: () => {
      if (head >= xs.length)
        return undefined
      const out = xs[head]
      xs[head++] = undefined
      if (head === xs.length) {
        xs = []
        head = 0
      } else if (head >= 64 && head * 2 >= xs.length) {
        xs = xs.slice(head)
        head = 0
      }
      return out
    }
  }
}
`;

/** The package's three copies of the queue: ESM, CommonJS, Cloudflare workers. */
export function postgresQueueFiles(): string[] {
  const entry = createRequire(import.meta.url).resolve('postgres'); // <pkg>/cjs/src/index.js
  const root = dirname(dirname(dirname(entry)));
  return ['src/queue.js', 'cjs/src/queue.js', 'cf/src/queue.js'].map((f) => join(root, f)).filter((f) => existsSync(f));
}

export function patchPostgresQueue(): string[] {
  const patched: string[] = [];
  for (const file of postgresQueueFiles()) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(PATCH_MARKER)) continue;
    if (!text.includes('xs[index - 1] = undefined')) throw new Error(`${file}: not the postgres.js queue this patch was written for; review src/db/postgres-queue-patch.ts`);
    const exported = file.includes('/cjs/') ? 'module.exports = Queue\n' : 'export default Queue\n';
    writeFileSync(file, `${QUEUE}\n${exported}`);
    patched.push(file);
  }
  return patched;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const patched = patchPostgresQueue();
  if (patched.length > 0) console.log(`postgres.js queue patched: ${patched.length} file(s)`);
}
