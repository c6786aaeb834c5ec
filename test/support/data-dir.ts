// One temporary DATA_DIR per test process, so test servers never write into the repo's ./data
// (the built-in CA keeps its key there; created once per process, then loaded). Removed on exit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;

export function testDataDir(): string {
  if (!dir) {
    const created = mkdtempSync(join(tmpdir(), 'chargegraph-test-'));
    dir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}
