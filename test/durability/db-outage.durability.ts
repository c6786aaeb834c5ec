// Database unreachable during load (issue 5 §4), PostgreSQL only: a TCP proxy between the real
// server and PostgreSQL is cut twice — connections reset and refused, then a black hole that
// answers nothing. Meanwhile messages that need the database get CALLERROR InternalError (never a
// CALLRESULT for something not stored, SPEC-NOTES §1.7), Heartbeats are still answered, the process
// neither crashes nor piles up connections, and it recovers by itself once the proxy forwards again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type WebSocket from 'ws';
import { DEFAULT_DATABASE_POOL_MAX } from '../../src/config';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { createScratchPostgres } from '../support/database';
import { startTcpProxy, type CutMode, type TcpProxy } from '../support/tcp-proxy';
import { newTxId, txEvent } from '../support/transaction-events';
import { driveSessions, provisionStations, RecordingStation, storedEvents, waitFor } from '../support/tx-load';
import { attemptUpgrade, basicAuth, nextMessages, openRaw } from '../support/ws-client';

const PG = process.env.TEST_DATABASE_URL?.trim();
/** Each of the two pools (single statements, transactions) holds at most DATABASE_POOL_MAX's default. */
const POOL_MAX = DEFAULT_DATABASE_POOL_MAX;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw station that sends one CALL at a time and returns the CSMS's answer frame. */
function prober(ws: WebSocket) {
  let n = 0;
  return async (action: string, payload: object, timeoutMs = 30_000): Promise<unknown[]> => {
    const id = `probe-${++n}`;
    const answer = nextMessages(ws, 1, timeoutMs);
    ws.send(JSON.stringify([2, id, action, payload]));
    const [frame] = await answer.catch((err: Error) => {
      throw new Error(`${action}: ${err.message}`);
    });
    assert.equal(frame![1], id);
    return frame!;
  };
}

