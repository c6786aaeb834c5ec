// The built-in CA (A02/A03): created once under DATA_DIR/ca (key 0600) or loaded from CA_CERT/CA_KEY,
// issuing certificates that openssl verifies, with backdated notBefore and random positive serials.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { createCaMaterial } from '../../src/blocks/security/ca-store';
import { InvalidCsrError, loadOrCreateCertificateAuthority, NOT_BEFORE_SKEW_MS } from '../../src/blocks/security/certificate-authority';
import { x509 } from '../../src/blocks/security/x509';
import { ConfigError, loadConfig } from '../../src/config';

const dir = mkdtempSync(join(tmpdir(), 'chargegraph-ca-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = pino({ level: 'silent' });
const config = (sub: string, extra: Record<string, string> = {}) => loadConfig({ DATA_DIR: join(dir, sub), CSMS_ORGANIZATION: 'CA Test CSO', ...extra });

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], ...(input !== undefined && { input }) });
}

describe('built-in CA: creation and loading', () => {
  test('first start creates DATA_DIR/ca/ca.crt and ca.key (0600); the next start loads the same CA', async () => {
    const first = await loadOrCreateCertificateAuthority(config('a'), log);
    const keyPath = join(dir, 'a', 'ca', 'ca.key');
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'a', 'ca', 'ca.crt'), 'utf8'), first.certificatePem);
    const second = await loadOrCreateCertificateAuthority(config('a'), log);
    assert.equal(second.certificatePem, first.certificatePem);
    const ca = new x509.X509Certificate(first.certificatePem);
    assert.equal(ca.subject, 'CN=CA Test CSO Station CA, O=CA Test CSO');
    assert.equal(ca.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    const usages = ca.getExtension(x509.KeyUsagesExtension)!.usages;
    assert.equal(usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  });

  test('concurrent first starts on one DATA_DIR end with one CA whose key matches its certificate', async () => {
    const cas = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateCertificateAuthority(config('race'), log)));
    const onDisk = await loadOrCreateCertificateAuthority(config('race'), log);
    assert.ok(cas.every((ca) => ca.certificatePem === onDisk.certificatePem), 'every start uses the CA on disk');
    const issued = await onDisk.issueKeyPair({ commonName: 'after-race', keyType: 'ecdsa', usage: 'client', validityDays: 1 });
    assert.ok(await new x509.X509Certificate(issued.pem).verify({ publicKey: new x509.X509Certificate(onDisk.certificatePem).publicKey, signatureOnly: true }));
  });

  test('an in-memory DATA_DIR (memory://) gets a CA for this run only, written nowhere', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const first = await loadOrCreateCertificateAuthority(loadConfig({ DATA_DIR: 'memory://' }), log);
      const second = await loadOrCreateCertificateAuthority(loadConfig({ DATA_DIR: 'memory://' }), log);
      assert.notEqual(second.certificatePem, first.certificatePem);
      assert.equal(existsSync(join(dir, 'memory:')), false, 'nothing written under ./memory:');
      assert.equal(loadConfig({ DATA_DIR: 'memory://' }).filesDir.startsWith(tmpdir()), true, 'files go to a temporary directory');
    } finally {
      process.chdir(cwd);
    }
  });

  test('CA_CERT/CA_KEY are used when set; a key of another CA or only one of the two is refused', async () => {
    const material = await createCaMaterial('Loaded CSO');
    const other = await createCaMaterial('Other CSO');
    writeFileSync(join(dir, 'ca.crt'), material.certificatePem);
    writeFileSync(join(dir, 'ca.key'), material.keyPem);
    writeFileSync(join(dir, 'other.key'), other.keyPem);
    const loaded = await loadOrCreateCertificateAuthority(config('b', { CA_CERT: join(dir, 'ca.crt'), CA_KEY: join(dir, 'ca.key') }), log);
    assert.equal(loaded.certificatePem, material.certificatePem);
    await assert.rejects(loadOrCreateCertificateAuthority(config('b', { CA_CERT: join(dir, 'ca.crt'), CA_KEY: join(dir, 'other.key') }), log), /does not match/);
    assert.throws(() => config('b', { CA_CERT: join(dir, 'ca.crt') }), ConfigError);
    // A half-present DATA_DIR CA is an error, never silently replaced.
    await loadOrCreateCertificateAuthority(config('c'), log);
    unlinkSync(join(dir, 'c', 'ca', 'ca.crt'));
    await assert.rejects(loadOrCreateCertificateAuthority(config('c'), log), /only one of ca.crt and ca.key/);
  });
});

describe('built-in CA: issuing', () => {
  test('issueKeyPair: RSA and ECDSA server certificates for localhost/127.0.0.1 that openssl verifies', async () => {
    const ca = await loadOrCreateCertificateAuthority(config('a'), log);
    writeFileSync(join(dir, 'root.pem'), ca.certificatePem);
    for (const keyType of ['rsa', 'ecdsa'] as const) {
      const issued = await ca.issueKeyPair({ commonName: 'localhost', organization: 'CA Test CSO', altNames: ['localhost', '127.0.0.1'], keyType, usage: 'server', validityDays: 7 });
      writeFileSync(join(dir, `${keyType}.pem`), issued.pem);
      assert.match(openssl(['verify', '-CAfile', join(dir, 'root.pem'), join(dir, `${keyType}.pem`)]), /OK/);
      assert.match(openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', join(dir, `${keyType}.pem`)]), /DNS:localhost, IP Address:127\.0\.0\.1/);
      assert.match(openssl(['pkey', '-noout', '-text'], issued.keyPem), keyType === 'rsa' ? /2048 bit/ : /prime256v1|P-256/);
      assert.equal(issued.subject, 'CN=localhost, O=CA Test CSO');
      assert.ok(issued.notBefore.getTime() <= Date.now() - NOT_BEFORE_SKEW_MS + 2000, 'notBefore backdated for clock skew');
    }
  });

  test('serial numbers are random, positive and distinct', async () => {
    const ca = await loadOrCreateCertificateAuthority(config('a'), log);
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const issued = await ca.issueKeyPair({ commonName: `S-${i}`, keyType: 'ecdsa', usage: 'client', validityDays: 1 });
      assert.ok(Number.parseInt(issued.serialNumber.slice(0, 2), 16) < 0x80, 'high bit clear: positive');
      serials.add(issued.serialNumber);
    }
    assert.equal(serials.size, 5);
  });

  test('signCsr signs an openssl CSR with its subject and the requested validity; junk is InvalidCsrError', async () => {
    const ca = await loadOrCreateCertificateAuthority(config('a'), log);
    const keyPath = join(dir, 'csr.key');
    const csr = openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', '/CN=CS-OPENSSL/O=CA Test CSO']);
    const issued = await ca.signCsr(csr, { validityDays: 30, usage: 'client' });
    assert.equal(issued.subject, 'CN=CS-OPENSSL, O=CA Test CSO');
    const days = (issued.notAfter.getTime() - issued.notBefore.getTime() - NOT_BEFORE_SKEW_MS) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.01);
    writeFileSync(join(dir, 'leaf.pem'), issued.pem);
    assert.match(openssl(['verify', '-CAfile', join(dir, 'root.pem'), join(dir, 'leaf.pem')]), /OK/);
    await assert.rejects(ca.signCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----', { validityDays: 1, usage: 'client' }), InvalidCsrError);
  });
});
