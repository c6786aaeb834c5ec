// E14 end to end, simulator ⇄ server: getTransactionStatus about a running session, and a ghost
// session (the station lost power without sending Ended) closed by the reconciliation that follows
// its PowerUp boot (endedBy Reconciled, stoppedReason PowerLoss).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import type { TestServer } from '../support/server';
import { bootedStation, startTestServer } from '../support/server';
import { gqlData, waitUntil } from '../support/graphql-client';

const WAIT = 10_000;
const TOKEN = { idToken: 'E2E-REC-1', type: 'ISO14443' };
const UPSERT = 'mutation ($input: AuthorizationDataInput!) { upsertIdToken(input: $input) { authorizationData { idToken { idToken } } } }';
const TX = 'query ($id: ID!, $tx: String!) { transaction(stationId: $id, transactionId: $tx) { active endedBy stoppedReason } }';
const STATUS = `mutation ($id: ID!, $input: GetTransactionStatusInput) {
  getTransactionStatus(stationId: $id, input: $input) { ongoingIndicator messagesInQueue error { code } } }`;

describe('transaction status and reconciliation end to end', { timeout: 60_000 }, () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const transaction = async (id: string, tx: string) => (await api(TX, { id, tx })).transaction;
  const status = async (id: string, input?: Record<string, unknown>) => (await api(STATUS, { id, input })).getTransactionStatus;

  /** A booted station with a running transaction the server has stored; returns its transactionId. */
  async function charging(id: string): Promise<[SimulatedStation, string]> {
    const station = await bootedStation(server, id);
    await station.plugIn(1);
    assert.equal(await station.authorize(TOKEN), 'Accepted');
    await station.sessions.outbox.drained();
    const tx = station.transaction(1)!.transactionId;
    await waitUntil(async () => (await transaction(id, tx))?.active === true, WAIT, 'the transaction to be stored');
    return [station, tx];
  }

  before(async () => {
    server = await startTestServer();
    await api(UPSERT, { input: { idToken: TOKEN, idTokenInfo: { status: 'Accepted' } } });
  });
  after(() => server.close());

  test('E14 a running session: ongoingIndicator true, nothing queued, the transaction stays open', async () => {
    const [, tx] = await charging('REC-1');
    assert.deepEqual(await status('REC-1', { transactionId: tx }), { ongoingIndicator: true, messagesInQueue: false, error: null });
    assert.deepEqual(await status('REC-1'), { ongoingIndicator: null, messagesInQueue: false, error: null });
    assert.deepEqual(await transaction('REC-1', tx), { active: true, endedBy: null, stoppedReason: null });
  });

  test('a ghost session: power lost without Ended, the PowerUp boot reconciles it (endedBy Reconciled)', async () => {
    const [station, tx] = await charging('REC-2');
    await station.powerLoss();
    assert.equal((await station.start()).status, 'Accepted'); // reconnect + BootNotification PowerUp
    await waitUntil(async () => (await transaction('REC-2', tx)).active === false, WAIT, 'the reconciliation close');
    assert.deepEqual(await transaction('REC-2', tx), { active: false, endedBy: 'Reconciled', stoppedReason: 'PowerLoss' });
    assert.deepEqual(await status('REC-2', { transactionId: tx }), { ongoingIndicator: false, messagesInQueue: false, error: null });
  });
});
