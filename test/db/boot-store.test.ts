// B01–B04 boot storage on the database (PGlite, and PostgreSQL with TEST_DATABASE_URL): the history
// row and the station's reported fields in one statement; a boot without serialNumber keeps the
// stored one, and every boot stays in the history with the status it was answered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { instrumentDatabase, type DbOperation } from '../../src/db/instrument';
import { stations } from '../../src/db/schema';
import { bootHistory, findStation, recordBoot } from '../../src/db/queries/stations';
import { openTestDatabase } from '../support/database';

describe('B01–B04 boot store', () => {
  let database: Database;
  const operations: DbOperation[] = [];

  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values({ id: 'BOOT-1' });
    instrumentDatabase(database, { queryStarted: () => {}, queryFinished: (operation) => operations.push(operation) });
  });
  after(() => database.close());

  test('B01 a boot is stored by one statement, not a transaction; a later boot without serialNumber keeps it', async () => {
    const first = new Date('2025-05-01T08:00:00.000Z');
    const second = new Date('2025-05-01T09:00:00.000Z');
    operations.length = 0;
    await recordBoot(database.db, 'BOOT-1', { reason: 'PowerUp', model: 'M1', vendorName: 'V', serialNumber: 'SN-1', firmwareVersion: '1.0', iccid: 'IC', imsi: 'IM' }, 'Pending', first);
    assert.deepEqual(operations, ['other']);
    await recordBoot(database.db, 'BOOT-1', { reason: 'RemoteReset', model: 'M2', vendorName: 'V' }, 'Accepted', second);
    const station = (await findStation(database.db, 'boot-1'))!;
    assert.deepEqual(
      [station.registrationStatus, station.model, station.serialNumber, station.firmwareVersion, station.iccid, station.imsi],
      ['Accepted', 'M2', 'SN-1', null, null, null],
    );
    assert.deepEqual([station.lastBootAt?.toISOString(), station.lastSeenAt?.toISOString()], [second.toISOString(), second.toISOString()]);
    const history = await bootHistory(database.db, 'BOOT-1', 10);
    assert.deepEqual(history.map((b) => [b.reason, b.status, b.serialNumber, b.receivedAt.toISOString()]), [
      ['RemoteReset', 'Accepted', null, second.toISOString()],
      ['PowerUp', 'Pending', 'SN-1', first.toISOString()],
    ]);
  });
});
