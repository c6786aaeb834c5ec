// RequestStartTransaction commands (F01/F02): the remoteStartId the CSMS handed out, for which
// idToken, and what the station answered. The TransactionEvent that follows carries the same id.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { remoteStarts } from '../schema';

export type RemoteStartRow = typeof remoteStarts.$inferSelect;

export interface RemoteStartRequest {
  stationId: string;
  remoteStartId: number;
  evseId: number | null;
  idToken: string;
  idTokenType: string;
}

/** Status of a command whose answer has not arrived yet. */
export const REMOTE_START_REQUESTED = 'Requested';

/**
 * Claims a remoteStartId for a station before the request is sent, so that a TransactionEvent
 * arriving right after the answer already finds it. False when the station already used that id.
 */
export async function reserveRemoteStart(db: Db, request: RemoteStartRequest): Promise<boolean> {
  const rows = await db
    .insert(remoteStarts)
    .values({ ...request, status: REMOTE_START_REQUESTED })
    .onConflictDoNothing()
    .returning({ remoteStartId: remoteStarts.remoteStartId });
  return rows.length > 0;
}

/**
 * Stores the station's answer (Accepted/Rejected) or why none came (Timeout, StationOffline, …).
 * A transactionId already linked (by the TransactionEvent that followed) is kept.
 */
export async function recordRemoteStartOutcome(
  db: Db, stationId: string, remoteStartId: number, status: string, transactionId: string | undefined,
): Promise<RemoteStartRow | undefined> {
  const [row] = await db
    .update(remoteStarts)
    .set({ status, transactionId: sql`coalesce(${remoteStarts.transactionId}, ${transactionId ?? null})` })
    .where(and(eq(remoteStarts.stationId, stationId), eq(remoteStarts.remoteStartId, remoteStartId)))
    .returning();
  return row;
}

export async function findRemoteStart(db: Db, stationId: string, remoteStartId: number): Promise<RemoteStartRow | undefined> {
  const [row] = await db
    .select()
    .from(remoteStarts)
    .where(and(eq(remoteStarts.stationId, stationId), eq(remoteStarts.remoteStartId, remoteStartId)))
    .limit(1);
  return row;
}
