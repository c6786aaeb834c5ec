// Issue 4 §8 customer information (N09/N10), simulator ⇄ server over real sockets: the request as
// the OCTT CSMS test cases check it, NotifyCustomerInformation parts assembled into one stored
// report, and clearCsmsData removing (or anonymising) what the CSMS holds about an idToken.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { customerRecords } from '../../src/cli/simulator/customer-information';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { gql, gqlData, waitUntil } from '../support/graphql-client';
import { provisionIdTokens } from '../support/id-tokens';
import { bootedStation, startTestServer, type TestServer } from '../support/server';

const STATION = 'CUST-1';
const TOKEN = { idToken: 'CUST-TOKEN-1', type: 'ISO14443' };
const OTHER = { idToken: 'CUST-TOKEN-2', type: 'ISO14443' };
const REPORT_FIELDS = `requestId report clear clearCsmsData status partsReceived data customerIdentifier idToken { idToken type }
  parts { seqNo tbc data } csmsDataCleared { idTokensDeleted remoteStartsDeleted transactionsAnonymised transactionEventsAnonymised customerInformationReportsDeleted }`;
const CUSTOMER_INFORMATION = `mutation ($id: ID!, $input: CustomerInformationInput!) { customerInformation(stationId: $id, input: $input) {
  status statusInfo { reasonCode } requestId report { ${REPORT_FIELDS} }
  csmsDataCleared { idTokensDeleted transactionsAnonymised } error { code } } }`;
const REPORT = `query ($id: ID!, $requestId: Int!) { customerInformationReport(stationId: $id, requestId: $requestId) { ${REPORT_FIELDS} } }`;

