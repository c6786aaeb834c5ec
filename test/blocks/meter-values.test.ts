// Issue 3 §3 at the message level: J01 MeterValues (evseId 0 = main meter), J02 sampled values in
// TransactionEvents, J03 charging-loop values; every field stored, UTC, and values the database
// cannot hold refused with PropertyConstraintViolation before anything is written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CallErrorResponse, type SimulatedStation } from '../../src/cli/simulator/station';
import { sampledValuesOfStation, sampledValuesOfTransaction } from '../../src/db/queries/meter-values';
import { findTransaction } from '../../src/db/queries/transactions';
import { startTestServer, type TestServer } from '../support/server';
import { meterValue, newTxId, send, txEvent } from '../support/transaction-events';

const SIGNED = { signedMeterData: 'AQIDBA==', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEwYH' };

describe('J Meter values', () => {
  let server: TestServer;
  let station: SimulatedStation;
  const db = () => server.app.database.db;
  const stored = (evseId?: number) => sampledValuesOfStation(db(), 'MV-1', evseId, {}, 1000);
  const refused = (promise: Promise<unknown>, code = 'PropertyConstraintViolation') =>
    assert.rejects(promise, (err: unknown) => err instanceof CallErrorResponse && err.code === code);

  before(async () => {
    server = await startTestServer();
    await server.provisionStation('MV-1');
    station = await server.connectStation('MV-1');
    assert.equal((await station.boot()).status, 'Accepted');
  });
  after(() => server.close());

  test('J01: every measurand, phase, location, unit, multiplier, context and signedMeterValue is stored; evseId 0 = main meter', async () => {
    const published: unknown[] = [];
    const off = server.app.services.bus.on('meter-values', (e) => published.push(e));
    try {
      assert.deepEqual(await station.call('MeterValues', {
        evseId: 0,
        meterValue: [
          {
            timestamp: '2025-03-01T12:00:00+02:00',
            sampledValue: [
              { value: 1234.5, context: 'Sample.Clock', signedMeterValue: SIGNED },
              { value: 230.1, measurand: 'Voltage', phase: 'L1-N', location: 'Inlet', unitOfMeasure: { unit: 'V' } },
              { value: 16, measurand: 'Current.Import', phase: 'L2', context: 'Trigger', unitOfMeasure: { unit: 'A', multiplier: -1 } },
              { value: 11, measurand: 'Power.Active.Import', location: 'Cable', unitOfMeasure: { unit: 'kW', multiplier: 3 } },
              { value: 49.98, measurand: 'Frequency', location: 'Body', context: 'Other', unitOfMeasure: { unit: 'Hz' } },
            ],
          },
        ],
      }), {});
    } finally {
      off();
    }
    const rows = await stored(0);
    assert.deepEqual(
      rows.map((r) => [r.timestamp.toISOString(), r.value, r.measurand, r.phase, r.location, r.context, r.unit, r.multiplier, r.transactionId]),
      [
        ['2025-03-01T10:00:00.000Z', 1234.5, 'Energy.Active.Import.Register', null, 'Outlet', 'Sample.Clock', 'Wh', 0, null],
        ['2025-03-01T10:00:00.000Z', 230.1, 'Voltage', 'L1-N', 'Inlet', 'Sample.Periodic', 'V', 0, null],
        ['2025-03-01T10:00:00.000Z', 16, 'Current.Import', 'L2', 'Outlet', 'Trigger', 'A', -1, null],
        ['2025-03-01T10:00:00.000Z', 11, 'Power.Active.Import', null, 'Cable', 'Sample.Periodic', 'kW', 3, null],
        ['2025-03-01T10:00:00.000Z', 49.98, 'Frequency', null, 'Body', 'Other', 'Hz', 0, null],
      ],
      'stored in UTC with OCPP defaults filled in',
    );
    assert.deepEqual(rows[0]!.signedMeterValue, SIGNED);
    assert.deepEqual(published, [{ type: 'meter-values', stationId: 'MV-1', evseId: 0, transactionId: null, sampledValueIds: rows.map((r) => r.id) }]);
  });

  test('J02/J03: sampled values inside TransactionEvents belong to the transaction and its EVSE', async () => {
    const id = newTxId();
    await send(station, txEvent('Updated', id, {
      seqNo: 1, triggerReason: 'MeterValuePeriodic',
      meterValue: [meterValue(60, { value: 80, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } }, { value: 7.4, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } })],
    }));
    await send(station, txEvent('Started', id, { seqNo: 0, evse: { id: 2, connectorId: 1 }, meterValue: [meterValue(0, { value: 500, context: 'Transaction.Begin', signedMeterValue: SIGNED })] }));
    const rows = await sampledValuesOfTransaction(db(), 'MV-1', id, {}, 100);
    assert.deepEqual(rows.map((r) => [r.measurand, r.evseId, r.context]), [
      ['Energy.Active.Import.Register', 2, 'Transaction.Begin'],
      ['SoC', 2, 'Sample.Periodic'],
      ['Power.Active.Import', 2, 'Sample.Periodic'],
    ], 'samples that arrived before the EVSE was known moved to it');
    assert.ok(rows.every((r) => r.transactionEventId !== null));
    const onlySoc = await sampledValuesOfTransaction(db(), 'MV-1', id, { measurand: 'SoC' }, 100);
    assert.deepEqual(onlySoc.map((r) => r.value), [80]);
  });

  test('non-finite or out-of-range values get PropertyConstraintViolation and nothing is stored', async () => {
    const before = (await stored()).length;
    const mv = (sampledValue: object, timestamp = '2025-03-01T10:00:00Z', evseId = 1) =>
      station.call('MeterValues', { evseId, meterValue: [{ timestamp, sampledValue: [{ value: 1 }, sampledValue] }] });
    await refused(mv({ value: 1e15, unitOfMeasure: { multiplier: 400 } }), 'PropertyConstraintViolation'); // Infinity
    await refused(mv({ value: 5, unitOfMeasure: { multiplier: 18 } })); // 5e18
    await refused(mv({ value: 1e16 })); // beyond the validator's ±1e15
    await refused(mv({ value: 1, unitOfMeasure: { multiplier: 2 ** 31 } })); // beyond int32
    await refused(mv({ value: 1 }, '0000-01-01T00:00:00Z'));
    await refused(mv({ value: 1 }, '2025-03-01T10:00:00Z', -1));
    await refused(mv({ value: 1, signedMeterValue: { ...SIGNED, publicKey: 'bad\ud800key' } }));
    assert.equal((await stored()).length, before, 'nothing stored');

    const id = newTxId();
    await refused(send(station, txEvent('Started', id, { seqNo: 0, evse: { id: 1 }, meterValue: [meterValue(0, { value: 9, unitOfMeasure: { multiplier: 400 } })] })));
    await refused(send(station, { ...txEvent('Started', id, { seqNo: 0, evse: { id: 1 } }), timestamp: '0000-06-01T00:00:00Z' }));
    assert.equal(await findTransaction(db(), 'MV-1', id), undefined, 'no transaction created');
    assert.equal((await stored()).length, before);
  });

  test('a leap second is stored as the next second; limits at 1e18 are accepted', async () => {
    await station.call('MeterValues', {
      evseId: 3, meterValue: [{ timestamp: '2016-12-31T23:59:60Z', sampledValue: [{ value: 1, unitOfMeasure: { multiplier: 18 } }] }],
    });
    const [row] = await stored(3);
    assert.equal(row!.timestamp.toISOString(), '2017-01-01T00:00:00.000Z');
    assert.equal(row!.multiplier, 18);
  });
});
