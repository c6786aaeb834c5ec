// Half-open and idle connections (issue 5 §4): a TCP connection that never completes an HTTP request
// or upgrade is closed (IDLE_CONNECTION_TIMEOUT_MS, default 10 s; shortened here). Upgraded station
// sockets and finished requests are left alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { LISTEN_BACKLOG } from '../../src/http/listeners';
import { bootedStation, startTestServer, type TestServer } from '../support/server';
import { createTestPki, type TestPki } from '../support/tls';

function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent before it closed the connection. */
function closedByServer(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

describe('idle and half-open connections', { timeout: 60_000 }, () => {
  let server: TestServer;
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki();
    server = await startTestServer({ ...pki.env, IDLE_CONNECTION_TIMEOUT_MS: '500', OCPP_PING_INTERVAL: '0' });
  });
  after(async () => {
    await server.close();
    pki.remove();
  });

  test('a TCP connection that never sends anything is closed', async () => {
    const socket = await openTcp(server.port!);
    assert.equal(await closedByServer(socket), '');
  });

  test('a malformed request is answered 400 and closed', async () => {
    const socket = await openTcp(server.port!);
    const closed = closedByServer(socket);
    socket.write('NOT AN HTTP REQUEST\r\n\r\n');
    assert.match(await closed, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  test('a connection that trickles an incomplete upgrade request is closed', async () => {
    const socket = await openTcp(server.port!);
    const closed = closedByServer(socket);
    socket.write('GET /ocpp/IDLE-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
    await closed;
    clearInterval(trickle);
  });

  test('TLS listener: a connection that completes the handshake and then sends nothing is closed', async () => {
    const socket = tlsConnect({ port: server.tlsPort!, host: '127.0.0.1', ca: pki.caPem, servername: 'localhost', checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    assert.equal(await closedByServer(socket as unknown as Socket), '');
  });

  test('a request that arrived while the server was busy past the timeout is answered, not cut off', async () => {
    const socket = await openTcp(server.port!);
    await new Promise((resolve) => setTimeout(resolve, 50)); // accepted: the server's timer is running
    const answer = closedByServer(socket);
    // In the check phase, so the next turn of the loop starts with the (then expired) timers, before it
    // reads sockets. The server shares this thread: it cannot read while this runs.
    setImmediate(() => {
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const busyUntil = Date.now() + 800;
      while (Date.now() < busyUntil);
    });
    assert.match(await answer, /^HTTP\/1\.1 200/);
  });

  test('boot storms: both listeners queue as many unaccepted connections as the kernel allows (not Node\'s 511)', (t) => {
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    const listing = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' });
    if (listing.error || somaxconn <= 511) return t.skip('needs Linux ss and net.core.somaxconn above 511');
    // A listening socket's Send-Q is its backlog.
    const backlogOf = (port: number) => listing.stdout.split('\n').map((line) => line.trim().split(/\s+/))
      .find((cols) => cols[3]?.endsWith(`:${port}`))?.[2];
    assert.equal(backlogOf(server.port!), String(Math.min(somaxconn, LISTEN_BACKLOG)));
    assert.equal(backlogOf(server.tlsPort!), String(Math.min(somaxconn, LISTEN_BACKLOG)));
  });

  test('an upgraded station and a keep-alive HTTP client are not cut off', async () => {
    const station = await bootedStation(server, 'IDLE-OK');
    const health = await fetch(`${server.httpUrl}/health`);
    assert.equal(health.status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(station.isOpen, true, 'station socket still open after three idle timeouts');
    const heartbeat = await station.call('Heartbeat', {});
    assert.equal(typeof heartbeat.currentTime, 'string');
    await station.close();
  });
});
