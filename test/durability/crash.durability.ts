// Crash safety (issue 5 §4): the real server is killed with SIGKILL in the middle of a
// transaction-heavy load and restarted on the same data. Every TransactionEvent it answered must be
// stored ("never acknowledge what is not stored", SPEC-NOTES §1.7 InternalError), and the events
// the stations send again after reconnecting (E12/E13: same seqNo) must be stored exactly once.
// Runs on PGlite (a data directory) and, with TEST_DATABASE_URL, on PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { freshStorage, type FaultStorage } from '../support/fault-storage';
import { driveSessions, provisionStations, RecordingStation, storedEvents, waitFor } from '../support/tx-load';

const STATIONS = 5;
const EVSES = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('crash safety: SIGKILL under load, restart on the same data', { timeout: 240_000 }, () => {
  let storage: FaultStorage | undefined;
  let server: ChildServer | undefined;
  const stations: RecordingStation[] = [];
  after(async () => {
    await Promise.all(stations.map((s) => s.close().catch(() => {})));
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await storage?.drop();
  });

  test('E12/E13: every answered TransactionEvent survives SIGKILL; retried ones are stored exactly once', async (t) => {
    storage = await freshStorage('crash');
    const ids = Array.from({ length: STATIONS }, (_, i) => `CRASH-${i + 1}`);
    const passwords = await provisionStations(storage.storage, ids);
    const port = await freePort();
    const env = { ...storage.env, UNKNOWN_ID_TOKEN_POLICY: 'accept', REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'false' };
    server = await startChildServer(port, env);

    for (const id of ids) {
      const station: RecordingStation = new RecordingStation({
        url: server.ocppUrl, id, password: passwords.get(id)!, evses: EVSES,
        autoReconnect: true, callTimeoutMs: 10_000, retryDelayMs: 200, meterIntervalMs: 150,
      });
      stations.push(station);
      const boot: { status?: string } = await station.start();
      assert.equal(boot.status, 'Accepted');
    }
    const loads = stations.map((s) => driveSessions(s, EVSES, [300, 1000]));
    const answeredCount = () => stations.reduce((n, s) => n + s.answered.size, 0);
    await waitFor(() => answeredCount() >= 60, '60 answered TransactionEvents before the kill');
    // Freeze the server mid-load (it may have stored an event and not yet answered it), let the
    // stations' next TransactionEvents reach its socket unanswered, then kill it.
    server.child.kill('SIGSTOP');
    await waitFor(() => stations.filter((s) => s.inFlightEvents > 0).length >= 2, 'TransactionEvents in flight');
    await sleep(200);
    server.child.kill('SIGKILL');
    const killed = await server.exited;
    assert.equal(killed.signal, 'SIGKILL');
    const answeredBeforeKill = new Set(stations.flatMap((s) => [...s.answered]));

    // Same port, same data: the stations reconnect by themselves and send what is unanswered.
    server = await startChildServer(port, env);
    await waitFor(() => stations.every((s) => s.online), 'every station reconnected', 90_000);
    const afterRestart = answeredCount();
    await waitFor(() => answeredCount() >= afterRestart + 20, 'load continuing after the restart');
    await Promise.all(loads.map((l) => l.stop()));
    await waitFor(() => stations.every((s) => s.settled), 'every TransactionEvent answered', 90_000);
    await Promise.all(stations.map((s) => s.close()));
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, server.output());

    const stored = await storedEvents(storage.storage);
    const lost = [...answeredBeforeKill].filter((key) => !stored.has(key));
    assert.deepEqual(lost, [], 'answered before SIGKILL but not stored');

    const sent = new Map(stations.flatMap((s) => [...s.attempts]));
    const answered = new Set(stations.flatMap((s) => [...s.answered]));
    const unanswered = [...sent.keys()].filter((key) => !answered.has(key));
    assert.deepEqual(unanswered, [], 'every event a station made was answered in the end');
    for (const key of sent.keys()) assert.equal(stored.get(key), 1, `${key} stored exactly once`);
    assert.equal(stored.size, sent.size, 'nothing stored that no station sent');

    const retried = [...sent].filter(([, attempts]) => attempts > 1).map(([key]) => key);
    assert.ok(retried.length > 0, 'the kill left TransactionEvents to retry');
    for (const key of retried) assert.equal(stored.get(key), 1, `retried ${key} stored once`);
    t.diagnostic(`${storage.kind}: ${answeredBeforeKill.size} answered before SIGKILL, ${sent.size} events in all, ${retried.length} sent more than once`);
  });
});
