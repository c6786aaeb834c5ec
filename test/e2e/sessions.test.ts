// Issue 3 §6: charging sessions end to end, simulator ⇄ server ⇄ graphql-ws subscriber: a whole
// session watched live and stopped remotely (E02, J02, F03), the E01 start points, F06 triggered
// messages, G03–G05 availability (Scheduled during a transaction) and the E12 network-loss replay,
// stored exactly once.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import type { ConnectOptions, TestServer } from '../support/server';
import { bootedStation, startTestServer } from '../support/server';
import { gqlData, subscribeReady, waitUntil, type TestSubscription } from '../support/graphql-client';

const WAIT = 10_000;
const TOKEN = { idToken: 'E2E-TOKEN-1', type: 'ISO14443' };
const UPSERT = 'mutation ($input: AuthorizationDataInput!) { upsertIdToken(input: $input) { authorizationData { idToken { idToken } } } }';
const TX = `query ($id: ID!, $tx: String!) { transaction(stationId: $id, transactionId: $tx) {
  active stoppedReason energyWh meterStartWh meterStopWh lastSeqNo idToken { idToken type }
  events { seqNo eventType triggerReason offline } meterValues(first: 1000) { context measurand value } } }`;
const UPDATED = 'subscription ($id: ID) { transactionUpdated(stationId: $id) { transactionId active chargingState energyWh lastSeqNo } }';
const METER = 'subscription ($id: ID) { meterValuesReceived(stationId: $id) { transactionId sampledValues { measurand context value } } }';
const STOP = 'mutation ($id: ID!, $tx: String!) { requestStopTransaction(stationId: $id, input: { transactionId: $tx }) { status error { code } } }';
const TRIGGER = 'mutation ($id: ID!, $m: MessageTriggerEnum!) { triggerMessage(stationId: $id, input: { requestedMessage: $m, evse: { id: 1 } }) { status error { code } } }';
const CHANGE = 'mutation ($id: ID!, $input: ChangeAvailabilityInput!) { changeAvailability(stationId: $id, input: $input) { status error { code } } }';
const AVAILABILITY = `query ($id: ID!) { station(id: $id) { availability scheduledAvailability
  evses { id availability scheduledAvailability connectors { id status availability scheduledAvailability } } } }`;

