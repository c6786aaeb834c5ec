// Part 4 §5.2/§8.4: the CSMS pings stations, drops peers that stop answering, and answers pings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startTestServer, SUITE_TIMEOUT, type TestServer } from '../support/server';
import { waitFor } from '../support/rpc';
import { basicAuth } from '../support/ws-client';

function connect(server: TestServer, id: string, password: string, autoPong: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.ocppUrl}/${id}`, ['ocpp2.0.1'], { headers: { authorization: basicAuth(id, password) }, autoPong });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('WebSocket keep-alive', SUITE_TIMEOUT, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OCPP_PING_INTERVAL: '1' });
  });
  after(() => server.close());

  test('a station that stops answering pings is dropped within two ping intervals', async () => {
    const password = await server.provisionStation('KA-DEAD');
    const ws = await connect(server, 'KA-DEAD', password, false);
    let pings = 0;
    ws.on('ping', () => pings++);
    const opened = Date.now();
    await new Promise((resolve) => ws.once('close', resolve));
    assert.ok(pings >= 1, 'the CSMS pinged');
    assert.ok(Date.now() - opened < 3500, `dropped after ${Date.now() - opened} ms`);
    await waitFor(() => !server.app.services.registry.isOnline('KA-DEAD'), 'station marked offline');
  });

  test('a station that answers pings stays connected, and its own pings are answered', async () => {
    const password = await server.provisionStation('KA-LIVE');
    const ws = await connect(server, 'KA-LIVE', password, true);
    let pings = 0;
    ws.on('ping', () => pings++);
    const pong = new Promise((resolve) => ws.once('pong', resolve));
    ws.ping();
    await pong;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.ok(pings >= 2, `pinged ${pings} times`);
    assert.equal(ws.readyState, WebSocket.OPEN);
    assert.equal(server.app.services.registry.isOnline('KA-LIVE'), true);
    ws.close();
  });
});