describe('customer information (N09/N10)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let station: SimulatedStation;
  const api = (query: string, variables?: Record<string, unknown>) => gqlData(server.httpUrl, server.adminKey, query, variables);
  let firstReport = 0;
  const ask = async (input: Record<string, unknown>) => (await api(CUSTOMER_INFORMATION, { id: STATION, input })).customerInformation;

  before(async () => {
    server = await startTestServer();
    station = await bootedStation(server, STATION);
  });
  after(() => server.close());

  test('TC_N_27_CSMS N09.FR.01/04 report with data: a long report arrives in parts, assembled and stored', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `Session ${i + 1}: 2026-11-${String((i % 20) + 1).padStart(2, '0')} EVSE 1, 12.5 kWh, card ${TOKEN.idToken}`);
    for (const line of lines) customerRecords(station.model).add({ idToken: TOKEN }, line);
    station.clearReceivedCalls();
    const payload = await ask({ report: true, clear: false, idToken: TOKEN });
    const sent = await station.waitForCall('CustomerInformation', 100);
    assert.deepEqual([sent.report, sent.clear, sent.idToken], [true, false, TOKEN]);
    assert.equal(sent.requestId, payload.requestId, 'the generated requestId is returned');
    assert.equal(payload.status, 'Accepted');
    assert.equal(payload.error, null);
    const report = payload.report;
    firstReport = payload.requestId;
    assert.equal(report.status, 'Complete');
    assert.ok(report.partsReceived >= 3, `several parts: ${report.partsReceived}`);
    assert.deepEqual(report.parts.map((p: { seqNo: number }) => p.seqNo), [...Array(report.partsReceived).keys()]);
    assert.deepEqual(report.parts.map((p: { tbc: boolean }) => p.tbc), report.parts.map((_: unknown, i: number) => i < report.partsReceived - 1));
    assert.equal(report.data, lines.join('\n'));
    assert.deepEqual(report.idToken, TOKEN);
    assert.deepEqual((await api(REPORT, { id: STATION, requestId: payload.requestId })).customerInformationReport, report);
    const listed = (await api(`{ station(id: "${STATION}") { customerInformationReports(first: 5) { requestId status } } }`)).station;
    assert.deepEqual(listed.customerInformationReports[0], { requestId: payload.requestId, status: 'Complete' });
  });

  test('TC_N_28_CSMS N09.FR.01/04 report without data: one part saying so', async () => {
    const payload = await ask({ report: true, clear: false, idToken: OTHER, requestId: 4242 });
    assert.equal(payload.requestId, 4242);
    assert.equal(payload.status, 'Accepted');
    assert.equal(payload.report.status, 'Complete');
    assert.equal(payload.report.partsReceived, 1);
    assert.match(payload.report.data, /No data found/);
  });

  test('TC_N_29_CSMS N09.FR.01/04 the station rejects: status stored, no waiting for parts', async () => {
    station.handle('CustomerInformation', () => ({ status: 'Rejected', statusInfo: { reasonCode: 'Busy' } }));
    try {
      const payload = await ask({ report: true, clear: false, idToken: TOKEN });
      assert.equal(payload.status, 'Rejected');
      assert.deepEqual(payload.statusInfo, { reasonCode: 'Busy' });
      assert.deepEqual([payload.report.status, payload.report.partsReceived, payload.report.data], ['Rejected', 0, '']);
    } finally {
      station.handle('CustomerInformation');
    }
  });

  test('TC_N_62_CSMS N10.FR.08 clear and report by customerIdentifier; a later report finds nothing', async () => {
    customerRecords(station.model).add({ customerIdentifier: 'OpenChargeAlliance' }, 'Contract OCA-1, invoice address on file');
    station.clearReceivedCalls();
    const payload = await ask({ report: true, clear: true, customerIdentifier: 'OpenChargeAlliance' });
    const sent = await station.waitForCall('CustomerInformation', 100);
    assert.deepEqual([sent.report, sent.clear, sent.customerIdentifier, sent.idToken], [true, true, 'OpenChargeAlliance', undefined]);
    assert.equal(payload.status, 'Accepted');
    assert.match(payload.report.data, /Contract OCA-1[\s\S]*cleared/);
    assert.equal(payload.report.customerIdentifier, 'OpenChargeAlliance');
    const again = await ask({ report: true, clear: false, customerIdentifier: 'OpenChargeAlliance' });
    assert.match(again.report.data, /No data found/);
  });

  test('TC_N_31_CSMS N10.FR.08 clear and report without data', async () => {
    station.clearReceivedCalls();
    const payload = await ask({ report: true, clear: true, idToken: OTHER });
    const sent = await station.waitForCall('CustomerInformation', 100);
    assert.deepEqual([sent.report, sent.clear, sent.idToken], [true, true, OTHER]);
    assert.deepEqual([payload.status, payload.report.status], ['Accepted', 'Complete']);
    assert.match(payload.report.data, /No data found/);
    assert.equal(payload.csmsDataCleared, null, 'the CSMS keeps its own data unless asked');
  });

  test('TC_N_32_CSMS N10.FR.08 clear without report, and clearCsmsData forgets the idToken in the CSMS', async () => {
    await provisionIdTokens(server, [{ idToken: TOKEN.idToken }]);
    await station.plugIn(1);
    assert.equal(await station.authorize(TOKEN), 'Accepted');
    await waitUntil(() => station.transaction(1) !== undefined, 10_000, 'a transaction');
    const tx = station.transaction(1)!.transactionId;
    const TX = `query ($tx: String!) { transaction(stationId: "${STATION}", transactionId: $tx) { active idToken { idToken } events { seqNo } } }`;
    await waitUntil(async () => (await api(TX, { tx })).transaction?.idToken?.idToken === TOKEN.idToken, 10_000, 'the stored transaction');
    await station.unplug(1);
    await waitUntil(async () => (await api(TX, { tx })).transaction.active === false, 10_000, 'the transaction to end');

    station.clearReceivedCalls();
    const payload = await ask({ report: false, clear: true, idToken: { ...TOKEN, idToken: TOKEN.idToken.toLowerCase() }, clearCsmsData: true });
    const sent = await station.waitForCall('CustomerInformation', 100);
    assert.deepEqual([sent.report, sent.clear, sent.idToken.idToken, sent.idToken.type], [false, true, TOKEN.idToken.toLowerCase(), TOKEN.type]);
    assert.equal(payload.status, 'Accepted');
    assert.match(payload.report.data, /cleared/, 'N10.FR.06: one part telling the data was cleared');
    assert.deepEqual(payload.csmsDataCleared, { idTokensDeleted: 1, transactionsAnonymised: 1 });
    assert.equal(payload.report.csmsDataCleared.transactionEventsAnonymised > 0, true);
    assert.equal(payload.report.csmsDataCleared.customerInformationReportsDeleted, 2, 'the reports of TC_N_27 and TC_N_29');
    assert.equal((await api(REPORT, { id: STATION, requestId: firstReport })).customerInformationReport, null);
    assert.equal((await api(REPORT, { id: STATION, requestId: payload.requestId })).customerInformationReport.clearCsmsData, true);

    const stored = await api(`{ idToken(idToken: "${TOKEN.idToken}", type: ISO14443) { idToken { idToken } } }`);
    assert.equal(stored.idToken, null, 'the authorization data is gone');
    const kept = (await api(TX, { tx })).transaction;
    assert.equal(kept.idToken, null, 'the transaction is kept, anonymised');
    assert.ok(kept.events.length > 0);
    const byToken = await api(`{ transactions(filter: { idToken: "${TOKEN.idToken}" }) { edges { node { transactionId } } } }`);
    assert.deepEqual(byToken.transactions.edges, [], 'no transaction is found by the idToken any more');
  });

  test('N09.FR.04/N10.FR.08 and N09.FR.07/N10.FR.07: the CSMS refuses requests it must not send', async () => {
    const refused = async (input: Record<string, unknown>, code = 'BAD_USER_INPUT') => {
      const { body } = await gql(server.httpUrl, server.adminKey, CUSTOMER_INFORMATION, { id: STATION, input });
      assert.equal(body.errors?.[0]?.extensions?.code, code, JSON.stringify(input));
    };
    station.clearReceivedCalls();
    await refused({ report: true, clear: false });
    await refused({ report: true, clear: false, idToken: TOKEN, customerIdentifier: 'x' });
    await refused({ report: false, clear: false, idToken: TOKEN });
    await refused({ report: true, clear: false, idToken: TOKEN, clearCsmsData: true });
    await refused({ report: true, clear: false, idToken: OTHER, requestId: 4242 }, 'CONFLICT');
    assert.equal(station.receivedCalls.filter((c) => c.action === 'CustomerInformation').length, 0, 'nothing was sent');
  });

  test('NotifyCustomerInformation parts out of order, repeated, or unsolicited are stored once, in seqNo order', async () => {
    const generatedAt = new Date().toISOString();
    await station.call('NotifyCustomerInformation', { requestId: 777, seqNo: 1, tbc: false, data: 'second', generatedAt });
    await station.call('NotifyCustomerInformation', { requestId: 777, seqNo: 0, tbc: true, data: 'first ', generatedAt });
    await station.call('NotifyCustomerInformation', { requestId: 777, seqNo: 0, tbc: true, data: 'first ', generatedAt });
    const report = (await api(REPORT, { id: STATION, requestId: 777 })).customerInformationReport;
    assert.deepEqual([report.status, report.partsReceived, report.data], ['Complete', 2, 'first second']);
  });
});
