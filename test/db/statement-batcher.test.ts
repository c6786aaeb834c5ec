// G01/J01 under load: the StatusNotifications and MeterValues of many stations that arrive in one turn
// of the event loop are stored by one statement each kind, each exactly as alone.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import type { DbOperation } from '../../src/db/instrument';
import { applyConnectorStatus, findConnector } from '../../src/db/queries/connectors';
import { findIdToken, upsertIdTokens } from '../../src/db/queries/id-tokens';
import { findSampledValues, recordSampledValues, sampledValueRows } from '../../src/db/queries/meter-values';
import type { MeterValueType } from '../../src/ocpp/generated/types';
import { openCountedDatabase } from '../support/counted-database';
import { kWh, meterValue } from '../support/transaction-events';

const STATIONS = Array.from({ length: 10 }, (_, i) => `CS-SB-${i}`);
const T0 = new Date('2026-01-01T10:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

describe('statements of one turn stored together', () => {
  let database: Database;
  let operations: DbOperation[];

  before(async () => {
    ({ database, operations } = await openCountedDatabase(STATIONS));
  });
  after(() => database.close());

  test('G01: StatusNotifications of 10 stations: one statement; EVSEs created; an older status is not applied', async () => {
    operations.length = 0;
    const first = await Promise.all(STATIONS.map((id, i) => applyConnectorStatus(database.db, id, 1 + (i % 2), 1, 'Occupied', later(10))));
    assert.deepEqual(operations, ['other']);
    assert.ok(first.every((a) => a !== undefined && a.availability === null && a.scheduledAbove === false));
    // Half the stations report a status older than the stored one (a delayed message).
    const second = await Promise.all(STATIONS.map((id, i) => applyConnectorStatus(database.db, id, 1 + (i % 2), 1, 'Available', later(i % 2 === 0 ? 5 : 20))));
    assert.deepEqual(second.map((a) => a !== undefined), STATIONS.map((_, i) => i % 2 === 1));
    for (const [i, id] of STATIONS.entries()) {
      const connector = await findConnector(database.db, id, 1 + (i % 2), 1);
      assert.equal(connector?.status, i % 2 === 0 ? 'Occupied' : 'Available', id);
    }
  });

  test('J01: MeterValues of 10 stations: one statement; each request gets the ids of its own samples', async () => {
    operations.length = 0;
    const ids = await Promise.all(STATIONS.map((id, i) =>
      recordSampledValues(database.db, sampledValueRows([meterValue(i, kWh(100 + i), kWh(200 + i)) as MeterValueType], { stationId: id, evseId: 0, transactionId: null, transactionEventId: null }))));
    assert.deepEqual(operations, ['other']);
    for (const [i, id] of STATIONS.entries()) {
      const rows = await findSampledValues(database.db, ids[i]!);
      assert.deepEqual(rows.map((r) => [r.stationId, r.value]), [[id, 100 + i], [id, 200 + i]]);
    }
  });

  test('C01: token lookups of one turn: one statement; each answered with its own row, case-insensitively, or none', async () => {
    const stored = Array.from({ length: 6 }, (_, i) => ({ idToken: `SB-TOKEN-${i}`, type: 'ISO14443', status: i === 2 ? 'Blocked' : 'Accepted' }));
    await upsertIdTokens(database.db, stored, T0);
    operations.length = 0;
    const asked = [...stored.map((t, i) => ({ idToken: i % 2 ? t.idToken.toLowerCase() : t.idToken, type: t.type })),
      { idToken: 'SB-UNKNOWN', type: 'ISO14443' }, { idToken: 'SB-TOKEN-1', type: 'Central' }];
    const rows = await Promise.all(asked.map((t) => findIdToken(database.db, t.idToken, t.type)));
    assert.deepEqual(operations, ['select']);
    assert.deepEqual(rows.map((r) => r && [r.idToken, r.status]), [...stored.map((t) => [t.idToken, t.status]), undefined, undefined]);
  });
});
