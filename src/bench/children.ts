// The processes under test: the Chargegraph CSMS (`src/main.ts` under tsx, its own process so its
// RSS and CPU can be read apart from the load generator) and the canned-reply ceiling server.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  pid: number;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, child: ChildProcess, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  // Whatever happens to the benchmark, its children do not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanup();
        return resolve();
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        cleanup();
        resolve();
      });
      child.kill('SIGTERM');
    });
}

export interface CsmsOptions {
  databaseUrl?: string;
  adminKey: string;
  logLevel: string;
  cpuProfDir?: string;
  extraEnv?: Record<string, string>;
}

/** Starts the CSMS on 127.0.0.1:<free port> with a temporary DATA_DIR (PGlite) or the given database. */
export async function startCsms(options: CsmsOptions): Promise<Child> {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), 'chargegraph-bench-'));
  const logFile = join(work, 'csms.log');
  const out = openSync(logFile, 'a');
  const nodeArgs = ['--import', 'tsx', ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []), 'src/main.ts'];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(work, 'data'),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { DATABASE_URL: '' }),
      CSMS_ADMIN_API_KEY: options.adminKey,
      LOG_LEVEL: options.logLevel,
      NODE_ENV: 'production',
      // Free charging, so transactions of benchmark tokens are Accepted without provisioning tokens.
      UNKNOWN_ID_TOKEN_POLICY: 'accept',
      // Lets provisioning send many createStation mutations in one request.
      GRAPHQL_MAX_ALIASES: '100',
      GRAPHQL_MAX_COST: '100000',
      GRAPHQL_MAX_TOKENS: '100000',
      ...options.extraEnv,
    },
  });
  closeSync(out);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, child, 'the CSMS', 120_000);
  return { pid: child.pid!, port, logFile, stop: stopper(child, () => rmSync(join(work, 'data'), { recursive: true, force: true })) };
}

/** Starts the canned-reply server: the same `ws` stack, no behaviour, no storage. */
export async function startCanned(): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./canned-server.ts', import.meta.url))], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port) },
  });
  let ready = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) ready = true;
  });
  const probe = async () => ready;
  await waitFor(probe, child, 'the canned-reply server', 30_000);
  return { pid: child.pid!, port, logFile: '', stop: stopper(child, () => {}) };
}
