// The simulator's charging sessions against a fake CSMS: start points (E01/E02), local and remote
// start and stop (F01–F04), unlock (F05), triggered messages (F06), Scheduled availability (G03/G04)
// and the network-loss mode (E12): events queued offline and replayed in order.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SimulatedStation, type SimulatedStationOptions } from '../../src/cli/simulator/station';
import { FakeCsms } from './fake-csms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = { idToken: 'RFID-1', type: 'ISO14443' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const energyOf = (event: any) => event.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Energy.Active.Import.Register');

describe('SimulatedStation charging sessions', () => {
  let csms: FakeCsms;
  let station: SimulatedStation;
  const tx = async () => (await csms.take('TransactionEvent', 5000)).payload;

  async function started(options: Partial<SimulatedStationOptions> = {}) {
    station = new SimulatedStation({ url: csms.url, id: 'SES-1', meterIntervalMs: 0, ...options });
    await station.start();
    for (let i = 0; i < (options.evses ?? 1); i++) await csms.take('StatusNotification');
    return station;
  }

  beforeEach(async () => {
    csms = await FakeCsms.start();
  });
  afterEach(async () => {
    await station?.close();
    await csms.stop();
  });

  test('EVConnected start point: plug in starts, authorize charges, the same token stops, unplug frees', async () => {
    await started({ meterIntervalMs: 150 });
    await station.plugIn(1);
    assert.equal((await csms.take('StatusNotification')).payload.connectorStatus, 'Occupied');
    const start = await tx();
    assert.equal(start.eventType, 'Started');
    assert.equal(start.triggerReason, 'CablePluggedIn');
    assert.equal(start.seqNo, 0);
    assert.match(start.transactionInfo.transactionId, UUID);
    assert.equal(start.transactionInfo.chargingState, 'EVConnected');
    assert.equal(energyOf(start).context, 'Transaction.Begin');
    assert.equal(start.idToken, undefined);

    assert.equal(await station.authorize(TOKEN), 'Accepted');
    assert.deepEqual((await csms.take('Authorize')).payload, { idToken: TOKEN });
    const authorized = await tx();
    assert.deepEqual([authorized.eventType, authorized.triggerReason, authorized.seqNo, authorized.idToken], ['Updated', 'Authorized', 1, TOKEN]);
    const charging = await tx();
    assert.deepEqual([charging.triggerReason, charging.transactionInfo.chargingState], ['ChargingStateChanged', 'Charging']);

    const periodic = [await tx(), await tx()];
    assert.ok(periodic.every((e) => e.triggerReason === 'MeterValuePeriodic' && energyOf(e).context === 'Sample.Periodic'));
    assert.ok(energyOf(periodic[1]).value > energyOf(periodic[0]).value, 'the energy register grows');

    assert.equal(await station.presentToken(TOKEN), 'Accepted');
    let ended = await tx();
    while (ended.eventType !== 'Ended') ended = await tx();
    assert.deepEqual([ended.triggerReason, ended.transactionInfo.stoppedReason, ended.idToken], ['StopAuthorized', 'Local', TOKEN]);
    assert.equal(energyOf(ended).context, 'Transaction.End');
    const all = csms.all('TransactionEvent').map((c) => c.payload.seqNo);
    assert.deepEqual(all, all.map((_, i) => i), 'seqNo counts from 0 without gaps');

    await station.unplug(1);
    assert.equal((await csms.take('StatusNotification')).payload.connectorStatus, 'Available');
    await sleep(300);
    assert.equal(csms.all('TransactionEvent').length, all.length, 'nothing after Ended');
  });

  test('Authorized start point: authorize starts, plug in updates, unplug ends with EVDisconnected', async () => {
    await started({ txStartPoint: 'Authorized' });
    await station.authorize(TOKEN);
    const start = await tx();
    assert.deepEqual([start.eventType, start.triggerReason, start.idToken, start.transactionInfo.chargingState], ['Started', 'Authorized', TOKEN, 'Idle']);
    await station.plugIn(1);
    assert.equal((await tx()).triggerReason, 'CablePluggedIn');
    assert.equal((await tx()).transactionInfo.chargingState, 'Charging');
    await station.unplug(1);
    const ended = await tx();
    assert.deepEqual([ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason], ['Ended', 'EVCommunicationLost', 'EVDisconnected']);
  });

  test('F02 remote start first, F03 remote stop; unknown transactions are Rejected', async () => {
    await started();
    const [, , answer] = await csms.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 42, evseId: 1 });
    assert.deepEqual(answer, { status: 'Accepted' });
    assert.deepEqual((await csms.take('Authorize')).payload, { idToken: TOKEN }); // AuthorizeRemoteStart
    const start = await tx();
    assert.deepEqual([start.eventType, start.triggerReason, start.transactionInfo.remoteStartId, start.idToken], ['Started', 'RemoteStart', 42, TOKEN]);
    assert.deepEqual((await csms.call('RequestStopTransaction', { transactionId: 'nope' }))[2], { status: 'Rejected' });
    assert.deepEqual((await csms.call('RequestStopTransaction', { transactionId: start.transactionInfo.transactionId }))[2], { status: 'Accepted' });
    const ended = await tx();
    assert.deepEqual([ended.eventType, ended.triggerReason, ended.transactionInfo.stoppedReason], ['Ended', 'RemoteStop', 'Remote']);
    assert.equal(ended.transactionInfo.remoteStartId, undefined, 'remoteStartId is sent once');
  });

  test('F01 cable plugged in first: the answer carries the transactionId, then Updated RemoteStart', async () => {
    await started();
    await station.plugIn(1);
    const start = await tx();
    const [, , answer] = await csms.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 7 });
    assert.deepEqual(answer, { status: 'Accepted', transactionId: start.transactionInfo.transactionId });
    const remote = await tx();
    assert.deepEqual([remote.eventType, remote.triggerReason, remote.transactionInfo.remoteStartId, remote.seqNo], ['Updated', 'RemoteStart', 7, 1]);
    assert.deepEqual((await csms.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 8, evseId: 1 }))[2], { status: 'Rejected' }, 'busy');
  });

  test('F05 unlock: UnknownConnector, OngoingAuthorizedTransaction, Unlocked', async () => {
    await started();
    assert.deepEqual((await csms.call('UnlockConnector', { evseId: 1, connectorId: 9 }))[2], { status: 'UnknownConnector' });
    assert.deepEqual((await csms.call('UnlockConnector', { evseId: 1, connectorId: 1 }))[2], { status: 'Unlocked' });
    await station.plugIn(1);
    await station.authorize(TOKEN);
    assert.deepEqual((await csms.call('UnlockConnector', { evseId: 1, connectorId: 1 }))[2], { status: 'OngoingAuthorizedTransaction' });
  });

  test('F06 TriggerMessage TransactionEvent and MeterValues carry context Trigger', async () => {
    await started({ evses: 2 });
    assert.deepEqual((await csms.call('TriggerMessage', { requestedMessage: 'TransactionEvent' }))[2], { status: 'Rejected' });
    assert.deepEqual((await csms.call('TriggerMessage', { requestedMessage: 'MeterValues' }))[2], { status: 'Accepted' });
    const meters = [await csms.take('MeterValues'), await csms.take('MeterValues')].map((c) => c.payload);
    assert.deepEqual(meters.map((m) => m.evseId), [1, 2]);
    assert.equal(meters[0].meterValue[0].sampledValue[0].context, 'Trigger');
    await station.plugIn(2);
    await tx();
    assert.deepEqual((await csms.call('TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }))[2], { status: 'Rejected' });
    assert.deepEqual((await csms.call('TriggerMessage', { requestedMessage: 'TransactionEvent' }))[2], { status: 'Accepted' });
    const triggered = await tx();
    assert.deepEqual([triggered.triggerReason, triggered.evse.id, energyOf(triggered).context], ['Trigger', 2, 'Trigger']);
  });

  test('G03 ChangeAvailability during a transaction is Scheduled and applied when the EV leaves', async () => {
    await started({ evses: 2 });
    await station.plugIn(1);
    await csms.take('StatusNotification');
    const [, , answer] = await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative' });
    assert.deepEqual(answer, { status: 'Scheduled' });
    const free = await csms.take('StatusNotification');
    assert.deepEqual([free.payload.evseId, free.payload.connectorStatus], [2, 'Unavailable']);
    await station.unplug(1);
    const after = await csms.take('StatusNotification');
    assert.deepEqual([after.payload.evseId, after.payload.connectorStatus], [1, 'Unavailable']);
    assert.deepEqual((await csms.call('RequestStartTransaction', { idToken: TOKEN, remoteStartId: 1 }))[2], { status: 'Rejected' });
  });

  test('an idToken the CSMS does not accept in a TransactionEvent ends the session (Deauthorized)', async () => {
    await started();
    csms.responders.set('TransactionEvent', (p) => (p.idToken ? { idTokenInfo: { status: 'Blocked' } } : {}));
    await station.plugIn(1);
    await station.authorize(TOKEN);
    const events = [await tx(), await tx(), await tx()];
    assert.deepEqual(events.map((e) => [e.eventType, e.triggerReason]), [['Started', 'CablePluggedIn'], ['Updated', 'Authorized'], ['Ended', 'Deauthorized']]);
    assert.equal(events[2].transactionInfo.stoppedReason, 'DeAuthorized');
  });

  test('E12 network loss: events are queued offline and replayed in order on reconnect', async () => {
    await started({ meterIntervalMs: 100 });
    await station.plugIn(1);
    await station.authorize(TOKEN);
    const id = station.transaction(1)!.transactionId;
    await station.goOffline();
    assert.equal(station.online, false);
    const before = csms.all('TransactionEvent').length;
    await sleep(450);
    await station.presentToken(TOKEN); // stop while offline: authorized locally, queued
    assert.equal(csms.all('TransactionEvent').length, before, 'nothing sent while offline');
    assert.ok(station.sessions.outbox.pending >= 3, `queued ${station.sessions.outbox.pending}`);
    await station.goOnline();
    assert.equal(station.sessions.outbox.pending, 0);
    const events = csms.all('TransactionEvent').map((c) => c.payload);
    // An event in flight when the network dropped may arrive twice (same seqNo): the CSMS dedupes it.
    const seqNos = events.map((e) => e.seqNo);
    assert.deepEqual([...new Set(seqNos)], [...new Set(seqNos)].map((_, i) => i), 'in seqNo order, no gaps');
    assert.ok(seqNos.length - new Set(seqNos).size <= 1, 'at most the in-flight event repeated');
    const lastOnline = Math.max(...events.slice(0, before).map((e) => e.seqNo));
    const replayed = events.filter((e) => e.seqNo > lastOnline);
    assert.ok(replayed.length >= 3 && replayed.every((e) => e.offline === true && e.transactionInfo.transactionId === id));
    assert.equal(events.at(-1).eventType, 'Ended');
    assert.equal(events.slice(0, before).some((e) => e.offline), false);
  });
});
