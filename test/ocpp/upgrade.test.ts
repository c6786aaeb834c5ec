// Part4 §3 / Part2 A00: what the CSMS checks before it answers 101 — subprotocol, identity,
// Basic credentials — and what the 101 carries (subprotocol, permessage-deflate).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../support/rpc';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { attemptUpgrade, basicAuth, closeRaw, type AttemptOptions, type UpgradeOutcome } from '../support/ws-client';

let server: TestServer;
let password: string;
const ID = 'UPGRADE-1';

before(async () => {
  server = await startTestServer();
  password = await server.provisionStation(ID);
});
after(() => server?.close());

async function attempt(path: string, options: AttemptOptions = {}): Promise<UpgradeOutcome> {
  const outcome = await attemptUpgrade(`${server.ocppUrl}/${path}`, options);
  if (outcome.upgraded) await closeRaw(outcome.ws);
  return outcome;
}

const auth = (user = ID, pw = password) => ({ Authorization: basicAuth(user, pw) });

function assertRefused(outcome: UpgradeOutcome, status: number): void {
  assert.equal(outcome.upgraded, false, `expected HTTP ${status}, got a 101`);
  assert.equal(outcome.status, status);
}

describe('subprotocol negotiation (Part4 §3.1.2, TC_B_58_CSMS)', SUITE_TIMEOUT, () => {
  test('SPEC-NOTES §1.2: no Sec-WebSocket-Protocol header → HTTP 400, no 101', async () => {
    assertRefused(await attempt(ID, { protocols: [], headers: auth() }), 400);
  });

  test('TC_B_58_CSMS: only ocpp1.6 offered → HTTP 400, no 101', async () => {
    assertRefused(await attempt(ID, { protocols: ['ocpp1.6'], headers: auth() }), 400);
  });

  test('TC_B_58_CSMS: ocpp0.1,ocpp2.0.1 offered → 101 with exactly ocpp2.0.1', async () => {
    const outcome = await attempt(ID, { protocols: ['ocpp0.1', 'ocpp2.0.1'], headers: auth() });
    assert.ok(outcome.upgraded);
    assert.equal(outcome.protocol, 'ocpp2.0.1');
    assert.equal(outcome.headers['sec-websocket-protocol'], 'ocpp2.0.1');
  });
});

describe('station identity and Basic auth (Part4 §3.1.1, A00.FR.203/204/207)', SUITE_TIMEOUT, () => {
  test('Part4 §3.2: unknown station identity → HTTP 404', async () => {
    assertRefused(await attempt('NO-SUCH-STATION', { headers: auth('NO-SUCH-STATION', password) }), 404);
  });

  test('A00.FR.203: missing Authorization → 401 with WWW-Authenticate Basic', async () => {
    const outcome = await attempt(ID);
    assertRefused(outcome, 401);
    assert.match(String(outcome.headers['www-authenticate']), /^Basic\b/i);
  });

  test('A00.FR.207: wrong password → 401 with WWW-Authenticate Basic', async () => {
    const outcome = await attempt(ID, { headers: auth(ID, `${password}x`) });
    assertRefused(outcome, 401);
    assert.match(String(outcome.headers['www-authenticate']), /^Basic\b/i);
  });

  test('A00.FR.204: username ≠ URL identity (even with that user\'s right password) → 401', async () => {
    const otherPassword = await server.provisionStation('UPGRADE-OTHER');
    const outcome = await attempt(ID, { headers: auth('UPGRADE-OTHER', otherPassword) });
    assertRefused(outcome, 401);
    assert.match(String(outcome.headers['www-authenticate']), /^Basic\b/i);
  });

  test('A00.FR.205 (errata 2025-01): password with ":" and non-ASCII UTF-8 is accepted', async () => {
    const pw = 'pä:ss:wörd-€-日本-ünïcødé';
    await server.provisionStation('UPGRADE-UTF8', { password: pw });
    const outcome = await attempt('UPGRADE-UTF8', { headers: auth('UPGRADE-UTF8', pw) });
    assert.ok(outcome.upgraded, `status ${outcome.status}`);
    // Splitting at the last colon, or latin1 decoding, would break this: a near miss is refused.
    assertRefused(await attempt('UPGRADE-UTF8', { headers: auth('UPGRADE-UTF8', pw.replace('ä', 'a')) }), 401);
  });

  test('Part4 §3.1.1 (errata 2025-01): percent-encoded identity in the path is decoded', async () => {
    const id = 'CS+1|A@B=C';
    const pw = await server.provisionStation(id);
    const path = 'CS%2B1%7CA%40B%3DC';
    assert.equal(decodeURIComponent(path), id);
    const outcome = await attempt(path, { headers: auth(id, pw) });
    assert.ok(outcome.upgraded, `status ${outcome.status}`);
  });

  test('Part4 §3.1.1: identity is case-insensitive (URL and username)', async () => {
    const pw = await server.provisionStation('CaseStation-1');
    const outcome = await attemptUpgrade(`${server.ocppUrl}/casestation-1`, { headers: auth('CASESTATION-1', pw) });
    assert.ok(outcome.upgraded, `status ${outcome.status}`);
    try {
      // The session is registered under the provisioned spelling.
      await waitFor(() => server.app.services.registry.isOnline('CaseStation-1'), 'the session under CaseStation-1');
    } finally {
      await closeRaw(outcome.ws);
    }
  });
});

describe('compression (Part4 §3.3, errata 2025-01)', SUITE_TIMEOUT, () => {
  test('Part4 §3.3: permessage-deflate is negotiated when offered', async () => {
    const outcome = await attempt(ID, { headers: auth() });
    assert.ok(outcome.upgraded);
    assert.match(outcome.extensions, /permessage-deflate/);
    assert.match(String(outcome.headers['sec-websocket-extensions']), /permessage-deflate/);
  });

  test('Part4 §3.3: a station that does not offer compression still connects uncompressed', async () => {
    const outcome = await attempt(ID, { headers: auth(), perMessageDeflate: false });
    assert.ok(outcome.upgraded);
    assert.equal(outcome.extensions, '');
  });
});
