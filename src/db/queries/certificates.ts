// Certificates: CSRs received (A02/A03), certificates the built-in CA issued (with revocation for
// profile 3), and the certificates a station holds (M03–M05).
import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { certificateSigningRequests, installedCertificates, issuedCertificates, stations } from '../schema';
import { normalizeSerialNumber } from '../../blocks/security/x509';

export { normalizeSerialNumber };

export type SigningRequestRow = typeof certificateSigningRequests.$inferSelect;
export type IssuedCertificateRow = typeof issuedCertificates.$inferSelect;
export type InstalledCertificateRow = typeof installedCertificates.$inferSelect;


/**
 * Stores a received CSR with the CSMS's answer. An Accepted one supersedes the station's earlier
 * pending CSR of the same type, so at most one is waiting to be signed (SPEC-NOTES §2.6).
 */
export async function recordSigningRequest(
  db: Db,
  values: { stationId: string; certificateType: string; csr: string; status: 'Accepted' | 'Rejected'; reason?: string | null; at: Date },
): Promise<SigningRequestRow> {
  return db.transaction(async (tx) => {
    if (values.status === 'Accepted') {
      await tx
        .update(certificateSigningRequests)
        .set({ status: 'Superseded' })
        .where(and(eq(certificateSigningRequests.stationId, values.stationId), eq(certificateSigningRequests.certificateType, values.certificateType), eq(certificateSigningRequests.status, 'Accepted')));
    }
    const [row] = await tx
      .insert(certificateSigningRequests)
      .values({ stationId: values.stationId, certificateType: values.certificateType, csr: values.csr, status: values.status, reason: values.reason ?? null, receivedAt: values.at })
      .returning();
    return row!;
  });
}

/** Moves a CSR out of Accepted; false when it is no longer pending (superseded meanwhile). */
export async function finishSigningRequest(db: Db, id: number, status: 'Signed' | 'Failed', fields: { issuedSerialNumber?: string; reason?: string }): Promise<boolean> {
  const rows = await db
    .update(certificateSigningRequests)
    .set({
      status,
      issuedSerialNumber: fields.issuedSerialNumber === undefined ? null : normalizeSerialNumber(fields.issuedSerialNumber),
      ...(fields.reason !== undefined && { reason: fields.reason }),
    })
    .where(and(eq(certificateSigningRequests.id, id), eq(certificateSigningRequests.status, 'Accepted')))
    .returning({ id: certificateSigningRequests.id });
  return rows.length > 0;
}

export async function isSigningRequestPending(db: Db, id: number): Promise<boolean> {
  const [row] = await db.select({ status: certificateSigningRequests.status }).from(certificateSigningRequests).where(eq(certificateSigningRequests.id, id));
  return row?.status === 'Accepted';
}

export async function listSigningRequests(db: Db, stationId: string, limit: number): Promise<SigningRequestRow[]> {
  return db.select().from(certificateSigningRequests).where(eq(certificateSigningRequests.stationId, stationId)).orderBy(desc(certificateSigningRequests.id)).limit(limit);
}

export async function recordIssuedCertificate(
  db: Db,
  values: { serialNumber: string; stationId: string; certificateType: string; subject: string; notBefore: Date; notAfter: Date; pem: string; at: Date },
): Promise<IssuedCertificateRow> {
  const [row] = await db
    .insert(issuedCertificates)
    .values({ ...values, serialNumber: normalizeSerialNumber(values.serialNumber), deliveryStatus: 'Sending', issuedAt: values.at })
    .returning();
  return row!;
}

/** The station's CertificateSigned answer; an Accepted certificate supersedes the older ones of its type. */
export async function recordDeliveryOutcome(
  db: Db,
  serialNumber: string,
  outcome: { status: 'Accepted' | 'Rejected' | 'Failed'; statusInfo?: { reasonCode: string; additionalInfo?: string } | undefined; at: Date },
): Promise<void> {
  const serial = normalizeSerialNumber(serialNumber);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(issuedCertificates)
      .set({ deliveryStatus: outcome.status, deliveryStatusInfo: outcome.statusInfo ?? null })
      .where(eq(issuedCertificates.serialNumber, serial))
      .returning();
    if (!row || outcome.status !== 'Accepted' || !row.stationId) return;
    await tx
      .update(issuedCertificates)
      .set({ supersededAt: outcome.at })
      .where(and(
        eq(issuedCertificates.stationId, row.stationId), eq(issuedCertificates.certificateType, row.certificateType),
        ne(issuedCertificates.serialNumber, serial), isNull(issuedCertificates.supersededAt), lte(issuedCertificates.issuedAt, row.issuedAt),
      ));
  });
}

