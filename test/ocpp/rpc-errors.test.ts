// SPEC-NOTES §1.7: framing, message-type, action and registration errors, one test per row.
// Payload (schema) violations are in rpc-schema-errors.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { SUITE_TIMEOUT, startTestServer, type BootPolicy, type TestServer } from '../support/server';
import {
  assertCallError, assertCallResult, exchange, validBoot, validNotifyEvent, validStatusNotification,
} from '../support/rpc';

let server: TestServer;
let station: SimulatedStation;

before(async () => {
  server = await startTestServer();
  await server.provisionStation('RPC-ERR-1');
  station = await server.connectStation('RPC-ERR-1');
  assert.equal((await station.boot()).status, 'Accepted');
});
after(() => server?.close());

describe('RpcFrameworkError (Part4 §4.2.3)', SUITE_TIMEOUT, () => {
  test('Part4 §4.1.2: text that is not JSON → RpcFrameworkError id "-1", input not echoed', async () => {
    const text = '[2,"nj-1","Heartbeat",{SECRET-GARBAGE';
    const reply = await exchange(station, text);
    assertCallError(reply, '-1', 'RpcFrameworkError');
    assert.ok(!JSON.stringify(reply).includes('SECRET-GARBAGE'), 'the invalid input is not echoed back');
  });

  test('Part4 §4.2.3: JSON that is not an array → RpcFrameworkError id "-1"', async () => {
    assertCallError(await exchange(station, '{"messageTypeId":2,"messageId":"na-1"}'), '-1', 'RpcFrameworkError');
  });

  test('Part4 §4.2.1: CALL with 3 elements → RpcFrameworkError with its id', async () => {
    assertCallError(await exchange(station, [2, 'cnt-3', 'Heartbeat']), 'cnt-3', 'RpcFrameworkError');
  });

  test('Part4 §4.2.1: CALL with 5 elements → RpcFrameworkError with its id', async () => {
    assertCallError(await exchange(station, [2, 'cnt-5', 'Heartbeat', {}, {}]), 'cnt-5', 'RpcFrameworkError');
  });

  test('Part4 §4.1.3: message type id that is not a number → RpcFrameworkError', async () => {
    assertCallError(await exchange(station, ['2', 'typ-1', 'Heartbeat', {}]), 'typ-1', 'RpcFrameworkError');
  });

  test('Part4 §4.1.4: message id that is not a string → RpcFrameworkError id "-1"', async () => {
    assertCallError(await exchange(station, [2, 42, 'Heartbeat', {}]), '-1', 'RpcFrameworkError');
  });

  test('Part4 §4.1.4: message id longer than 36 chars → RpcFrameworkError id "-1"; 36 chars is fine', async () => {
    assertCallError(await exchange(station, [2, 'x'.repeat(37), 'Heartbeat', {}]), '-1', 'RpcFrameworkError');
    const id36 = 'y'.repeat(36);
    assertCallResult(await exchange(station, [2, id36, 'Heartbeat', {}]), id36);
  });

  test('Part4 §4.2.1: action that is not a string → RpcFrameworkError', async () => {
    assertCallError(await exchange(station, [2, 'act-1', 7, {}]), 'act-1', 'RpcFrameworkError');
  });
});

describe('MessageTypeNotSupported (Part4 §4.4)', SUITE_TIMEOUT, () => {
  for (const frame of [[5, 'mt-5', {}], [6, 'mt-6', 'Heartbeat', {}], [99, 'mt-99', {}]]) {
    test(`Part4 §4.4: message type ${frame[0]} → MessageTypeNotSupported, connection kept`, async () => {
      assertCallError(await exchange(station, frame), frame[1] as string, 'MessageTypeNotSupported');
      assert.ok(station.isOpen);
    });
  }
});

describe('NotImplemented / NotSupported (Part4 §4.1.6)', SUITE_TIMEOUT, () => {
  for (const action of ['StartTransaction', 'bootnotification', 'BootNotificationRequest']) {
    test(`Part4 §4.1.6: unknown action '${action}' (1.6 name / wrong case / suffix) → NotImplemented`, async () => {
      assertCallError(await exchange(station, [2, `ni-${action}`.slice(0, 36), action, {}]), `ni-${action}`.slice(0, 36), 'NotImplemented');
    });
  }

  test('Part4 §4.2.3: a 5000-char action name → NotImplemented with a description ≤ 255 chars', async () => {
    assertCallError(await exchange(station, [2, 'ni-long', 'A'.repeat(5000), {}]), 'ni-long', 'NotImplemented');
  });

  test('Part4 §4.2.3: CSMS→CS action Reset sent by the station → NotSupported', async () => {
    assertCallError(await exchange(station, [2, 'ns-1', 'Reset', { type: 'Immediate' }]), 'ns-1', 'NotSupported');
  });
});

describe('SecurityError: registration gating (B01–B03)', SUITE_TIMEOUT, () => {
  test('B01.FR.10: StatusNotification before any BootNotification → SecurityError', async () => {
    await server.provisionStation('RPC-NOBOOT');
    const fresh = await server.connectStation('RPC-NOBOOT');
    assertCallError(await exchange(fresh, [2, 'sec-0', 'StatusNotification', validStatusNotification()]), 'sec-0', 'SecurityError');
    assertCallError(await exchange(fresh, [2, 'sec-0h', 'Heartbeat', {}]), 'sec-0h', 'SecurityError');
    // The gate lifts after an accepted boot: the same message is then processed.
    assertCallResult(await exchange(fresh, [2, 'sec-0b', 'BootNotification', validBoot()]), 'sec-0b');
    assertCallResult(await exchange(fresh, [2, 'sec-0c', 'StatusNotification', validStatusNotification()]), 'sec-0c');
  });

  for (const policy of ['Pending', 'Rejected'] as BootPolicy[]) {
    test(`TC_B_30_CSMS (B02.FR.09/B03.FR.07): boot ${policy}, then StatusNotification and NotifyEvent → SecurityError`, async () => {
      const id = `RPC-${policy.toUpperCase()}`;
      await server.provisionStation(id, { bootPolicy: policy });
      const gated = await server.connectStation(id);
      assert.equal((await gated.boot()).status, policy);
      assertCallError(await exchange(gated, [2, 'g-sn', 'StatusNotification', validStatusNotification()]), 'g-sn', 'SecurityError');
      assertCallError(await exchange(gated, [2, 'g-ne', 'NotifyEvent', validNotifyEvent()]), 'g-ne', 'SecurityError');
      assert.ok(gated.isOpen, 'the CSMS does not close a Pending/Rejected station');
    });
  }
});

test('after every error above the connection is still open and serves a Heartbeat', SUITE_TIMEOUT, async () => {
  assert.ok(station.isOpen);
  const response = await station.call('Heartbeat', {});
  assert.ok(!Number.isNaN(Date.parse(response.currentTime)));
});
