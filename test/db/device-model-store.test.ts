// B05–B07 device model storage on the database (PGlite, and PostgreSQL with TEST_DATABASE_URL):
// one statement per save, merged duplicates, NULL keys matching NULL keys, stored values and
// characteristics kept when a later save does not give them; the ItemsPerMessage/BytesPerMessage
// pair read in one statement.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { instrumentDatabase, type DbOperation } from '../../src/db/instrument';
import { stations } from '../../src/db/schema';
import { actualValue, actualValues, listVariables } from '../../src/db/queries/device-model';
import { saveDeviceModel } from '../../src/db/queries/device-model-store';
import { findStation } from '../../src/db/queries/stations';
import { messageLimits } from '../../src/blocks/provisioning/message-limits';
import type { Ctx } from '../../src/blocks/context';
import { openTestDatabase } from '../support/database';

const AT = new Date('2025-06-01T12:00:00.000Z');

describe('B05–B07 device model store', () => {
  let database: Database;
  const operations: DbOperation[] = [];
  const rows = async (stationId: string) =>
    (await listVariables(database.db, stationId, {}, 100)).map((r) => ({
      component: [r.component.name, r.component.instance, r.component.evseId, r.component.connectorId],
      variable: [r.variable.name, r.variable.instance, r.variable.unit, r.variable.dataType, r.variable.maxLimit, r.variable.supportsMonitoring],
      attributes: r.attributes.map((a) => [a.type, a.value, a.mutability]).sort(),
    }));

  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values([{ id: 'DM-1' }, { id: 'DM-2' }]);
    instrumentDatabase(database, { queryStarted: () => {}, queryFinished: (operation) => operations.push(operation) });
  });
  after(() => database.close());

  test('B07 a save of many entries is one statement, not a transaction', async () => {
    operations.length = 0;
    await saveDeviceModel(database.db, 'DM-1', [
      { component: { name: 'EVSE', evseId: 1 }, variable: { name: 'Power' }, attributes: [{ type: 'Actual', value: '0' }, { type: 'MaxSet', value: '22000' }] },
      { component: { name: 'Connector', evseId: 1, connectorId: 1 }, variable: { name: 'ConnectorType' }, attributes: [{ type: 'Actual', value: 'cType2' }] },
      { component: { name: 'TxCtrlr' }, variable: { name: 'TxStartPoint' }, attributes: [{ type: 'Actual', value: 'PowerPathClosed' }] },
    ], AT);
    assert.deepEqual(operations, ['other']);
    assert.equal((await rows('DM-1')).length, 3);
  });

  test('B07 duplicates merge, NULL instance/EVSE keys match NULL, and a later save keeps what it does not give', async () => {
    await saveDeviceModel(database.db, 'DM-2', [
      { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, characteristics: { unit: 's', dataType: 'integer' }, attributes: [{ type: 'Actual', value: '60', mutability: 'ReadWrite' }] },
      // The same variable again in the same save: characteristics merge, the later value wins.
      { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, characteristics: { maxLimit: 3600 }, attributes: [{ type: 'Actual', value: '30' }] },
      { component: { name: 'SampledDataCtrlr', instance: 'Main' }, variable: { name: 'TxUpdatedInterval', instance: 'Fast' }, attributes: [{ type: 'Actual', value: '5' }] },
      { component: { name: 'EVSE', evseId: 2 }, variable: { name: 'Power' }, characteristics: { supportsMonitoring: true }, attributes: [] },
    ], AT);
    // Saved again without characteristics, with a value for one attribute and none for another.
    await saveDeviceModel(database.db, 'DM-2', [
      { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributes: [{ type: 'Actual', value: '15' }] },
      { component: { name: 'SampledDataCtrlr', instance: 'Main' }, variable: { name: 'TxUpdatedInterval', instance: 'Fast' }, attributes: [{ type: 'Actual' }] },
    ], AT);
    assert.deepEqual(await rows('DM-2'), [
      { component: ['EVSE', null, 2, null], variable: ['Power', null, null, null, null, true], attributes: [] },
      { component: ['SampledDataCtrlr', 'Main', null, null], variable: ['TxUpdatedInterval', 'Fast', null, null, null, null], attributes: [['Actual', '5', null]] },
      // Within one save the later attribute replaces the earlier one whole (its mutability too).
      { component: ['SampledDataCtrlr', null, null, null], variable: ['TxUpdatedInterval', null, 's', 'integer', '3600', null], attributes: [['Actual', '15', null]] },
    ]);
  });

  test('B06 ItemsPerMessage and BytesPerMessage of one action are read in one statement; a NULL instance matches only NULL', async () => {
    await saveDeviceModel(database.db, 'DM-1', [
      { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetVariables' }, attributes: [{ type: 'Actual', value: '4' }] },
      { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'BytesPerMessage', instance: 'GetVariables' }, attributes: [{ type: 'Actual', value: '900' }] },
      { component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'SetVariables' }, attributes: [{ type: 'Target', value: '7' }] },
      { component: { name: 'ISO15118Ctrlr' }, variable: { name: 'SeccId' }, attributes: [{ type: 'Actual', value: 'SECC-1' }] },
    ], AT);
    operations.length = 0;
    assert.deepEqual(await actualValues(database.db, 'DM-1', 'DeviceDataCtrlr', 'GetVariables', 'ItemsPerMessage', 'BytesPerMessage'), ['4', '900']);
    assert.deepEqual(operations, ['select']);
    assert.deepEqual(await actualValues(database.db, 'DM-1', 'DeviceDataCtrlr', 'SetVariables', 'ItemsPerMessage', 'BytesPerMessage'), [undefined, undefined]);
    assert.equal(await actualValue(database.db, 'DM-1', 'ISO15118Ctrlr', 'SeccId', null), 'SECC-1');
    assert.equal(await actualValue(database.db, 'DM-1', 'DeviceDataCtrlr', 'ItemsPerMessage', null), undefined);
    assert.equal(await actualValue(database.db, 'DM-2', 'ISO15118Ctrlr', 'SeccId', null), undefined);
  });

  test('B06 a command\'s message limits: one statement with the station row the command began with, two without', async () => {
    const station = (await findStation(database.db, 'DM-1'))!;
    const ctx = (withRow: boolean) => ({ db: database.db, stationId: 'DM-1', station: withRow ? { ...station, itemsPerMessageGetVariables: 2 } : undefined }) as unknown as Ctx;
    operations.length = 0;
    assert.deepEqual(await messageLimits(ctx(true), 'GetVariables'), { items: 2, bytes: 900 });
    assert.deepEqual(operations, ['select']);
    operations.length = 0;
    assert.deepEqual(await messageLimits(ctx(false), 'GetVariables'), { items: 4, bytes: 900 });
    assert.deepEqual(operations, ['select', 'select']);
  });
});