export async function findIssuedCertificate(db: Db, serialNumber: string): Promise<IssuedCertificateRow | undefined> {
  const [row] = await db.select().from(issuedCertificates).where(eq(issuedCertificates.serialNumber, normalizeSerialNumber(serialNumber)));
  return row;
}

export async function listIssuedCertificates(db: Db, filter: { stationId?: string | undefined }, limit: number): Promise<IssuedCertificateRow[]> {
  return db
    .select()
    .from(issuedCertificates)
    .where(filter.stationId !== undefined ? eq(issuedCertificates.stationId, filter.stationId) : undefined)
    .orderBy(desc(issuedCertificates.issuedAt), desc(issuedCertificates.serialNumber))
    .limit(limit);
}

/** Marks an issued certificate unusable for profile 3; undefined when the CA never issued it. */
export async function revokeIssuedCertificate(db: Db, serialNumber: string, at: Date): Promise<IssuedCertificateRow | undefined> {
  const serial = normalizeSerialNumber(serialNumber);
  const [row] = await db
    .update(issuedCertificates)
    .set({ revokedAt: sql`coalesce(${issuedCertificates.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(issuedCertificates.serialNumber, serial))
    .returning();
  return row;
}

/**
 * Profile 3 (A00.FR.702): true when the built-in CA issued this serial and it was revoked, or its
 * station was deleted. Serials the CA has no record of (e.g. made by CA_CERT's owner) are not revoked.
 * Accepts Node's peer-certificate form (uppercase hex) as well.
 */
export async function isCertificateRevoked(db: Db, serialNumber: string): Promise<boolean> {
  const [row] = await db
    .select({ revokedAt: issuedCertificates.revokedAt, stationId: issuedCertificates.stationId })
    .from(issuedCertificates)
    .where(eq(issuedCertificates.serialNumber, normalizeSerialNumber(serialNumber)));
  return row !== undefined && (row.revokedAt !== null || row.stationId === null);
}

/**
 * Current certificates (accepted, not superseded, not revoked) expiring before `before` whose station
 * was not asked to renew since `askedBefore`: the automatic renewal's work list.
 */
export async function certificatesDueForRenewal(db: Db, before: Date, askedBefore: Date, limit: number): Promise<IssuedCertificateRow[]> {
  return db
    .select({ c: issuedCertificates })
    .from(issuedCertificates)
    .innerJoin(stations, eq(stations.id, issuedCertificates.stationId))
    .where(and(
      eq(issuedCertificates.deliveryStatus, 'Accepted'), isNull(issuedCertificates.supersededAt), isNull(issuedCertificates.revokedAt),
      lt(issuedCertificates.notAfter, before), isNotNull(issuedCertificates.stationId),
      or(isNull(issuedCertificates.renewalRequestedAt), lt(issuedCertificates.renewalRequestedAt, askedBefore)),
    ))
    .orderBy(issuedCertificates.notAfter)
    .limit(limit)
    .then((rows) => rows.map((r) => r.c));
}

export async function markRenewalRequested(db: Db, serialNumbers: string[], at: Date): Promise<void> {
  if (serialNumbers.length === 0) return;
  await db.update(issuedCertificates).set({ renewalRequestedAt: at }).where(inArray(issuedCertificates.serialNumber, serialNumbers.map(normalizeSerialNumber)));
}

export interface CertificateHashDataRow { hashAlgorithm: string; issuerNameHash: string; issuerKeyHash: string; serialNumber: string }

export interface InstalledCertificateValues {
  certificateType: string;
  certificateHashData: CertificateHashDataRow;
  childCertificateHashData?: CertificateHashDataRow[] | undefined;
  pem?: string | undefined;
  subject?: string | undefined;
  notAfter?: Date | undefined;
}

const hashKey = (h: CertificateHashDataRow) => ({
  hashAlgorithm: h.hashAlgorithm, issuerNameHash: h.issuerNameHash.toLowerCase(), issuerKeyHash: h.issuerKeyHash.toLowerCase(), serialNumber: normalizeSerialNumber(h.serialNumber),
});

function toRow(stationId: string, v: InstalledCertificateValues, source: string, at: Date) {
  return {
    stationId, certificateType: v.certificateType, ...hashKey(v.certificateHashData),
    childCertificateHashData: v.childCertificateHashData ? v.childCertificateHashData.map((c) => ({ ...c })) : null,
    pem: v.pem ?? null, subject: v.subject ?? null, notAfter: v.notAfter ?? null, source, updatedAt: at,
  };
}

/** M05: an InstallCertificate the station Accepted. */
export async function recordInstalledCertificate(db: Db, stationId: string, values: InstalledCertificateValues, at: Date): Promise<void> {
  const row = toRow(stationId, values, 'InstallCertificate', at);
  await db
    .insert(installedCertificates)
    .values(row)
    .onConflictDoUpdate({
      target: [installedCertificates.stationId, installedCertificates.hashAlgorithm, installedCertificates.issuerNameHash, installedCertificates.issuerKeyHash, installedCertificates.serialNumber],
      set: { certificateType: row.certificateType, pem: row.pem, subject: row.subject, notAfter: row.notAfter, source: row.source, updatedAt: at },
    });
}

/**
 * M03: the station's GetInstalledCertificateIds answer is the truth for the types asked about (all
 * types when none were given): rows of those types are replaced, keeping PEMs the CSMS installed.
 */
export async function replaceInstalledCertificates(db: Db, stationId: string, types: string[] | undefined, reported: InstalledCertificateValues[], at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const scope = and(eq(installedCertificates.stationId, stationId), types?.length ? inArray(installedCertificates.certificateType, types) : undefined);
    const known = await tx.select().from(installedCertificates).where(eq(installedCertificates.stationId, stationId));
    await tx.delete(installedCertificates).where(scope);
    const rows = reported.map((r) => {
      const row = toRow(stationId, r, 'GetInstalledCertificateIds', at);
      const before = known.find((k) => k.hashAlgorithm === row.hashAlgorithm && k.issuerNameHash === row.issuerNameHash && k.issuerKeyHash === row.issuerKeyHash && k.serialNumber === row.serialNumber);
      return before?.pem ? { ...row, pem: before.pem, subject: before.subject, notAfter: before.notAfter } : row;
    });
    if (rows.length > 0) await tx.insert(installedCertificates).values(rows).onConflictDoNothing();
  });
}

/** M04: a DeleteCertificate the station Accepted. */
export async function removeInstalledCertificate(db: Db, stationId: string, hash: CertificateHashDataRow): Promise<boolean> {
  const k = hashKey(hash);
  const rows = await db
    .delete(installedCertificates)
    .where(and(
      eq(installedCertificates.stationId, stationId), eq(installedCertificates.hashAlgorithm, k.hashAlgorithm),
      eq(installedCertificates.issuerNameHash, k.issuerNameHash), eq(installedCertificates.issuerKeyHash, k.issuerKeyHash),
      eq(installedCertificates.serialNumber, k.serialNumber),
    ))
    .returning({ id: installedCertificates.id });
  return rows.length > 0;
}

export async function listInstalledCertificates(db: Db, stationId: string): Promise<InstalledCertificateRow[]> {
  return db.select().from(installedCertificates).where(eq(installedCertificates.stationId, stationId)).orderBy(installedCertificates.certificateType, installedCertificates.id);
}

/** Ids used by other stations (id or serial, case-insensitive): a CSR may never claim them. */
export async function identityUsedByOtherStation(db: Db, stationId: string, name: string): Promise<boolean> {
  const [row] = await db
    .select({ id: stations.id })
    .from(stations)
    .where(and(ne(stations.id, stationId), or(sql`lower(${stations.id}) = lower(${name})`, sql`lower(${stations.serialNumber}) = lower(${name})`)))
    .limit(1);
  return row !== undefined;
}