describe('database unreachable during load (PostgreSQL)', {
  timeout: 240_000,
  skip: PG ? false : 'PostgreSQL only: set TEST_DATABASE_URL (the outage is a cut TCP proxy in front of the database; PGlite is in-process)',
}, () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  });

  test('InternalError for writes, Heartbeats answered, no crash or leak, recovery on its own', async (t) => {
    let server: ChildServer | undefined;
    t.after(() => {
      if (process.env.DEBUG_OUTAGE) process.stderr.write(server?.output() ?? '');
    });
    const scratch = await createScratchPostgres(PG!);
    cleanups.push(() => scratch.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'chargegraph-outage-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const ids = ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-PROBE'];
    const passwords = await provisionStations({ databaseUrl: scratch.url }, ids);
    const proxy: TcpProxy = await startTcpProxy(scratch.url);
    cleanups.push(() => proxy.close());
    server = await startChildServer(await freePort(), {
      DATA_DIR: dataDir, DATABASE_URL: proxy.urlThrough(scratch.url), UNKNOWN_ID_TOKEN_POLICY: 'accept',
      REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'false', DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '1500', DB_RESPONSE_TIMEOUT_MS: '2000',
    });
    const child = server.child;
    let stopping = false;
    const running = server;
    void running.exited.then(({ code, signal }) => {
      if (!stopping) process.stderr.write(`server exited unexpectedly (${code ?? signal}):\n${running.output()}\n`);
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));

    const stations = ids.slice(0, 3).map((id) => new RecordingStation({
      url: server.ocppUrl, id, password: passwords.get(id)!, evses: 2, autoReconnect: true, callTimeoutMs: 15_000, retryDelayMs: 300, meterIntervalMs: 200,
    }));
    cleanups.push(() => Promise.all(stations.map((s) => s.close())));
    for (const station of stations) await station.start();
    const loads = stations.map((s) => driveSessions(s, 2, [300, 900]));
    const probeWs = await openRaw(`${server.ocppUrl}/OUT-PROBE`, { headers: { authorization: basicAuth('OUT-PROBE', passwords.get('OUT-PROBE')!) } });
    cleanups.push(() => probeWs.terminate());
    const probe = prober(probeWs);
    const boot = await probe('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    assert.equal((boot[2] as { status: string }).status, 'Accepted');
    const probeTx = newTxId('probe');
    let seqNo = 0;
    const probeAnswered: string[] = [];
    const probeEvent = async () => {
      const event = txEvent(seqNo === 0 ? 'Started' : 'Updated', probeTx, { seqNo: seqNo++, evse: { id: 1, connectorId: 1 }, chargingState: 'Charging' });
      const frame = await probe('TransactionEvent', event);
      if (frame[0] === 3) probeAnswered.push(`${probeTx}/${event.seqNo}`);
      return frame;
    };
    assert.equal((await probeEvent())[0], 3, 'stored while the database is up');
    await waitFor(() => stations.every((s) => s.answered.size >= 5), 'load running');

    for (const mode of ['reset', 'blackhole'] as CutMode[]) {
      proxy.cut(mode);
      const heartbeat = await probe('Heartbeat', {});
      assert.equal(heartbeat[0], 3, `${mode}: Heartbeat answered`);
      const refused = await probeEvent();
      assert.deepEqual([refused[0], refused[2]], [4, 'InternalError'], `${mode}: TransactionEvent refused: ${JSON.stringify(refused)}`);
      if (mode === 'reset') {
        // Credentials cannot be checked: a new connection is told to come back later, not that it failed.
        const upgrade = await attemptUpgrade(`${server.ocppUrl}/OUT-PROBE`, { headers: { authorization: basicAuth('OUT-PROBE', passwords.get('OUT-PROBE')!) }, timeoutMs: 10_000 });
        assert.equal(upgrade.status, 503, `${mode}: a new connection gets 503: ${JSON.stringify(upgrade)}`);
      }
      await sleep(1500);
      assert.equal((await probe('Heartbeat', {}))[0], 3, `${mode}: Heartbeat still answered`);
      assert.equal(server.child.exitCode, null, `${mode}: the server is still running`);

      proxy.restore();
      let recovered = false;
      for (let i = 0; i < 60 && !recovered; i++) {
        recovered = (await probeEvent())[0] === 3;
        if (!recovered) await sleep(500);
      }
      assert.ok(recovered, `${mode}: TransactionEvents stored again without a restart`);
      t.diagnostic(`${mode}: recovered`);
    }

    await Promise.all(loads.map((l) => l.stop()));
    await waitFor(() => stations.every((s) => s.settled), 'every TransactionEvent answered after recovery', 90_000);
    assert.ok(proxy.connections <= 2 * POOL_MAX, `at most the two pools' ${2 * POOL_MAX} database connections, got ${proxy.connections}`);
    const again = await openRaw(`${server.ocppUrl}/OUT-PROBE`, { headers: { authorization: basicAuth('OUT-PROBE', passwords.get('OUT-PROBE')!) } });
    again.terminate();

    const errors = stations.flatMap((s) => s.callErrors);
    assert.ok(errors.length > 0, 'the load felt the outage');
    assert.deepEqual([...new Set(errors.map((e) => e.code))], ['InternalError'], 'every refusal is InternalError');
    await Promise.all(stations.map((s) => s.close()));
    stopping = true;
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, server.output());

    const stored = await storedEvents({ databaseUrl: scratch.url });
    const answered = [...stations.flatMap((s) => [...s.answered]), ...probeAnswered];
    assert.deepEqual(answered.filter((key) => !stored.has(key)), [], 'answered with a CALLRESULT but not stored');
    assert.deepEqual([...stored].filter(([, n]) => n !== 1), [], 'each event stored once');
    t.diagnostic(`${answered.length} events answered, ${errors.length} InternalErrors to the load stations`);
  });
});
