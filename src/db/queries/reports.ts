// Device-model reports requested with GetBaseReport/GetReport and assembled from NotifyReport parts.
import { randomInt } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { reports } from '../schema';

export type ReportRow = typeof reports.$inferSelect;

export async function createReport(
  db: Db, stationId: string, kind: string, reportBase: string | null, criteria: unknown,
): Promise<ReportRow> {
  // A random positive int32 request id; the unique index on (station, request id) guards the rare clash.
  for (let attempt = 0; ; attempt++) {
    const requestId = randomInt(1, 2 ** 31 - 1);
    const [row] = await db
      .insert(reports)
      .values({ stationId, requestId, kind, reportBase, criteria: criteria ?? null, status: 'Requested' })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    if (attempt > 5) throw new Error('could not allocate a report request id');
  }
}

export async function setReportStatus(db: Db, stationId: string, requestId: number, status: string): Promise<void> {
  await db.update(reports).set({ status }).where(and(eq(reports.stationId, stationId), eq(reports.requestId, requestId)));
}

/**
 * The station accepted the request: 'Requested' becomes 'Accepted'. A report whose parts already
 * arrived (Receiving, Complete) keeps its status: they can come before the CALLRESULT is handled.
 */
export async function markReportAccepted(db: Db, stationId: string, requestId: number): Promise<void> {
  await db
    .update(reports)
    .set({ status: 'Accepted' })
    .where(and(eq(reports.stationId, stationId), eq(reports.requestId, requestId), eq(reports.status, 'Requested')));
}

/** Counts a NotifyReport part; the last part (tbc=false) completes the report. Unknown ids are recorded too. */
export async function recordReportPart(db: Db, stationId: string, requestId: number, last: boolean, at: Date): Promise<ReportRow> {
  const [row] = await db
    .insert(reports)
    .values({
      stationId, requestId, kind: 'Unsolicited', status: last ? 'Complete' : 'Receiving', partsReceived: 1,
      requestedAt: at, completedAt: last ? at : null,
    })
    .onConflictDoUpdate({
      target: [reports.stationId, reports.requestId],
      set: {
        partsReceived: sql`${reports.partsReceived} + 1`,
        status: last ? 'Complete' : 'Receiving',
        completedAt: last ? at : null,
      },
    })
    .returning();
  return row!;
}

export async function findReport(db: Db, stationId: string, requestId: number): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(reports).where(and(eq(reports.stationId, stationId), eq(reports.requestId, requestId)));
  return row;
}

export async function listReports(db: Db, stationId: string, limit: number): Promise<ReportRow[]> {
  return db.select().from(reports).where(eq(reports.stationId, stationId)).orderBy(desc(reports.requestedAt), desc(reports.id)).limit(limit);
}
