// Issue 5 §3: GET /metrics in the Prometheus text format — OCPP messages by direction/type/action,
// CALLERRORs by code both ways, handler latency, connected stations, pending outgoing calls,
// database latency, GraphQL operations and open subscriptions; one registry per app.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { gqlData, subscribe, waitUntil } from '../support/graphql-client';
import { parseExposition, type Exposition } from '../support/prometheus-text';
import { assertCallError, assertCallResult, exchange, validBoot } from '../support/rpc';
import { startTestServer, type TestServer } from '../support/server';
import { basicAuth, closeRaw, nextMessages, openRaw } from '../support/ws-client';
import { CONNECTION_EVENTS } from '../graphql/documents';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const TRIGGER = 'mutation ($id: ID!) { triggerMessage(stationId: $id, input: { requestedMessage: Heartbeat }) { status error { code } } }';

async function scrape(server: TestServer, token?: string): Promise<Exposition> {
  const res = await fetch(`${server.httpUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

const messages = (e: Exposition, direction: string, type: string, action: string) =>
  e.value('chargegraph_ocpp_messages_total', { direction, type, action }) ?? 0;

describe('GET /metrics (issue 5 §3)', { timeout: 60_000 }, () => {
  let server: TestServer;
  let other: TestServer;

  before(async () => {
    // One after the other: the built-in CA is created on the first start in a process.
    server = await startTestServer();
    other = await startTestServer({ METRICS_TOKEN });
  });
  after(() => Promise.all([server?.close(), other?.close()]));

  test('OCPP traffic moves the message, error and latency series with bounded labels', async () => {
    await server.provisionStation('MET-1');
    const station = await server.connectStation('MET-1');
    const before = await scrape(server);
    assertCallResult(await exchange(station, [2, 'boot-1', 'BootNotification', validBoot()]), 'boot-1');
    assertCallResult(await exchange(station, [2, 'hb-1', 'Heartbeat', {}]), 'hb-1');
    assertCallResult(await exchange(station, [2, 'hb-2', 'Heartbeat', {}]), 'hb-2');
    // Hostile action names must not become label values (they would grow the series without bound).
    assertCallError(await exchange(station, [2, 'evil-1', 'Evil"Action\n{}', {}]), 'evil-1', 'NotImplemented');
    assertCallError(await exchange(station, [2, 'fmt-1', 'Heartbeat', { extra: 1 }]), 'fmt-1', 'ProtocolError');
    assertCallError(await exchange(station, 'not json'), '-1', 'RpcFrameworkError');
    const after = await scrape(server);

    const delta = (type: string, action: string, direction = 'in') =>
      messages(after, direction, type, action) - messages(before, direction, type, action);
    assert.equal(delta('call', 'BootNotification'), 1);
    assert.equal(delta('result', 'BootNotification', 'out'), 1);
    assert.equal(delta('call', 'Heartbeat'), 3);
    assert.equal(delta('result', 'Heartbeat', 'out'), 2);
    assert.equal(delta('error', 'Heartbeat', 'out'), 1);
    assert.equal(delta('call', 'unknown'), 1, 'an unknown action counts as "unknown"');
    assert.equal(delta('invalid', 'unknown'), 1, 'an unparsable frame counts as invalid');
    for (const sample of after.samples.filter((s) => s.name === 'chargegraph_ocpp_messages_total')) {
      assert.ok(!sample.labels.action!.includes('Evil'), `hostile action leaked into a label: ${sample.labels.action}`);
    }
    const errors = (code: string, action: string) =>
      after.value('chargegraph_ocpp_call_errors_total', { direction: 'out', code, action }) ?? 0;
    assert.equal(errors('NotImplemented', 'unknown'), 1);
    assert.equal(errors('ProtocolError', 'Heartbeat'), 1);
    assert.equal(errors('RpcFrameworkError', 'unknown'), 1);
    assert.equal(after.value('chargegraph_ocpp_handler_duration_seconds_count', { action: 'Heartbeat' }), 3);
    assert.equal(after.value('chargegraph_ocpp_handler_duration_seconds_count', { action: 'BootNotification' }), 1);
    assert.ok((after.value('chargegraph_ocpp_handler_duration_seconds_sum', { action: 'BootNotification' }) ?? -1) >= 0);
    assert.equal(after.types.get('chargegraph_ocpp_handler_duration_seconds'), 'histogram');
    assert.equal(after.value('chargegraph_ocpp_stations_connected'), 1);
    assert.ok((after.value('chargegraph_ocpp_upgrades_total', { status: '101' }) ?? 0) >= 1);
    // The boot stored the station: the database series moved.
    assert.ok(after.sum('chargegraph_db_query_duration_seconds_count') > before.sum('chargegraph_db_query_duration_seconds_count'));
    assert.equal(after.value('chargegraph_db_queries_in_flight'), 0);
    await assert.rejects(server.app.database.db.execute(sql`select * from no_such_table_for_metrics`));
    const failed = await scrape(server);
    assert.equal(failed.value('chargegraph_db_query_errors_total', { operation: 'select' }), (after.value('chargegraph_db_query_errors_total', { operation: 'select' }) ?? 0) + 1);
    assert.equal(after.value('chargegraph_db_pool_max_connections', { storage: server.app.database.kind }), server.app.database.kind === 'pglite' ? 1 : 4);
    // Process default metrics are appended.
    assert.ok(after.types.has('process_cpu_user_seconds_total'));
    assert.ok(after.types.has('nodejs_eventloop_lag_seconds'));
    assert.equal(after.value('chargegraph_info', { storage: server.app.database.kind }), 1);
  });

  test('a command waiting for its answer is a pending outgoing call; its outcome and round trip are counted', async () => {
    const password = await server.provisionStation('MET-RAW');
    const ws = await openRaw(`${server.ocppUrl}/MET-RAW`, { headers: { Authorization: basicAuth('MET-RAW', password) } });
    try {
      const booted = nextMessages(ws, 1);
      ws.send(JSON.stringify([2, 'b-1', 'BootNotification', validBoot()]));
      assertCallResult((await booted)[0]!, 'b-1');
      const call = nextMessages(ws, 1, 10_000);
      const command = gqlData(server.httpUrl, server.adminKey, TRIGGER, { id: 'MET-RAW' });
      const [frame] = await call;
      assert.equal(frame![2], 'TriggerMessage');
      const pending = await scrape(server);
      assert.equal(pending.value('chargegraph_ocpp_outgoing_calls_pending'), 1);
      assert.equal(messages(pending, 'out', 'call', 'TriggerMessage'), 1);
      ws.send(JSON.stringify([3, frame![1], { status: 'Accepted' }]));
      assert.equal((await command).triggerMessage.status, 'Accepted');
      const settled = await scrape(server);
      assert.equal(settled.value('chargegraph_ocpp_outgoing_calls_pending'), 0);
      assert.equal(messages(settled, 'in', 'result', 'TriggerMessage'), 1);
      assert.equal(settled.value('chargegraph_ocpp_outgoing_calls_total', { action: 'TriggerMessage', outcome: 'result' }), 1);
      assert.equal(settled.value('chargegraph_ocpp_outgoing_call_duration_seconds_count', { action: 'TriggerMessage' }), 1);
      // A station CALLERROR to our CALL is an incoming error with its code.
      const second = nextMessages(ws, 1, 10_000);
      const failing = gqlData(server.httpUrl, server.adminKey, TRIGGER, { id: 'MET-RAW' });
      const [call2] = await second;
      ws.send(JSON.stringify([4, call2![1], 'NotSupported', 'no', {}]));
      assert.equal((await failing).triggerMessage.error.code, 'CallError');
      const failed = await scrape(server);
      assert.equal(failed.value('chargegraph_ocpp_call_errors_total', { direction: 'in', code: 'NotSupported', action: 'TriggerMessage' }), 1);
      assert.equal(failed.value('chargegraph_ocpp_outgoing_calls_total', { action: 'TriggerMessage', outcome: 'CallError' }), 1);
    } finally {
      await closeRaw(ws);
    }
  });

  test('GraphQL operations by transport and type; open graphql-ws subscriptions go up and down', async () => {
    const before = await scrape(server);
    await gqlData(server.httpUrl, server.adminKey, '{ __typename }');
    const sub = subscribe(server.httpUrl, server.adminKey, CONNECTION_EVENTS, { id: 'MET-SUB' });
    try {
      await waitUntil(async () => (await scrape(server)).value('chargegraph_graphql_subscriptions_open') === 1, 10_000, 'an open subscription');
      const during = await scrape(server);
      const ops = (e: Exposition, transport: string, type: string) => e.value('chargegraph_graphql_operations_total', { transport, type }) ?? 0;
      assert.equal(ops(during, 'http', 'query') - ops(before, 'http', 'query'), 1);
      assert.equal(ops(during, 'ws', 'subscription') - ops(before, 'ws', 'subscription'), 1);
    } finally {
      await sub.dispose();
    }
    await waitUntil(async () => (await scrape(server)).value('chargegraph_graphql_subscriptions_open') === 0, 10_000, 'the subscription to close');
  });

  test('each app has its own registry; METRICS_TOKEN requires a bearer token', async () => {
    const denied = await fetch(`${other.httpUrl}/metrics`);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
    const wrong = await fetch(`${other.httpUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    const quiet = await scrape(other, METRICS_TOKEN);
    // The first server's traffic is not in the second app's registry.
    assert.equal(messages(quiet, 'in', 'call', 'BootNotification'), 0);
    assert.equal(quiet.value('chargegraph_ocpp_stations_connected'), 0);
    assert.ok(messages(await scrape(server), 'in', 'call', 'BootNotification') >= 1);
  });
});
