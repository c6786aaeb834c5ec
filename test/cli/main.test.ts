// The real entry point as a user runs it: fails fast on bad configuration, shuts down cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('start-up and shutdown of npm start', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chargegraph-main-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an unparsable PORT fails fast with one clear line and exit code 1', async () => {
    const { exited, stderr } = run({ PORT: 'eighty', DATA_DIR: join(dir, 'a') });
    assert.equal(await exited, 1);
    assert.equal(stderr().trim(), "chargegraph: configuration error: PORT must be an integer between 0 and 65535, got 'eighty'");
  });

  test('an unreachable database fails fast with one line', async () => {
    const { exited, stderr } = run({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    assert.equal(await exited, 1);
    assert.match(stderr().trim(), /^chargegraph: cannot reach the database \(ECONNREFUSED\)/);
    assert.equal(stderr().trim().split('\n').length, 1);
  });

  test('a port in use fails with one line, and SIGTERM shuts a running server down cleanly', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'b');
    const server = run({ PORT: String(port), DATA_DIR: dataDir });
    let up = false;
    for (let i = 0; i < 240 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(up, 'server answered /health');
    const second = run({ PORT: String(port), DATA_DIR: join(dir, 'c') });
    assert.equal(await second.exited, 1);
    assert.equal(second.stderr().trim(), `chargegraph: cannot listen: port ${port} is already in use`);

    const started = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.ok(Date.now() - started < 5000, 'exited within 5 s');
    assert.equal(existsSync(join(dataDir, 'chargegraph.lock')), false, 'the PGlite lock is released');
  });
});

