// SPEC-NOTES §1.7: payload errors, one code per ajv keyword (each payload is valid except for the
// one thing the test breaks; the baseline test proves the unbroken payloads are accepted).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import { assertCallError, assertCallResult, exchange, validNotifyEvent, validStatusNotification } from '../support/rpc';

let server: TestServer;
let station: SimulatedStation;
let seq = 0;

before(async () => {
  server = await startTestServer();
  await server.provisionStation('RPC-SCHEMA-1');
  station = await server.connectStation('RPC-SCHEMA-1');
  assert.equal((await station.boot()).status, 'Accepted');
});
after(() => server?.close());

async function expectError(action: string, payload: unknown, code: string): Promise<void> {
  const id = `s-${++seq}`;
  assertCallError(await exchange(station, [2, id, action, payload]), id, code);
}

const status = (patch: Record<string, unknown>) => ({ ...validStatusNotification(), ...patch });

describe('payload violations → RPC error codes (SPEC-NOTES §1.7)', SUITE_TIMEOUT, () => {
  test('baseline: the unbroken payloads are accepted (CALLRESULT)', async () => {
    assertCallResult(await exchange(station, [2, 'b-1', 'StatusNotification', validStatusNotification()]), 'b-1');
    assertCallResult(await exchange(station, [2, 'b-2', 'NotifyEvent', validNotifyEvent()]), 'b-2');
    assertCallResult(await exchange(station, [2, 'b-3', 'DataTransfer', { vendorId: 'v'.repeat(255) }]), 'b-3');
    assertCallResult(await exchange(station, [2, 'b-4', 'StatusNotification', status({ evseId: 2147483647 })]), 'b-4');
  });

  test('Part4 §4.1.5: payload null → FormatViolation', () => expectError('Heartbeat', null, 'FormatViolation'));

  test('Part4 §4.1.5: payload is an array → FormatViolation', () => expectError('Heartbeat', [], 'FormatViolation'));

  test('Part2 dateTime: timestamp without timezone → FormatViolation', () =>
    expectError('StatusNotification', status({ timestamp: '2024-05-06T10:00:00' }), 'FormatViolation'));

  test('Part2 dateTime: year 0000 cannot be stored → PropertyConstraintViolation (never InternalError); a leap second is accepted', async () => {
    await expectError('StatusNotification', status({ timestamp: '0000-01-01T00:00:00Z' }), 'PropertyConstraintViolation');
    await expectError('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: '0000-06-01T00:00:00Z' }, 'PropertyConstraintViolation');
    await expectError('NotifyEvent', { ...validNotifyEvent(), eventData: [{ ...validNotifyEvent().eventData[0]!, timestamp: '0000-01-01T00:00:00Z' }] }, 'PropertyConstraintViolation');
    assertCallResult(await exchange(station, [2, 'leap-1', 'StatusNotification', status({ timestamp: '2016-12-31T23:59:60Z' })]), 'leap-1');
    assertCallResult(await exchange(station, [2, 'leap-2', 'SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: '2016-12-31T23:59:60Z' }]), 'leap-2');
  });

  test('Part4 Table 8: property not in the schema → ProtocolError', () =>
    expectError('Heartbeat', { unexpected: true }, 'ProtocolError'));

  test('Part4 Table 8: required field missing → OccurrenceConstraintViolation', async () => {
    const { connectorStatus: _omit, ...payload } = validStatusNotification();
    await expectError('StatusNotification', payload, 'OccurrenceConstraintViolation');
  });

  test('Part4 Table 8: customData without vendorId → OccurrenceConstraintViolation', () =>
    expectError('Heartbeat', { customData: {} }, 'OccurrenceConstraintViolation'));

  test('Part4 Table 8: enum value not in the list → PropertyConstraintViolation', () =>
    expectError('StatusNotification', status({ connectorStatus: 'Broken' }), 'PropertyConstraintViolation'));

  test('Part2 integer is int32: evseId 2^31 → PropertyConstraintViolation', () =>
    expectError('StatusNotification', status({ evseId: 2147483648 }), 'PropertyConstraintViolation'));

  test('SPEC-NOTES §1.7: string containing NUL → PropertyConstraintViolation', () =>
    expectError('DataTransfer', { vendorId: 'Vendor\u0000X' }, 'PropertyConstraintViolation'));

  test('SPEC-NOTES §1.7: a property name containing NUL inside customData → PropertyConstraintViolation', () =>
    expectError('DataTransfer', { vendorId: 'V', data: { ['a\u0000b']: 1 } }, 'PropertyConstraintViolation'));

  test('Part4 Table 8: wrong JSON type ("1" for an integer) → TypeConstraintViolation', () =>
    expectError('StatusNotification', status({ evseId: '1' }), 'TypeConstraintViolation'));

  test('Part4 Table 8: string longer than string[255] → TypeConstraintViolation', () =>
    expectError('DataTransfer', { vendorId: 'v'.repeat(256) }, 'TypeConstraintViolation'));

  test('Part4 §4.2.3: a 1000-char unknown property name keeps errorDescription ≤ 255', () =>
    expectError('Heartbeat', { ['p'.repeat(1000)]: 1 }, 'ProtocolError'));

  test('the connection survives all schema errors', async () => {
    assert.ok(station.isOpen);
    assertCallResult(await exchange(station, [2, 'end-1', 'Heartbeat', {}]), 'end-1');
  });
});
