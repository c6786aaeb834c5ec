// Certificate bookkeeping (A02/A03): serial numbers are stored in one form, whatever their leading zeros.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client';
import { stations } from '../../src/db/schema';
import { finishSigningRequest, listSigningRequests, recordIssuedCertificate, recordSigningRequest } from '../../src/db/queries/certificates';
import { openTestDatabase } from '../support/database';

describe('A02 signing requests and issued certificates', () => {
  let database: Database;
  before(async () => {
    database = await openTestDatabase();
    await database.db.insert(stations).values({ id: 'CS-SERIAL' });
  });
  after(() => database.close());

  test('a serial number with a leading zero is stored the same way on the CSR and on the issued certificate', async () => {
    const { db } = database;
    const csr = await recordSigningRequest(db, { stationId: 'CS-SERIAL', certificateType: 'ChargingStationCertificate', csr: 'x', status: 'Accepted', at: new Date() });
    assert.equal(await finishSigningRequest(db, csr.id, 'Signed', { issuedSerialNumber: '0B642F17' }), true);
    const issued = await recordIssuedCertificate(db, {
      serialNumber: '0B642F17', stationId: 'CS-SERIAL', certificateType: 'ChargingStationCertificate', subject: 'CN=CS-SERIAL',
      notBefore: new Date(), notAfter: new Date(), pem: 'x', at: new Date(),
    });
    const [request] = await listSigningRequests(db, 'CS-SERIAL', 10);
    assert.equal(issued.serialNumber, 'b642f17');
    assert.equal(request!.issuedSerialNumber, issued.serialNumber);
  });
});
