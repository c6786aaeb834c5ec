// `npm run cli -- certs dev --out DIR`, run as a user runs it: the files, their modes, the chain,
// and the environment lines (TLS_CERT/TLS_KEY lists, CA_CERT/CA_KEY); a second run reuses the CA.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'chargegraph-certs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): string {
  // No database is touched: DATA_DIR points nowhere useful on purpose.
  return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATA_DIR: join(dir, 'no-db'), CSMS_ORGANIZATION: 'Dev CSO' },
  });
}

test('certs dev writes a CA and RSA + ECDSA server certificates for localhost/127.0.0.1 and prints the env lines', { timeout: 60_000 }, () => {
  const out = join(dir, 'certs');
  const output = cli('certs', 'dev', '--out', out);
  const env = Object.fromEntries(output.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.deepEqual(env, {
    TLS_CERT: `${out}/server-rsa.crt,${out}/server-ecdsa.crt`,
    TLS_KEY: `${out}/server-rsa.key,${out}/server-ecdsa.key`,
    CA_CERT: `${out}/ca.crt`,
    CA_KEY: `${out}/ca.key`,
    CSMS_ORGANIZATION: 'Dev CSO',
  });
  for (const key of ['ca.key', 'server-rsa.key', 'server-ecdsa.key']) assert.equal(statSync(join(out, key)).mode & 0o777, 0o600, key);
  const verify = execFileSync('openssl', ['verify', '-CAfile', join(out, 'ca.crt'), join(out, 'server-rsa.crt'), join(out, 'server-ecdsa.crt')], { encoding: 'utf8' });
  assert.match(verify, /server-rsa\.crt: OK\n.*server-ecdsa\.crt: OK/s);
  const rsa = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'subjectAltName', '-in', join(out, 'server-rsa.crt')], { encoding: 'utf8' });
  assert.match(rsa, /CN ?= ?localhost, O ?= ?Dev CSO/);
  assert.match(rsa, /DNS:localhost, IP Address:127\.0\.0\.1/);
  assert.match(execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(out, 'server-ecdsa.crt')], { encoding: 'utf8' }), /prime256v1/);

  const ca = readFileSync(join(out, 'ca.crt'), 'utf8');
  assert.match(cli('certs', 'dev', '--out', out), /^reused CA/);
  assert.equal(readFileSync(join(out, 'ca.crt'), 'utf8'), ca, 'a second run keeps the CA (station certificates stay valid)');
});

test('certs without --out prints the usage and exits 2', () => {
  assert.throws(() => cli('certs', 'dev'), (err: { status?: number; stdout?: string }) => err.status === 2 && /certs dev --out DIR/.test(err.stdout ?? ''));
});
