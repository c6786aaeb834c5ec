// One fresh, migrated database per caller. Default: in-memory PGlite loaded from a cached dump of
// a migrated template (one load instead of initdb + every migration). With TEST_DATABASE_URL: a
// scratch PostgreSQL database `cg_test_<random>`, dropped on close.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { databaseOverPglite, migrationsFolder, openDatabase, type Database } from '../../src/db/client';

export async function openTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL?.trim();
  return url ? openScratchPostgres(url) : openPgliteFromTemplate();
}

// ---- PGlite ---------------------------------------------------------------------------------

/** The installed PGlite version (its package.json is not exported, so walk up from the entry). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return String(pkg.version);
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Hash of everything that shapes the template: migration SQL, journal, PGlite version. */
function templateKey(): string {
  const hash = createHash('sha256');
  const sqlFiles = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort();
  for (const file of [...sqlFiles, join('meta', '_journal.json')]) {
    hash.update(file).update('\0').update(readFileSync(join(migrationsFolder, file))).update('\0');
  }
  hash.update(pgliteVersion());
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(file: string): Promise<Buffer> {
  const client = await PGlite.create();
  const database = await databaseOverPglite(client);
  const dump = await client.dumpDataDir('none');
  const bytes = Buffer.from(await dump.arrayBuffer());
  await database.close();
  // Atomic publish: parallel test processes may build at the same time; each renames a whole file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, bytes);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  removeStaleTemplates(file);
  return bytes;
}

/** Templates of older migration sets are 40 MB each; drop those untouched for an hour. */
function removeStaleTemplates(current: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(TEMPLATE_PREFIX) || path === current) continue;
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
    } catch {
      // another process removed it first
    }
  }
}

const TEMPLATE_PREFIX = 'chargegraph-pglite-template-';
let template: Promise<Buffer> | undefined;

function templateBytes(): Promise<Buffer> {
  return (template ??= (async () => {
    const file = join(tmpdir(), `${TEMPLATE_PREFIX}${templateKey()}.tar`);
    try {
      return await readFile(file);
    } catch {
      return buildTemplate(file);
    }
  })());
}

async function openPgliteFromTemplate(): Promise<Database> {
  const bytes = await templateBytes();
  const client = await PGlite.create({ loadDataDir: new Blob([bytes]) });
  return databaseOverPglite(client);
}

// ---- PostgreSQL -----------------------------------------------------------------------------

/** Creates an empty database on the server of `serverUrl`; `drop` removes it (connections forced off). */
export async function createScratchPostgres(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const drop = async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  };
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } catch (err) {
    await admin.end({ timeout: 5 });
    throw err;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}

async function openScratchPostgres(serverUrl: string): Promise<Database> {
  const { url, drop } = await createScratchPostgres(serverUrl);
  let inner: Database;
  try {
    inner = await openDatabase({ databaseUrl: url, maxConnections: 4 });
  } catch (err) {
    await drop();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    ...inner,
    close: () =>
      (closing ??= (async () => {
        try {
          await inner.close();
        } finally {
          await drop();
        }
      })()),
  };
}