describe('charging sessions end to end', { timeout: 180_000 }, () => {
  let server: TestServer;
  const open: TestSubscription[] = [];
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const transaction = async (id: string, tx: string) => (await api(TX, { id, tx })).transaction;
  const availability = async (id: string) => (await api(AVAILABILITY, { id })).station;

  const booted = (id: string, options: ConnectOptions = {}) => bootedStation(server, id, options);

  async function storedTransaction(station: SimulatedStation, id: string, evseId = 1): Promise<string> {
    await waitUntil(() => station.transaction(evseId) !== undefined, WAIT, 'a transaction in the simulator');
    const tx = station.transaction(evseId)!.transactionId;
    await waitUntil(async () => (await transaction(id, tx)) !== null, WAIT, 'the transaction to be stored');
    return tx;
  }

  before(async () => {
    server = await startTestServer();
    await api(UPSERT, { input: { idToken: TOKEN, idTokenInfo: { status: 'Accepted' } } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
  });
  after(() => server.close());

  test('E02/J02/F03 a session watched live over graphql-ws, stopped remotely, then queried', async () => {
    const updates = await subscribeReady(server, server.adminKey, UPDATED, { id: 'SES-1' });
    const meters = await subscribeReady(server, server.adminKey, METER, { id: 'SES-1' });
    open.push(updates, meters);
    const station = await booted('SES-1', { meterIntervalMs: 300 });
    await station.plugIn(1);
    assert.equal(await station.authorize(TOKEN), 'Accepted');
    const tx = await storedTransaction(station, 'SES-1');

    const first = await updates.nextData(WAIT);
    assert.deepEqual([first.transactionUpdated.transactionId, first.transactionUpdated.active], [tx, true]);
    const energies: number[] = [];
    while (energies.length < 3) {
      const { meterValuesReceived: m } = await meters.nextData(WAIT);
      const energy = m.sampledValues.find((v: any) => v.measurand === 'Energy.Active.Import.Register' && v.context === 'Sample.Periodic');
      if (m.transactionId === tx && energy) energies.push(energy.value);
    }
    assert.ok(energies[0]! < energies[1]! && energies[1]! < energies[2]!, `energy grows: ${energies.join(', ')}`);

    assert.deepEqual((await api(STOP, { id: 'SES-1', tx })).requestStopTransaction, { status: 'Accepted', error: null });
    let last = first.transactionUpdated;
    while (last.active) last = (await updates.nextData(WAIT)).transactionUpdated;
    const done = await transaction('SES-1', tx);
    assert.equal(done.stoppedReason, 'Remote');
    assert.deepEqual(done.idToken, TOKEN);
    assert.equal(done.events.at(-1).eventType, 'Ended');
    assert.ok(done.energyWh > 0 && done.meterStopWh > done.meterStartWh, JSON.stringify(done));
    assert.deepEqual(done.events.map((e: any) => e.seqNo), done.events.map((_: unknown, i: number) => i));
  });

  test('E01 start points: EVConnected starts at plug-in, Authorized at authorization', async () => {
    const cable = await booted('SP-1', { txStartPoint: 'EVConnected' });
    await cable.plugIn(1);
    const byCable = await transaction('SP-1', await storedTransaction(cable, 'SP-1'));
    assert.deepEqual([byCable.events[0].triggerReason, byCable.idToken], ['CablePluggedIn', null]);
    await cable.authorize(TOKEN);
    await waitUntil(async () => (await transaction('SP-1', cable.transaction(1)!.transactionId)).idToken !== null, WAIT, 'the Authorized event');

    const card = await booted('SP-2', { txStartPoint: 'Authorized' });
    await card.authorize(TOKEN);
    const cardTx = await storedTransaction(card, 'SP-2');
    const byCard = await transaction('SP-2', cardTx);
    assert.deepEqual([byCard.events[0].triggerReason, byCard.idToken], ['Authorized', TOKEN]);
    await card.plugIn(1);
    await card.unplug(1);
    await waitUntil(async () => (await transaction('SP-2', cardTx)).active === false, WAIT, 'the end at unplug');
    assert.equal((await transaction('SP-2', cardTx)).stoppedReason, 'EVDisconnected');
  });

  test('F06 triggerMessage MeterValues and TransactionEvent during a session', async () => {
    const station = await booted('TRG-1');
    await station.plugIn(1);
    await station.authorize(TOKEN);
    const tx = await storedTransaction(station, 'TRG-1');
    assert.deepEqual((await api(TRIGGER, { id: 'TRG-1', m: 'MeterValues' })).triggerMessage, { status: 'Accepted', error: null });
    assert.deepEqual((await api(TRIGGER, { id: 'TRG-1', m: 'TransactionEvent' })).triggerMessage, { status: 'Accepted', error: null });
    await waitUntil(async () => (await transaction('TRG-1', tx)).events.some((e: any) => e.triggerReason === 'Trigger'), WAIT, 'the triggered TransactionEvent');
    const stored = await transaction('TRG-1', tx);
    assert.ok(stored.meterValues.some((v: any) => v.context === 'Trigger'), 'the triggered sample belongs to the transaction');
    const mainMeter = 'query { station(id: "TRG-1") { meterValues(evseId: 1) { context transactionId } } }';
    await waitUntil(async () => (await api(mainMeter)).station.meterValues.some((v: any) => v.context === 'Trigger' && v.transactionId === null), WAIT, 'the triggered MeterValues');
  });

  test('G03/G04 availability of station, EVSE and connector; Scheduled during a transaction', async () => {
    const station = await booted('AVL-1', { evses: 2 });
    const change = async (input: Record<string, unknown>) => (await api(CHANGE, { id: 'AVL-1', input })).changeAvailability.status;
    assert.equal(await change({ operationalStatus: 'Inoperative', evse: { id: 2 } }), 'Accepted');
    assert.equal(await change({ operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } }), 'Accepted');
    await waitUntil(async () => (await availability('AVL-1')).evses[0].connectors[0].status === 'Unavailable', WAIT, 'the status reports');
    let s = await availability('AVL-1');
    assert.deepEqual([s.availability, s.evses[1].availability, s.evses[0].connectors[0].availability], [null, 'Inoperative', 'Inoperative']);
    assert.equal(await change({ operationalStatus: 'Operative' }), 'Accepted');
    assert.equal(await change({ operationalStatus: 'Operative', evse: { id: 2 } }), 'Accepted');
    assert.equal(await change({ operationalStatus: 'Operative', evse: { id: 1, connectorId: 1 } }), 'Accepted');
    await waitUntil(async () => (await availability('AVL-1')).evses.every((e: any) => e.connectors[0].status === 'Available'), WAIT, 'Available again');

    // TC_G_14: Inoperative while EVSE 1 charges → Scheduled; EVSE 2 goes at once, EVSE 1 after the EV left.
    await station.plugIn(1);
    await station.authorize(TOKEN);
    const tx = await storedTransaction(station, 'AVL-1');
    assert.equal(await change({ operationalStatus: 'Inoperative' }), 'Scheduled');
    await waitUntil(async () => (await availability('AVL-1')).evses[1].connectors[0].status === 'Unavailable', WAIT, 'EVSE 2 Unavailable');
    s = await availability('AVL-1');
    assert.deepEqual([s.availability, s.scheduledAvailability], ['Operative', 'Inoperative']);
    assert.deepEqual(s.evses[0].connectors[0], { id: 1, status: 'Occupied', availability: 'Operative', scheduledAvailability: null });
    await api(STOP, { id: 'AVL-1', tx });
    await station.unplug(1);
    await waitUntil(async () => (await availability('AVL-1')).availability === 'Inoperative', WAIT, 'the scheduled change to apply');
    s = await availability('AVL-1');
    assert.equal(s.scheduledAvailability, null);
    assert.deepEqual(s.evses.map((e: any) => e.connectors[0].status), ['Unavailable', 'Unavailable']);
  });

  test('G05/N07 NotifyEvent AvailabilityState keeps EVSE availability; a lock failure is stored and UnlockFailed is data', async () => {
    const station = await booted('LCK-1');
    const at = new Date().toISOString();
    const event = (eventId: number, component: object, variable: string, actualValue: string) =>
      ({ eventId, timestamp: at, trigger: 'Delta', actualValue, eventNotificationType: 'HardWiredMonitor', component, variable: { name: variable } });
    await station.call('NotifyEvent', { generatedAt: at, seqNo: 0, eventData: [
      event(1, { name: 'EVSE', evse: { id: 1 } }, 'AvailabilityState', 'Unavailable'),
      event(2, { name: 'ConnectorPlugRetentionLock', evse: { id: 1, connectorId: 1 } }, 'Problem', 'true'),
    ] });
    assert.equal((await availability('LCK-1')).evses[0].availability, 'Inoperative');
    station.handle('UnlockConnector', () => ({ status: 'UnlockFailed' }));
    const unlock = 'mutation { unlockConnector(stationId: "LCK-1", input: { evseId: 1, connectorId: 1 }) { status error { code } } }';
    assert.deepEqual((await api(unlock)).unlockConnector, { status: 'UnlockFailed', error: null });
    const events = (await api('{ station(id: "LCK-1") { events { eventId component { name } } } }')).station.events;
    assert.ok(events.some((e: any) => e.component.name === 'ConnectorPlugRetentionLock'));
  });

  test('E12 network loss: events queued offline are replayed in order and stored exactly once', async () => {
    const station = await booted('NET-1', { meterIntervalMs: 250 });
    await station.plugIn(1);
    await station.authorize(TOKEN);
    const tx = await storedTransaction(station, 'NET-1');
    await waitUntil(async () => (await transaction('NET-1', tx)).events.some((e: any) => e.triggerReason === 'MeterValuePeriodic'), WAIT, 'a periodic sample');
    // Events made from the drop on are offline. Those made before stay unflagged, however many were
    // still undelivered (one in flight, more queued behind a slow answer under load): taken at once.
    const dropped = station.goOffline();
    const firstOffline = station.transaction(1)!.seqNo;
    await dropped;
    await waitUntil(() => station.transaction(1)!.seqNo >= firstOffline + 2, WAIT, 'samples made offline');
    await station.presentToken(TOKEN); // stopped while offline: queued as well
    await station.goOnline();
    await waitUntil(async () => (await transaction('NET-1', tx)).active === false, WAIT, 'the replayed Ended');
    const stored = await transaction('NET-1', tx);
    const seqNos = stored.events.map((e: any) => e.seqNo);
    assert.deepEqual(seqNos, seqNos.map((_: unknown, i: number) => i), 'every seqNo once, none missing');
    assert.equal(stored.lastSeqNo, seqNos.length - 1);
    assert.deepEqual(stored.events.map((e: any) => e.offline), seqNos.map((n: number) => n >= firstOffline), `offline from seqNo ${firstOffline} on`);
    assert.deepEqual([stored.events.at(-1).eventType, stored.stoppedReason], ['Ended', 'Local']);
    const periodic = stored.meterValues.filter((v: any) => v.context === 'Sample.Periodic' && v.measurand === 'Energy.Active.Import.Register');
    assert.equal(periodic.length, stored.events.filter((e: any) => e.triggerReason === 'MeterValuePeriodic').length, 'one sample per event');

    // A station that replays again (its ack was lost) changes nothing.
    const replay = { eventType: 'Ended', timestamp: new Date().toISOString(), triggerReason: 'StopAuthorized', seqNo: stored.lastSeqNo, offline: true,
      transactionInfo: { transactionId: tx, stoppedReason: 'Local' }, idToken: TOKEN };
    await station.call('TransactionEvent', replay);
    assert.deepEqual((await transaction('NET-1', tx)).events.length, seqNos.length);
  });
});
