// A00 TLS listener (SPEC-NOTES §2.3): TLS ≥ 1.2, the four mandatory suites, no CBC, the same routes
// as the plain server, certificates reloaded without a restart, and the plain port turned off.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';
import { waitUntil } from '../support/graphql-client';
import { attemptUpgrade, closeRaw } from '../support/ws-client';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { createTestPki, tlsHandshake, type TestPki } from '../support/tls';

const MANDATORY = [
  ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  ['AES256-GCM-SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
] as const;

function httpsGet(url: string, ca: string, post?: { body: string; headers: Record<string, string> }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method: post ? 'POST' : 'GET', headers: post?.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(post?.body);
  });
}

describe('TLS listener: versions and cipher suites (A00.FR.313–322)', SUITE_TIMEOUT, () => {
  let pki: TestPki;
  let server: TestServer;
  before(async () => {
    pki = await createTestPki();
    server = await startTestServer(pki.env);
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  for (const [openssl, iana] of MANDATORY) {
    test(`TC_A_04_CSMS / A00.FR.318: ${iana} negotiates over TLS 1.2 with a certificate for localhost`, async () => {
      const outcome = await tlsHandshake(server.tlsPort!, { ca: pki.caPem, ciphers: openssl, maxVersion: 'TLSv1.2' });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      assert.equal(outcome.protocol, 'TLSv1.2');
      assert.equal(outcome.cipher, iana);
      assert.equal(outcome.peerSubject, 'localhost');
      outcome.socket.end();
    });
  }

  test('ECDHE-RSA GCM (forward secrecy) and TLS 1.3 negotiate too', async () => {
    const rsa = await tlsHandshake(server.tlsPort!, { ca: pki.caPem, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', maxVersion: 'TLSv1.2' });
    assert.ok(rsa.ok && rsa.cipher === 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    rsa.socket.end();
    const tls13 = await tlsHandshake(server.tlsPort!, { ca: pki.caPem });
    assert.ok(tls13.ok && tls13.protocol === 'TLSv1.3');
    tls13.socket.end();
  });

  test('TC_A_06_CSMS / A00.FR.314/315: a client limited to TLS 1.1 is refused with protocol_version', async () => {
    const outcome = await tlsHandshake(server.tlsPort!, {
      ca: pki.caPem, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0',
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? '' : outcome.code, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  test('A00.FR.320/322: a client offering only CBC suites is refused', async () => {
    const outcome = await tlsHandshake(server.tlsPort!, {
      ca: pki.caPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:AES128-SHA:AES256-SHA256',
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? '' : outcome.code, 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  test('the TLS port serves the same routes: /health, /graphql over https and graphql-ws over wss', async () => {
    const health = await httpsGet(`${server.httpsUrl}/health`, pki.caPem);
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    const graphql = await httpsGet(`${server.httpsUrl}/graphql`, pki.caPem, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
      body: JSON.stringify({ query: '{ stations(first: 1) { edges { node { id } } } }' }),
    });
    assert.equal(graphql.status, 200);
    assert.deepEqual(JSON.parse(graphql.body).data, { stations: { edges: [] } });
    const ws = await attemptUpgrade(`${server.httpsUrl.replace('https', 'wss')}/graphql`, { protocols: ['graphql-transport-ws'], tls: { ca: pki.caPem } });
    assert.equal(ws.status, 101);
    if (ws.upgraded) await closeRaw(ws.ws);
    const missing = await httpsGet(`${server.httpsUrl}/nothing-here`, pki.caPem);
    assert.equal(missing.status, 404);
  });
});

for (const trigger of ['file watch', 'SIGHUP'] as const) describe(`TLS certificates reload without a restart (${trigger})`, SUITE_TIMEOUT, () => {
  let pki: TestPki;
  let server: TestServer;
  before(async () => {
    pki = await createTestPki();
    server = await startTestServer({ ...pki.env, TLS_RELOAD_POLL_MS: trigger === 'SIGHUP' ? '0' : '50' });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  const presented = async () => {
    const outcome = await tlsHandshake(server.tlsPort!, { ca: pki.caPem, servername: 'localhost' });
    if (!outcome.ok) throw new Error(outcome.error);
    outcome.socket.end();
    return outcome.peerSubject;
  };

  async function replacePairs(commonName: string): Promise<void> {
    const issued = await pki.ca.issueKeyPair({ commonName, altNames: ['localhost', '127.0.0.1'], keyType: 'rsa', usage: 'server', validityDays: 2 });
    const ecdsa = await pki.ca.issueKeyPair({ commonName, altNames: ['localhost', '127.0.0.1'], keyType: 'ecdsa', usage: 'server', validityDays: 2 });
    writeFileSync(pki.paths.rsaKey, issued.keyPem);
    writeFileSync(pki.paths.rsaCert, issued.pem);
    writeFileSync(pki.paths.ecdsaKey, ecdsa.keyPem);
    writeFileSync(pki.paths.ecdsaCert, ecdsa.pem);
  }

  test(`changed certificate files are picked up (${trigger})`, async () => {
    assert.equal(await presented(), 'localhost');
    await replacePairs('reloaded');
    if (trigger === 'SIGHUP') process.kill(process.pid, 'SIGHUP');
    await waitUntil(async () => (await presented()) === 'reloaded', 10_000);
  });

  test('an invalid replacement keeps the running certificates', async () => {
    writeFileSync(pki.paths.rsaCert, '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
    assert.equal(await server.app.reloadTls(), false);
    assert.equal(await presented(), 'reloaded');
    // A key that belongs to another certificate is refused as well.
    const other = await pki.ca.issueKeyPair({ commonName: 'other', keyType: 'rsa', usage: 'server', validityDays: 2 });
    writeFileSync(pki.paths.rsaCert, other.pem);
    assert.equal(await server.app.reloadTls(), false);
    assert.equal(await presented(), 'reloaded');
  });
});

describe('PLAIN_PORT_ENABLED=false: profiles 2 and 3 only', SUITE_TIMEOUT, () => {
  let pki: TestPki;
  let server: TestServer;
  before(async () => {
    pki = await createTestPki();
    server = await startTestServer({ ...pki.env, PLAIN_PORT_ENABLED: 'false' });
  });
  after(async () => {
    await server?.close();
    pki?.remove();
  });

  test('only the TLS port listens', async () => {
    assert.equal(server.app.port, undefined);
    assert.ok(server.tlsPort! > 0);
    assert.equal((await httpsGet(`${server.httpsUrl}/health`, pki.caPem)).status, 200);
  });
});

describe('TLS configuration fails fast and clearly', SUITE_TIMEOUT, () => {
  test('TLS_CERT and TLS_KEY must pair up; PLAIN_PORT_ENABLED=false needs TLS; PUBLIC_TLS_URL defaults to the TLS port', () => {
    assert.throws(() => loadConfig({ TLS_CERT: 'a.crt,b.crt', TLS_KEY: 'a.key' }), ConfigError);
    assert.throws(() => loadConfig({ PLAIN_PORT_ENABLED: 'false' }), /needs TLS_CERT/);
    assert.equal(loadConfig({ TLS_PORT: '9443' }).publicTlsUrl, 'https://localhost:9443');
    assert.equal(loadConfig({ PUBLIC_TLS_URL: 'https://csms.example.com/' }).publicTlsUrl, 'https://csms.example.com');
  });

  test('a key that does not belong to its certificate stops the start with a configuration error', async () => {
    const pki = await createTestPki();
    try {
      const env = { ...pki.env, TLS_KEY: `${pki.paths.ecdsaKey},${pki.paths.rsaKey}` };
      await assert.rejects(startTestServer(env), (err: Error) => err instanceof ConfigError && /does not belong/.test(err.message));
    } finally {
      pki.remove();
    }
  });
});
