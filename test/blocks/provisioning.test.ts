// B01–B04 end to end: BootNotification per boot policy, registration gating (TC_B_30/TC_B_31),
// a Rejected station left alone, and an accepted station reconnecting without a boot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorResponse } from '../../src/cli/simulator/station';
import { startTestServer, type TestServer } from '../support/server';
import { gqlData, waitUntil } from '../support/graphql-client';
import { ERROR, everyCommand } from '../graphql/documents';

const BOOT_QUERY = `query ($id: ID!) { station(id: $id) { registrationStatus model vendorName serialNumber firmwareVersion iccid imsi
  lastBootAt bootHistory { reason model vendorName serialNumber firmwareVersion iccid imsi status receivedAt } } }`;

const isSecurityError = (err: unknown) => err instanceof CallErrorResponse && err.code === 'SecurityError';
const nearNow = (iso: string) => iso.endsWith('Z') && Math.abs(Date.parse(iso) - Date.now()) < 5000;

describe('B01–B04 provisioning and boot', () => {
  let server: TestServer;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);

  before(async () => {
    server = await startTestServer({ HEARTBEAT_INTERVAL: '123', BOOT_RETRY_INTERVAL: '17' });
  });
  after(() => server.close());

  test('B01 BootNotification stores the report with history and answers Accepted with HEARTBEAT_INTERVAL', async () => {
    await server.provisionStation('BOOT-1');
    const station = await server.connectStation('BOOT-1');
    const first = await station.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'Model-A', vendorName: 'Vendor-A', serialNumber: 'SN-A', firmwareVersion: 'fw-1', modem: { iccid: '8931000000000000001', imsi: '262010000000001' } },
    });
    assert.equal(first.status, 'Accepted');
    assert.equal(first.interval, 123);
    assert.ok(nearNow(first.currentTime), first.currentTime);
    const second = await station.call('BootNotification', {
      reason: 'FirmwareUpdate', chargingStation: { model: 'Model-A', vendorName: 'Vendor-A', firmwareVersion: 'fw-2' },
    });
    assert.equal(second.status, 'Accepted');
    const s = (await api(BOOT_QUERY, { id: 'BOOT-1' })).station;
    assert.equal(s.registrationStatus, 'Accepted');
    assert.deepEqual([s.model, s.vendorName, s.serialNumber, s.firmwareVersion], ['Model-A', 'Vendor-A', 'SN-A', 'fw-2']);
    assert.deepEqual([s.iccid, s.imsi], [null, null], 'the latest boot reported no modem');
    assert.deepEqual(
      s.bootHistory.map((b: Record<string, unknown>) => [b.reason, b.firmwareVersion, b.serialNumber, b.iccid, b.imsi, b.status]),
      [
        ['FirmwareUpdate', 'fw-2', null, null, null, 'Accepted'],
        ['PowerUp', 'fw-1', 'SN-A', '8931000000000000001', '262010000000001', 'Accepted'],
      ],
    );
    assert.equal(s.lastBootAt, s.bootHistory[0].receivedAt);
  });

  test('B02/B03 Pending and Rejected answers carry BOOT_RETRY_INTERVAL; other CALLs get SecurityError (TC_B_30_CSMS)', async () => {
    for (const policy of ['Pending', 'Rejected'] as const) {
      const id = `RETRY-${policy}`;
      await server.provisionStation(id, { bootPolicy: policy });
      const station = await server.connectStation(id);
      const answer = await station.boot();
      assert.deepEqual([answer.status, answer.interval], [policy, 17]);
      assert.ok(nearNow(answer.currentTime));
      await assert.rejects(station.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }), isSecurityError);
      await assert.rejects(station.call('Heartbeat', {}), isSecurityError);
      assert.equal(station.isOpen, true, 'B02.FR.06: the CSMS keeps the connection');
      assert.equal((await api(BOOT_QUERY, { id })).station.registrationStatus, policy);
    }
  });

  test('B01.FR.10 a station that never booted gets SecurityError for anything but BootNotification', async () => {
    await server.provisionStation('NOBOOT-1');
    const station = await server.connectStation('NOBOOT-1');
    await assert.rejects(station.call('Heartbeat', {}), isSecurityError);
  });

  test('TC_B_31_CSMS Pending: configuration and triggers allowed, reset NotAllowed; Accepted after policy change and triggered boot', async () => {
    await server.provisionStation('TCB31', { bootPolicy: 'Pending' });
    const station = await server.connectStation('TCB31');
    assert.equal((await station.boot()).status, 'Pending');
    const commands = everyCommand('TCB31');
    const gv = (await api(commands.getVariables!)).getVariables;
    assert.deepEqual(gv, { getVariableResult: [{ attributeStatus: 'Accepted' }], error: null });
    const sv = (await api(commands.setVariables!)).setVariables;
    assert.deepEqual(sv, { setVariableResult: [{ attributeStatus: 'Accepted' }], error: null });
    assert.equal(station.model.read({ name: 'OCPPCommCtrlr' }, 'HeartbeatInterval'), '120');
    const report = (await api(commands.getBaseReport!)).getBaseReport;
    assert.deepEqual(report, { status: 'Accepted', report: { status: 'Complete' }, error: null }, 'NotifyReport passes the gate while Pending');
    const trigger = (await api(`mutation { triggerMessage(stationId: "TCB31", input: { requestedMessage: StatusNotification }) { status ${ERROR} } }`)).triggerMessage;
    assert.deepEqual(trigger, { status: 'Accepted', error: null });
    const statusOf = async () => JSON.stringify((await api('{ station(id: "TCB31") { evses { connectors { status } } } }')).station.evses);
    await waitUntil(async () => (await statusOf()) === '[{"connectors":[{"status":"Available"}]}]', 10_000, 'the triggered StatusNotification to be accepted');

    station.clearReceivedCalls();
    const reset = (await api(commands.reset!)).reset;
    assert.equal(reset.status, null);
    assert.equal(reset.error.code, 'NotAllowed');
    await assert.rejects(station.waitForCall('Reset', 200), /no Reset CALL/);

    await api('mutation { updateStation(id: "TCB31", input: { bootPolicy: Accepted }) { station { bootPolicy } } }');
    const boot = (await api(`mutation { triggerMessage(stationId: "TCB31", input: { requestedMessage: BootNotification }) { status ${ERROR} } }`)).triggerMessage;
    assert.deepEqual(boot, { status: 'Accepted', error: null });
    // The triggered boot follows the TriggerMessage answer.
    await waitUntil(() => station.registration === 'Accepted', 10_000, 'the triggered boot to be accepted');
    const after = (await api(BOOT_QUERY, { id: 'TCB31' })).station;
    assert.equal(after.registrationStatus, 'Accepted');
    assert.deepEqual(after.bootHistory.map((b: { reason: string; status: string }) => [b.reason, b.status]), [['Triggered', 'Accepted'], ['PowerUp', 'Pending']]);
    assert.ok((await station.call('Heartbeat', {})).currentTime, 'served once Accepted');
    const resetNow = (await api(commands.reset!)).reset;
    assert.deepEqual(resetNow, { status: 'Accepted', error: null });
  });

  test('B03.FR.03 the CSMS sends nothing to a Rejected station: every command is NotAllowed', async () => {
    await server.provisionStation('REJ-1', { bootPolicy: 'Rejected' });
    const station = await server.connectStation('REJ-1');
    assert.equal((await station.boot()).status, 'Rejected');
    const framesBefore = station.rawFrames.length;
    for (const [name, document] of Object.entries(everyCommand('REJ-1'))) {
      const payload = (await api(document))[name];
      assert.equal(payload.error?.code, 'NotAllowed', `${name}: ${JSON.stringify(payload)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(station.rawFrames.length, framesBefore, `nothing reached the station: ${station.rawFrames.slice(framesBefore).join('\n')}`);
    assert.deepEqual(station.receivedCalls, []);
  });

  test('B04 a previously Accepted station reconnecting without a boot is served', async () => {
    await server.provisionStation('RECON-1');
    const first = await server.connectStation('RECON-1');
    assert.equal((await first.boot()).status, 'Accepted');
    await first.close();
    const again = await server.connectStation('RECON-1');
    const heartbeat = await again.call('Heartbeat', {});
    assert.ok(nearNow(heartbeat.currentTime), heartbeat.currentTime);
    await again.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    const s = (await api('{ station(id: "RECON-1") { online registrationStatus evses { connectors { status } } } }')).station;
    assert.deepEqual(s, { online: true, registrationStatus: 'Accepted', evses: [{ connectors: [{ status: 'Occupied' }] }] });
    const cmd = (await api(everyCommand('RECON-1').clearCache!)).clearCache;
    assert.deepEqual(cmd, { status: 'Accepted', error: null }, 'commands reach it without a new boot');
  });
});
