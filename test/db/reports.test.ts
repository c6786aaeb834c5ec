// B07/B08 report status on the database (PGlite, and PostgreSQL with TEST_DATABASE_URL): the
// station's NotifyReport parts can be stored before its GetBaseReport CALLRESULT is handled; marking
// the request Accepted then must not undo Receiving or Complete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { stations } from '../../src/db/schema';
import { createReport, findReport, markReportAccepted, recordReportPart } from '../../src/db/queries/reports';
import { openTestDatabase } from '../support/database';

describe('B07 report status', () => {
  let database: Database;

  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values({ id: 'REP-1' });
  });
  after(() => database.close());

  test('B07 Accepted replaces Requested only: parts that arrived first keep Receiving / Complete', async () => {
    const db = database.db;
    const waiting = await createReport(db, 'REP-1', 'GetBaseReport', 'FullInventory', null);
    await markReportAccepted(db, 'REP-1', waiting.requestId);
    assert.equal((await findReport(db, 'REP-1', waiting.requestId))?.status, 'Accepted');

    const complete = await createReport(db, 'REP-1', 'GetBaseReport', 'FullInventory', null);
    await recordReportPart(db, 'REP-1', complete.requestId, true, new Date());
    await markReportAccepted(db, 'REP-1', complete.requestId);
    assert.equal((await findReport(db, 'REP-1', complete.requestId))?.status, 'Complete');

    const receiving = await createReport(db, 'REP-1', 'GetBaseReport', 'FullInventory', null);
    await recordReportPart(db, 'REP-1', receiving.requestId, false, new Date());
    await markReportAccepted(db, 'REP-1', receiving.requestId);
    assert.equal((await findReport(db, 'REP-1', receiving.requestId))?.status, 'Receiving');
  });
});
