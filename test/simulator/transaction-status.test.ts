// The simulator's answer to E14 GetTransactionStatus (from its sessions and its offline outbox) and
// its power loss: sessions and queued events forgotten without an Ended, PowerUp boot afterwards.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SimulatedStation } from '../../src/cli/simulator/station';
import { FakeCsms } from './fake-csms';

const TOKEN = { idToken: 'RFID-1', type: 'ISO14443' };

async function until(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SimulatedStation GetTransactionStatus and power loss', () => {
  let csms: FakeCsms;
  let station: SimulatedStation;
  const status = async (payload: object) => (await csms.call('GetTransactionStatus', payload))[2];

  /** A booted station with a running (charging) transaction whose events were all delivered. */
  async function charging(): Promise<string> {
    station = new SimulatedStation({ url: csms.url, id: 'E14-1', meterIntervalMs: 0 });
    await station.start();
    await station.plugIn(1);
    await station.authorize(TOKEN);
    await station.sessions.outbox.drained();
    return station.transaction(1)!.transactionId;
  }

  beforeEach(async () => {
    csms = await FakeCsms.start();
  });
  afterEach(async () => {
    await station?.close();
    await csms.stop();
  });

  test('E14.FR.01–08: ongoingIndicator from the sessions, messagesInQueue from the outbox', async () => {
    const id = await charging();
    assert.deepEqual(await status({}), { messagesInQueue: false }, 'E14.FR.06/08: no ongoingIndicator without an id');
    assert.deepEqual(await status({ transactionId: id }), { ongoingIndicator: true, messagesInQueue: false });
    assert.deepEqual(await status({ transactionId: 'unknown' }), { ongoingIndicator: false, messagesInQueue: false });

    // The CSMS stops answering TransactionEvents: the Ended stays in the outbox, undelivered.
    csms.responders.set('TransactionEvent', null);
    void station.presentToken(TOKEN);
    await until(() => csms.all('TransactionEvent').some((c) => c.payload.eventType === 'Ended'), 'the Ended to be sent');
    assert.deepEqual(await status({ transactionId: id }), { ongoingIndicator: false, messagesInQueue: true });
    assert.deepEqual(await status({}), { messagesInQueue: true });
    assert.deepEqual(await status({ transactionId: 'unknown' }), { ongoingIndicator: false, messagesInQueue: false });
  });

  test('power loss: the session and its queued events are forgotten, no Ended; PowerUp boot afterwards', async () => {
    const id = await charging();
    await station.goOffline();
    await station.presentToken(TOKEN); // an Ended queued offline: lost with the power
    assert.ok(station.sessions.outbox.pending > 0);
    const sent = csms.all('TransactionEvent').length;
    await station.powerLoss();
    assert.deepEqual([station.transaction(1), station.sessions.outbox.pending, station.isOpen], [undefined, 0, false]);

    await station.start();
    const boots = csms.all('BootNotification');
    assert.equal(boots.at(-1)!.payload.reason, 'PowerUp');
    await until(() => csms.all('StatusNotification').at(-1)?.payload.connectorStatus === 'Available', 'the connector reported free');
    assert.deepEqual(await status({ transactionId: id }), { ongoingIndicator: false, messagesInQueue: false });
    assert.equal(csms.all('TransactionEvent').length, sent, 'nothing sent for the lost session');
  });
});
