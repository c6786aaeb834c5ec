// Simulator connection options for profiles 2 and 3: --ca/--cert/--key and the profile they imply.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseCli } from '../../src/cli/simulator/cli-options';
import { securityProfileOf } from '../../src/cli/simulator/open-socket';
import { createTestPki, type TestPki } from '../support/tls';

let pki: TestPki;
before(async () => {
  pki = await createTestPki();
});
after(() => pki?.remove());

describe('simulator TLS options (A00 profiles 2/3)', () => {
  test('--ca alone: profile 2 over wss, Basic auth kept', () => {
    const plan = parseCli(['--url', 'wss://127.0.0.1:8443/ocpp', '--ca', pki.paths.caCert, '--password', 'secret-0123456789'], {})!;
    assert.equal(plan.station.tls?.ca, pki.caPem);
    assert.equal(plan.station.tls?.cert, undefined);
    assert.equal(securityProfileOf(plan.station), 2);
  });

  test('--cert and --key: profile 3', () => {
    const plan = parseCli(['--url', 'wss://127.0.0.1:8443/ocpp', '--ca', pki.paths.caCert, '--cert', pki.paths.ecdsaCert, '--key', pki.paths.ecdsaKey], {})!;
    assert.match(plan.station.tls?.cert ?? '', /BEGIN CERTIFICATE/);
    assert.match(plan.station.tls?.key ?? '', /PRIVATE KEY/);
    assert.equal(securityProfileOf(plan.station), 3);
  });

  test('ws:// stays profile 1; --cert without --key and unreadable files are refused', () => {
    assert.equal(securityProfileOf({ url: 'ws://127.0.0.1:8080/ocpp' }), 1);
    assert.throws(() => parseCli(['--cert', pki.paths.ecdsaCert], {}), /--cert and --key/);
    assert.throws(() => parseCli(['--ca', '/no/such/file.pem'], {}), /--ca: cannot read/);
  });
});
