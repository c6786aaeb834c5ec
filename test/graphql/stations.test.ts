// Issue 2 §3/§5 provisioning through GraphQL (A00/B01): createStation, updateStation, deleteStation,
// the stations connection with filters, and what a Station shows before and after a boot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, testPassword, type TestServer } from '../support/server';
import { gql, gqlData, waitUntil } from '../support/graphql-client';

const CREATE = `mutation ($input: CreateStationInput!) { createStation(input: $input) {
  station { id online lastSeen registrationStatus bootPolicy securityProfile serialNumber model messageLimits { itemsPerMessageGetVariables } } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateStationInput!) { updateStation(id: $id, input: $input) {
  station { id bootPolicy serialNumber securityProfile messageLimits { itemsPerMessageGetVariables bytesPerMessageSetVariables } } } }`;
const PAGE = `query ($first: Int, $after: String, $filter: StationFilter) { stations(first: $first, after: $after, filter: $filter) {
  edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

describe('A00/B01 stations through GraphQL', () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  const raw = (query: string, variables?: Record<string, unknown>) => gql(server.httpUrl, server.adminKey, query, variables);
  const ids = async (filter: Record<string, unknown>) =>
    ((await api(PAGE, { first: 100, filter })).stations.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('A00 createStation validates password length, id and uniqueness', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'VAL-1', password: 'short-password' }, 'BAD_USER_INPUT'], // 14 characters
      [{ id: 'VAL-1', password: 'x'.repeat(65) }, 'BAD_USER_INPUT'],
      [{ id: 'VAL:1', password: testPassword() }, 'BAD_USER_INPUT'],
      [{ id: 'x'.repeat(49), password: testPassword() }, 'BAD_USER_INPUT'],
      [{ id: 'VAL-1', password: testPassword(), securityProfile: 4 }, 'BAD_USER_INPUT'],
    ];
    for (const [input, code] of cases) {
      const { body } = await raw(CREATE, { input });
      assert.equal(body.errors?.[0]?.extensions?.code, code, JSON.stringify(input));
    }
    assert.equal((await api('{ station(id: "VAL-1") { id } }')).station, null, 'nothing was stored');
    const created = (await api(CREATE, { input: { id: 'VAL-1', password: 'ü'.repeat(16), serialNumber: 'SN-9' } })).createStation.station;
    assert.deepEqual(created, {
      id: 'VAL-1', online: false, lastSeen: null, registrationStatus: null, bootPolicy: 'Accepted', securityProfile: 1,
      serialNumber: 'SN-9', model: null, messageLimits: { itemsPerMessageGetVariables: null },
    });
    for (const id of ['VAL-1', 'val-1']) {
      const { body } = await raw(CREATE, { input: { id, password: testPassword() } });
      assert.equal(body.errors?.[0]?.extensions?.code, 'CONFLICT', id);
    }
  });

  test('A00 a station created through GraphQL connects with its password only', async () => {
    const password = testPassword();
    await api(CREATE, { input: { id: 'GQL-1', password } });
    await assert.rejects(server.connectStation('GQL-1', { password: `${password}x` }), /401/);
    const station = await server.connectStation('GQL-1', { password });
    assert.equal((await api('{ station(id: "GQL-1") { online } }')).station.online, true);
    await station.close();
  });

  test('updateStation changes settings and the password; unknown id is NOT_FOUND', async () => {
    const first = testPassword();
    await api(CREATE, { input: { id: 'UPD-1', password: first } });
    const updated = await api(UPDATE, {
      id: 'upd-1',
      input: { bootPolicy: 'Pending', serialNumber: 'SN-2', itemsPerMessageGetVariables: 3, bytesPerMessageSetVariables: 2048 },
    });
    assert.deepEqual(updated.updateStation.station, {
      id: 'UPD-1', bootPolicy: 'Pending', serialNumber: 'SN-2', securityProfile: 1,
      messageLimits: { itemsPerMessageGetVariables: 3, bytesPerMessageSetVariables: 2048 },
    });
    const bad = await raw(UPDATE, { id: 'UPD-1', input: { itemsPerMessageGetVariables: 0 } });
    assert.equal(bad.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const missing = await raw(UPDATE, { id: 'NOPE-1', input: { bootPolicy: 'Accepted' } });
    assert.equal(missing.body.errors?.[0]?.extensions?.code, 'NOT_FOUND');

    const second = testPassword();
    await api(UPDATE, { id: 'UPD-1', input: { password: second } });
    await assert.rejects(server.connectStation('UPD-1', { password: first }), /401/);
    const station = await server.connectStation('UPD-1', { password: second });
    await station.close();
  });

  test('deleteStation closes the station socket and removes it', async () => {
    const password = testPassword();
    await api(CREATE, { input: { id: 'DEL-1', password } });
    const station = await server.connectStation('DEL-1', { password });
    await station.boot();
    const deleted = await api('mutation { deleteStation(id: "del-1") { id deleted } }');
    assert.deepEqual(deleted.deleteStation, { id: 'DEL-1', deleted: true });
    const closed = await station.closed;
    assert.equal(closed.code, 1000);
    assert.equal((await api('{ station(id: "DEL-1") { id } }')).station, null);
    assert.equal(server.app.services.registry.isOnline('DEL-1'), false);
    await assert.rejects(server.connectStation('DEL-1', { password }), /404/);
    assert.deepEqual((await api('mutation { deleteStation(id: "DEL-1") { id deleted } }')).deleteStation, { id: 'DEL-1', deleted: false });
  });

  test('stations is a cursor connection: first, after, hasNextPage', async () => {
    for (const n of [3, 1, 5, 2, 4]) await server.provisionStation(`PAGE-${n}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    const pages: boolean[] = [];
    for (;;) {
      const page = (await api(PAGE, { first: 2, after: cursor, filter: { text: 'page-' } })).stations;
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      pages.push(page.pageInfo.hasNextPage);
      assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    assert.deepEqual(seen, ['PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4', 'PAGE-5']);
    assert.deepEqual(pages, [true, true, false]);
    const tooMany = await raw(PAGE, { first: 101 });
    assert.equal(tooMany.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  test('stations filters: online, registrationStatus (None for never booted) and text', async () => {
    await server.provisionStation('FLT-ACC');
    await server.provisionStation('FLT-PEN', { bootPolicy: 'Pending' });
    await server.provisionStation('FLT-NEW');
    const accepted = await server.connectStation('FLT-ACC', { model: 'Zeta-Wallbox', vendorName: 'Omega Power' });
    await accepted.boot();
    const pending = await server.connectStation('FLT-PEN');
    await pending.boot();
    await pending.close();
    await waitUntil(() => !server.app.services.registry.isOnline('FLT-PEN'));
    const flt = (ids: string[]) => ids.filter((id) => id.startsWith('FLT-'));
    assert.deepEqual(flt(await ids({ online: true })), ['FLT-ACC']);
    assert.deepEqual(flt(await ids({ online: false })), ['FLT-NEW', 'FLT-PEN']);
    assert.deepEqual(flt(await ids({ registrationStatus: 'Accepted' })), ['FLT-ACC']);
    assert.deepEqual(flt(await ids({ registrationStatus: 'Pending' })), ['FLT-PEN']);
    assert.deepEqual(flt(await ids({ registrationStatus: 'None' })), ['FLT-NEW']);
    assert.deepEqual(await ids({ text: 'zeta-wall' }), ['FLT-ACC'], 'model');
    assert.deepEqual(await ids({ text: 'OMEGA' }), ['FLT-ACC'], 'vendor');
    assert.deepEqual(await ids({ text: 'flt-n' }), ['FLT-NEW'], 'id');
    assert.deepEqual(await ids({ text: '%' }), [], 'wildcards are literal');
    assert.deepEqual(await ids({ online: true, text: 'FLT-PEN' }), []);
  });

  test('station(id) is case-insensitive and shows boot data, EVSEs, history, reports and events', async () => {
    await server.provisionStation('Info-1');
    const before = (await api('{ station(id: "info-1") { id registrationStatus model vendorName evses { id } bootHistory { reason } } }')).station;
    assert.deepEqual(before, { id: 'Info-1', registrationStatus: null, model: null, vendorName: null, evses: [], bootHistory: [] });
    const station = await server.connectStation('Info-1', {
      evses: 2, model: 'M-Info', vendorName: 'V-Info', serialNumber: 'SER-1', firmwareVersion: '1.2.3', reportPartSize: 30,
    });
    await station.start();
    await station.call('NotifyEvent', {
      generatedAt: new Date().toISOString(), seqNo: 0,
      eventData: [{ eventId: 7, timestamp: new Date().toISOString(), trigger: 'Alerting', actualValue: 'true', techCode: 'E42',
        eventNotificationType: 'HardWiredNotification', component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'Problem' } }],
    });
    await api('mutation { getBaseReport(stationId: "INFO-1", input: { reportBase: SummaryInventory }) { status } }');
    const s = (await api(`{ station(id: "INFO-1") { id online lastSeen registrationStatus model vendorName serialNumber firmwareVersion
      securityProfile lastBootAt evses { id connectors { id status } } bootHistory { reason model vendorName serialNumber firmwareVersion status }
      reports { kind reportBase status partsReceived completedAt } events { eventId actualValue techCode trigger component { name evse { id } } variable { name } } } }`)).station;
    assert.equal(s.id, 'Info-1');
    assert.equal(s.online, true);
    assert.ok(Date.now() - Date.parse(s.lastSeen) < 5000, `lastSeen ${s.lastSeen}`);
    assert.ok(s.lastBootAt.endsWith('Z'));
    assert.deepEqual(
      [s.registrationStatus, s.model, s.vendorName, s.serialNumber, s.firmwareVersion, s.securityProfile],
      ['Accepted', 'M-Info', 'V-Info', 'SER-1', '1.2.3', 1],
    );
    assert.deepEqual(s.evses, [{ id: 1, connectors: [{ id: 1, status: 'Available' }] }, { id: 2, connectors: [{ id: 1, status: 'Available' }] }]);
    assert.deepEqual(s.bootHistory, [{ reason: 'PowerUp', model: 'M-Info', vendorName: 'V-Info', serialNumber: 'SER-1', firmwareVersion: '1.2.3', status: 'Accepted' }]);
    assert.equal(s.reports.length, 1);
    assert.equal(s.reports[0].kind, 'GetBaseReport');
    assert.equal(s.reports[0].reportBase, 'SummaryInventory');
    assert.equal(s.reports[0].status, 'Complete');
    assert.ok(s.reports[0].partsReceived >= 1 && s.reports[0].completedAt);
    assert.deepEqual(s.events, [{ eventId: 7, actualValue: 'true', techCode: 'E42', trigger: 'Alerting', component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'Problem' } }]);
  });
});
