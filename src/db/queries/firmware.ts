// L01–L04: UpdateFirmware and PublishFirmware requests with their answers and last reported status.
import { and, desc, eq, inArray, isNull, ne, notInArray, or } from 'drizzle-orm';
import type { Db } from '../client';
import { firmwarePublications, firmwareUpdates } from '../schema';
import { insertWithRequestId } from './request-ids';

export type FirmwareUpdateRow = typeof firmwareUpdates.$inferSelect;
export type FirmwarePublicationRow = typeof firmwarePublications.$inferSelect;

/** FirmwareStatusNotification statuses after which nothing more happens for the request. */
export const FINAL_FIRMWARE_STATUSES = ['Installed', 'DownloadFailed', 'InstallationFailed', 'InstallVerificationFailed', 'InvalidSignature'];

export function createFirmwareUpdate(
  db: Db, requestId: number | undefined, values: Omit<typeof firmwareUpdates.$inferInsert, 'requestId' | 'id'>,
): Promise<FirmwareUpdateRow> {
  return insertWithRequestId(requestId, async (id) => {
    const [row] = await db.insert(firmwareUpdates).values({ ...values, requestId: id }).onConflictDoNothing().returning();
    return row;
  });
}

export async function setFirmwareUpdateResponse(db: Db, stationId: string, requestId: number, responseStatus: string, at: Date): Promise<FirmwareUpdateRow | undefined> {
  const [row] = await db
    .update(firmwareUpdates)
    .set({ responseStatus, updatedAt: at })
    .where(and(eq(firmwareUpdates.stationId, stationId), eq(firmwareUpdates.requestId, requestId)))
    .returning();
  return row;
}

/** L01.FR.24: the station answered AcceptedCanceled, so every other unfinished update of it was cancelled. */
export async function cancelOtherFirmwareUpdates(db: Db, stationId: string, requestId: number, at: Date): Promise<FirmwareUpdateRow[]> {
  return db
    .update(firmwareUpdates)
    .set({ canceledByRequestId: requestId, updatedAt: at })
    .where(
      and(
        eq(firmwareUpdates.stationId, stationId),
        ne(firmwareUpdates.requestId, requestId),
        isNull(firmwareUpdates.canceledByRequestId),
        inArray(firmwareUpdates.responseStatus, ['Accepted', 'AcceptedCanceled']),
        or(isNull(firmwareUpdates.status), notInArray(firmwareUpdates.status, FINAL_FIRMWARE_STATUSES)),
      ),
    )
    .returning();
}

export async function setFirmwareUpdateStatus(db: Db, stationId: string, requestId: number, status: string, at: Date): Promise<void> {
  await db
    .update(firmwareUpdates)
    .set({ status, updatedAt: at })
    .where(and(eq(firmwareUpdates.stationId, stationId), eq(firmwareUpdates.requestId, requestId)));
}

export async function findFirmwareUpdate(db: Db, stationId: string, requestId: number): Promise<FirmwareUpdateRow | undefined> {
  const [row] = await db.select().from(firmwareUpdates).where(and(eq(firmwareUpdates.stationId, stationId), eq(firmwareUpdates.requestId, requestId)));
  return row;
}

export async function listFirmwareUpdates(db: Db, stationId: string, limit: number): Promise<FirmwareUpdateRow[]> {
  return db.select().from(firmwareUpdates).where(eq(firmwareUpdates.stationId, stationId)).orderBy(desc(firmwareUpdates.id)).limit(limit);
}

export function createFirmwarePublication(
  db: Db, requestId: number | undefined, values: Omit<typeof firmwarePublications.$inferInsert, 'requestId' | 'id'>,
): Promise<FirmwarePublicationRow> {
  return insertWithRequestId(requestId, async (id) => {
    const [row] = await db.insert(firmwarePublications).values({ ...values, requestId: id }).onConflictDoNothing().returning();
    return row;
  });
}

export async function setPublicationResponse(db: Db, stationId: string, requestId: number, responseStatus: string, at: Date): Promise<FirmwarePublicationRow | undefined> {
  const [row] = await db
    .update(firmwarePublications)
    .set({ responseStatus, updatedAt: at })
    .where(and(eq(firmwarePublications.stationId, stationId), eq(firmwarePublications.requestId, requestId)))
    .returning();
  return row;
}

export async function setPublicationStatus(
  db: Db, stationId: string, requestId: number, status: string, locations: string[] | null, at: Date,
): Promise<void> {
  await db
    .update(firmwarePublications)
    .set({ status, updatedAt: at, ...(locations && { publishedLocations: locations }) })
    .where(and(eq(firmwarePublications.stationId, stationId), eq(firmwarePublications.requestId, requestId)));
}

/** L04: the Local Controller stopped publishing the image with this checksum. */
export async function markUnpublished(db: Db, stationId: string, checksum: string, at: Date): Promise<void> {
  await db
    .update(firmwarePublications)
    .set({ unpublishedAt: at, updatedAt: at })
    .where(and(eq(firmwarePublications.stationId, stationId), eq(firmwarePublications.checksum, checksum), isNull(firmwarePublications.unpublishedAt)));
}

export async function findFirmwarePublication(db: Db, stationId: string, requestId: number): Promise<FirmwarePublicationRow | undefined> {
  const [row] = await db
    .select()
    .from(firmwarePublications)
    .where(and(eq(firmwarePublications.stationId, stationId), eq(firmwarePublications.requestId, requestId)));
  return row;
}

export async function listFirmwarePublications(db: Db, stationId: string, limit: number): Promise<FirmwarePublicationRow[]> {
  return db.select().from(firmwarePublications).where(eq(firmwarePublications.stationId, stationId)).orderBy(desc(firmwarePublications.id)).limit(limit);
}
