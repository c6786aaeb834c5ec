// N01 GetLog requests: the answer, the last LogStatusNotification, and the one-time upload to the CSMS.
import { and, desc, eq, gt, inArray, isNull, ne, notInArray, or } from 'drizzle-orm';
import type { Db } from '../client';
import { logRequests } from '../schema';
import { insertWithRequestId } from './request-ids';

export type LogRequestRow = typeof logRequests.$inferSelect;

/** LogStatusNotification statuses that end an upload. */
export const FINAL_LOG_STATUSES = ['Uploaded', 'UploadFailure', 'BadMessage', 'NotSupportedOperation', 'PermissionDenied', 'AcceptedCanceled'];

export function createLogRequest(
  db: Db, requestId: number | undefined, values: Omit<typeof logRequests.$inferInsert, 'requestId' | 'id'>,
): Promise<LogRequestRow> {
  return insertWithRequestId(requestId, async (id) => {
    const [row] = await db.insert(logRequests).values({ ...values, requestId: id }).onConflictDoNothing().returning();
    return row;
  });
}

/** Records the GetLog answer; a request the station will not serve gives up its upload URL. */
export async function setLogResponse(
  db: Db, stationId: string, requestId: number, responseStatus: string, filename: string | null, at: Date,
): Promise<LogRequestRow | undefined> {
  const accepted = responseStatus === 'Accepted' || responseStatus === 'AcceptedCanceled';
  const [row] = await db
    .update(logRequests)
    .set({ responseStatus, filename, updatedAt: at, ...(!accepted && { uploadTokenHash: null }) })
    .where(and(eq(logRequests.stationId, stationId), eq(logRequests.requestId, requestId)))
    .returning();
  return row;
}

/** N01 (TC_N_36): AcceptedCanceled cancels the station's other unfinished uploads. */
export async function cancelOtherLogRequests(db: Db, stationId: string, requestId: number, at: Date): Promise<LogRequestRow[]> {
  return db
    .update(logRequests)
    .set({ canceledByRequestId: requestId, updatedAt: at })
    .where(
      and(
        eq(logRequests.stationId, stationId),
        ne(logRequests.requestId, requestId),
        isNull(logRequests.canceledByRequestId),
        inArray(logRequests.responseStatus, ['Accepted', 'AcceptedCanceled']),
        // The station's own AcceptedCanceled notification for the old request may arrive first.
        or(isNull(logRequests.status), notInArray(logRequests.status, FINAL_LOG_STATUSES.filter((st) => st !== 'AcceptedCanceled'))),
      ),
    )
    .returning();
}

export async function setLogStatus(db: Db, stationId: string, requestId: number, status: string, at: Date): Promise<void> {
  await db
    .update(logRequests)
    .set({ status, updatedAt: at })
    .where(and(eq(logRequests.stationId, stationId), eq(logRequests.requestId, requestId)));
}

/** The request a one-time upload token belongs to, while it is unused and unexpired. */
export async function findOpenUpload(db: Db, tokenHash: string, now: Date): Promise<LogRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(logRequests)
    .where(and(eq(logRequests.uploadTokenHash, tokenHash), isNull(logRequests.fileId), gt(logRequests.uploadExpiresAt, now)));
  return row;
}

/** Uses the token up: attaches the stored file unless another upload won the race. */
export async function completeUpload(db: Db, id: number, tokenHash: string, fileId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(logRequests)
    .set({ fileId, uploadTokenHash: null, updatedAt: at })
    .where(and(eq(logRequests.id, id), eq(logRequests.uploadTokenHash, tokenHash), isNull(logRequests.fileId)))
    .returning({ id: logRequests.id });
  return rows.length === 1;
}

export async function findLogRequest(db: Db, stationId: string, requestId: number): Promise<LogRequestRow | undefined> {
  const [row] = await db.select().from(logRequests).where(and(eq(logRequests.stationId, stationId), eq(logRequests.requestId, requestId)));
  return row;
}

export async function listLogRequests(db: Db, stationId: string, limit: number): Promise<LogRequestRow[]> {
  return db.select().from(logRequests).where(eq(logRequests.stationId, stationId)).orderBy(desc(logRequests.id)).limit(limit);
}
