// Graceful shutdown of `npm start` (issue 5 §4): on SIGTERM the server stops accepting, answers the
// CALLs it already received, lets the command in flight to a station finish, closes station sockets
// with 1001 (going away), flushes last-seen times and exits 0 with nothing lost.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { freshStorage, type FaultStorage } from '../support/fault-storage';
import { newTxId, txEvent } from '../support/transaction-events';
import { provisionStations } from '../support/tx-load';
import { attemptUpgrade, basicAuth, closeCode, nextMessages, openRaw, sendInOneWrite } from '../support/ws-client';

const ADMIN_KEY = 'shutdown-test-admin-key-0123456789abcdef';
const ID = 'SIGTERM-1';

describe('graceful shutdown on SIGTERM', { timeout: 120_000 }, () => {
  let storage: FaultStorage | undefined;
  let server: ChildServer | undefined;
  after(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await storage?.drop();
  });

  test('in-flight CALLs answered, command in flight completed, sockets closed 1001, nothing lost, exit 0', async () => {
    storage = await freshStorage('sigterm');
    const passwords = await provisionStations(storage.storage, [ID]);
    const port = await freePort();
    server = await startChildServer(port, { ...storage.env, CSMS_ADMIN_API_KEY: ADMIN_KEY, REQUEST_FULL_INVENTORY_ON_FIRST_BOOT: 'false' });
    const headers = { authorization: basicAuth(ID, passwords.get(ID)!) };
    const ws = await openRaw(`${server.ocppUrl}/${ID}`, { headers });
    const closed = closeCode(ws);
    const boot = nextMessages(ws, 1);
    ws.send(JSON.stringify([2, 'boot-1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }]));
    assert.equal(((await boot)[0]![2] as { status: string }).status, 'Accepted');

    // A command in flight: the station holds its answer until after SIGTERM.
    const unlockCall = nextMessages(ws, 1, 10_000);
    const mutation = fetch(`${server.httpUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: `mutation { unlockConnector(stationId: "${ID}", input: { evseId: 1, connectorId: 1 }) { status error { code message } } }` }),
    }).then((r) => r.json() as Promise<any>);
    const [call] = await unlockCall;
    assert.equal(call![2], 'UnlockConnector');

    // Ten CALLs in one TCP write: all are received before the first is answered.
    const transactionId = newTxId('sigterm');
    const events = Array.from({ length: 10 }, (_, seqNo) =>
      txEvent(seqNo === 0 ? 'Started' : 'Updated', transactionId, { seqNo, evse: { id: 1, connectorId: 1 }, chargingState: 'Charging' }));
    const replies: unknown[][] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString()) as unknown[]));
    sendInOneWrite(ws, events.map((e, i) => JSON.stringify([2, `tx-${i}`, 'TransactionEvent', e])));
    while (replies.length === 0) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');

    // New connections are refused while the server drains.
    await new Promise((r) => setTimeout(r, 300));
    const late = await attemptUpgrade(`${server.ocppUrl}/${ID}`, { headers }).catch((err: Error) => err);
    assert.ok(late instanceof Error || late.status !== 101, 'no new station accepted while shutting down');
    if (!(late instanceof Error) && late.upgraded) late.ws.terminate();

    ws.send(JSON.stringify([3, call![1], { status: 'Unlocked' }]));
    assert.equal(await closed, 1001, 'station socket closed with 1001 (going away)');
    const { code } = await server.exited;
    assert.equal(code, 0, `exit code 0 (the 10 s hard limit exits 1)\n${server.output()}`);

    const answered = replies.filter((f) => f[0] === 3).map((f) => f[1]);
    assert.deepEqual(answered, events.map((_, i) => `tx-${i}`), 'every CALL received before SIGTERM answered with a CALLRESULT');
    const result = await mutation;
    assert.deepEqual(result.data?.unlockConnector, { status: 'Unlocked', error: null }, JSON.stringify(result));

    const database = await openDatabase(storage.storage);
    try {
      const rows: any = await database.db.execute(sql`select count(*)::int as n from transaction_events where transaction_id = ${transactionId}`);
      assert.equal(Number((Array.isArray(rows) ? rows : rows.rows)[0].n), 10, 'all ten events stored');
      const seen: any = await database.db.execute(sql`select last_seen_at from stations where id = ${ID}`);
      assert.ok((Array.isArray(seen) ? seen : seen.rows)[0].last_seen_at, 'last-seen flushed on shutdown');
    } finally {
      await database.close();
    }
  });
});
