// N09/N10: CustomerInformation requests and the report assembled from their NotifyCustomerInformation parts.
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { customerInformationParts, customerInformationRequests } from '../schema';

export type CustomerInformationRow = typeof customerInformationRequests.$inferSelect;
export type CustomerInformationPartRow = typeof customerInformationParts.$inferSelect;

export interface NewCustomerInformationRequest {
  stationId: string;
  report: boolean;
  clear: boolean;
  customerIdentifier?: string | undefined;
  idToken?: { idToken: string; type: string } | undefined;
  customerCertificate?: unknown;
  clearCsmsData: boolean;
}

/** Stores the request before it is sent; a random positive int32 requestId unless one is given (undefined when taken). */
export async function createCustomerInformationRequest(
  db: Db, request: NewCustomerInformationRequest, requestId?: number,
): Promise<CustomerInformationRow | undefined> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const [row] = await db
      .insert(customerInformationRequests)
      .values({
        stationId: request.stationId,
        requestId: requestId ?? randomInt(1, 2 ** 31 - 1),
        report: request.report,
        clear: request.clear,
        customerIdentifier: request.customerIdentifier ?? null,
        idToken: request.idToken?.idToken ?? null,
        idTokenType: request.idToken?.type ?? null,
        customerCertificate: request.customerCertificate ?? null,
        clearCsmsData: request.clearCsmsData,
        status: 'Requested',
      })
      .onConflictDoNothing()
      .returning();
    if (row || requestId !== undefined) return row;
  }
  throw new Error('could not allocate a customer information request id');
}

/** The station's answer (or Failed); Accepted never overwrites a report whose parts already arrived. */
export async function setCustomerInformationStatus(
  db: Db, stationId: string, requestId: number, status: string, statusInfo: unknown = null,
): Promise<void> {
  const where = and(eq(customerInformationRequests.stationId, stationId), eq(customerInformationRequests.requestId, requestId));
  await db
    .update(customerInformationRequests)
    .set({ status: status === 'Accepted' ? sql`case when ${customerInformationRequests.status} = 'Requested' then 'Accepted' else ${customerInformationRequests.status} end` : status, statusInfo })
    .where(where);
}

export interface CustomerInformationPart {
  requestId: number;
  seqNo: number;
  data: string;
  tbc: boolean;
  generatedAt: Date;
}

/**
 * Stores one part (a repeated seqNo is ignored) in one transaction; the report is Complete once the
 * part with tbc=false and every seqNo before it arrived. An unknown requestId starts an unsolicited report.
 */
export async function recordCustomerInformationPart(
  db: Db, stationId: string, part: CustomerInformationPart, at: Date,
): Promise<CustomerInformationRow> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .insert(customerInformationRequests)
      .values({ stationId, requestId: part.requestId, report: true, clear: false, status: 'Receiving', requestedAt: at })
      .onConflictDoUpdate({
        target: [customerInformationRequests.stationId, customerInformationRequests.requestId],
        set: { stationId: sql`excluded.station_id` },
      })
      .returning();
    await tx
      .insert(customerInformationParts)
      .values({ requestRowId: request!.id, seqNo: part.seqNo, data: part.data, tbc: part.tbc, generatedAt: part.generatedAt, receivedAt: at })
      .onConflictDoNothing();
    const [{ count }] = (await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(customerInformationParts)
      .where(eq(customerInformationParts.requestRowId, request!.id))) as [{ count: number }];
    const lastSeqNo = part.tbc ? request!.lastSeqNo : Math.max(part.seqNo, request!.lastSeqNo ?? 0);
    const complete = lastSeqNo !== null && count >= lastSeqNo + 1;
    const [updated] = await tx
      .update(customerInformationRequests)
      .set({ partsReceived: count, lastSeqNo, status: complete ? 'Complete' : 'Receiving', completedAt: complete ? at : null })
      .where(eq(customerInformationRequests.id, request!.id))
      .returning();
    return updated!;
  });
}

export async function recordCsmsDataCleared(db: Db, rowId: number, cleared: unknown): Promise<void> {
  await db.update(customerInformationRequests).set({ csmsDataCleared: cleared }).where(eq(customerInformationRequests.id, rowId));
}

export async function findCustomerInformationRequest(db: Db, stationId: string, requestId: number): Promise<CustomerInformationRow | undefined> {
  const [row] = await db
    .select()
    .from(customerInformationRequests)
    .where(and(eq(customerInformationRequests.stationId, stationId), eq(customerInformationRequests.requestId, requestId)));
  return row;
}

export async function listCustomerInformationRequests(db: Db, stationId: string, limit: number): Promise<CustomerInformationRow[]> {
  return db
    .select()
    .from(customerInformationRequests)
    .where(eq(customerInformationRequests.stationId, stationId))
    .orderBy(desc(customerInformationRequests.requestedAt), desc(customerInformationRequests.id))
    .limit(limit);
}

/** The parts of some reports in seqNo order. */
export async function customerInformationPartsOf(db: Db, rowIds: readonly number[]): Promise<CustomerInformationPartRow[]> {
  if (rowIds.length === 0) return [];
  return db
    .select()
    .from(customerInformationParts)
    .where(inArray(customerInformationParts.requestRowId, [...rowIds]))
    .orderBy(asc(customerInformationParts.requestRowId), asc(customerInformationParts.seqNo));
}
