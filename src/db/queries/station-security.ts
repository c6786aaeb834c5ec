// Station credentials and security profile bookkeeping: password rotation (A01) and profile
// upgrades (A05). Only salted hashes are ever passed in here (A01.FR.08).
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { components, securityProfileUpgrades, stations, variables } from '../schema';

export type SecurityProfileUpgradeRow = typeof securityProfileUpgrades.$inferSelect;
export type UpgradeStep = SecurityProfileUpgradeRow['steps'][number];

/** At most this many passwords with an open outcome are kept; the oldest is dropped first. */
const MAX_PENDING_PASSWORDS = 3;

/** A01.FR.03: the station confirmed the new password; every earlier one stops working. */
export async function replaceStationPassword(db: Db, stationId: string, hash: string): Promise<void> {
  await db
    .update(stations)
    .set({ passwordHash: hash, pendingPasswordHashes: null, updatedAt: new Date() })
    .where(eq(stations.id, stationId));
}

/** RebootRequired or no answer: the new password works besides the current one until first used. */
export async function addPendingPassword(db: Db, stationId: string, hash: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ pending: stations.pendingPasswordHashes })
      .from(stations)
      .where(eq(stations.id, stationId))
      .for('update');
    if (!row) return;
    const pending = [...(row.pending ?? []), hash].slice(-MAX_PENDING_PASSWORDS);
    await tx.update(stations).set({ pendingPasswordHashes: pending, updatedAt: new Date() }).where(eq(stations.id, stationId));
  });
}

/**
 * The station logged in with a pending password: it becomes the only one. Conditional on the hash
 * still being pending, so a concurrent rotation that replaced it wins. Returns whether it applied.
 */
export async function promotePendingPassword(db: Db, stationId: string, hash: string): Promise<boolean> {
  const rows = await db
    .update(stations)
    .set({ passwordHash: hash, pendingPasswordHashes: null, updatedAt: new Date() })
    .where(and(eq(stations.id, stationId), sql`${stations.pendingPasswordHashes} @> ${JSON.stringify([hash])}::jsonb`))
    .returning({ id: stations.id });
  return rows.length > 0;
}

export interface VariableLimits {
  maxLimit: number | undefined;
  valuesList: string[] | undefined;
}

/** Characteristics the station reported for a station-level variable (any instance), if any. */
export async function reportedVariableLimits(db: Db, stationId: string, component: string, variable: string): Promise<VariableLimits> {
  const [row] = await db
    .select({ maxLimit: variables.maxLimit, valuesList: variables.valuesList })
    .from(variables)
    .innerJoin(components, eq(variables.componentId, components.id))
    .where(and(eq(components.stationId, stationId), eq(components.name, component), isNull(components.evseId), eq(variables.name, variable)))
    .limit(1);
  const max = row?.maxLimit != null ? Number(row.maxLimit) : undefined;
  return {
    maxLimit: max !== undefined && Number.isFinite(max) ? max : undefined,
    valuesList: row?.valuesList ? row.valuesList.split(',').map((v) => v.trim()).filter(Boolean) : undefined,
  };
}

const OPEN_UPGRADE = ['InProgress', 'AwaitingReconnect'];

/** Starts an upgrade record; any earlier open upgrade of the station is marked Superseded. */
export async function startProfileUpgrade(
  db: Db, stationId: string, fromProfile: number, targetProfile: number, at: Date,
): Promise<SecurityProfileUpgradeRow> {
  return db.transaction(async (tx) => {
    await tx
      .update(securityProfileUpgrades)
      .set({ status: 'Superseded', completedAt: at })
      .where(and(eq(securityProfileUpgrades.stationId, stationId), inArray(securityProfileUpgrades.status, OPEN_UPGRADE)));
    const [row] = await tx
      .insert(securityProfileUpgrades)
      .values({ stationId, fromProfile, targetProfile, status: 'InProgress', steps: [], requestedAt: at })
      .returning();
    return row!;
  });
}

/** Appends one step's outcome and optionally changes the upgrade's status or slot. */
export async function recordUpgradeStep(
  db: Db, id: number, step: UpgradeStep, change: { status?: string; configurationSlot?: number } = {},
): Promise<SecurityProfileUpgradeRow> {
  const done = change.status === 'Failed' || change.status === 'Completed';
  // A reconnect may complete the upgrade before the Reset answer is recorded: a closed one stays closed.
  const open = sql`${securityProfileUpgrades.status} in ('InProgress', 'AwaitingReconnect')`;
  const [row] = await db
    .update(securityProfileUpgrades)
    .set({
      steps: sql`${securityProfileUpgrades.steps} || ${JSON.stringify([step])}::jsonb`,
      ...(change.status !== undefined && {
        status: sql`case when ${open} then ${change.status} else ${securityProfileUpgrades.status} end`,
      }),
      ...(change.configurationSlot !== undefined && { configurationSlot: change.configurationSlot }),
      ...(done && { completedAt: sql`case when ${open} then ${new Date(step.at).toISOString()}::timestamptz else ${securityProfileUpgrades.completedAt} end` }),
    })
    .where(eq(securityProfileUpgrades.id, id))
    .returning();
  return row!;
}

/** From now on the station may also connect with `profile` (until it has done so once). */
export async function setPendingSecurityProfile(db: Db, stationId: string, profile: number | null): Promise<void> {
  await db.update(stations).set({ pendingSecurityProfile: profile, updatedAt: new Date() }).where(eq(stations.id, stationId));
}

/**
 * A05.FR.07: the station connected with its pending target profile. The target becomes its only
 * profile and the open upgrade completes, in one transaction. Returns false when nothing was pending.
 */
export async function completeProfileUpgrade(db: Db, stationId: string, profile: number, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(stations)
      .set({ securityProfile: profile, pendingSecurityProfile: null, updatedAt: at })
      .where(and(eq(stations.id, stationId), eq(stations.pendingSecurityProfile, profile)))
      .returning({ id: stations.id });
    if (updated.length === 0) return false;
    const step: UpgradeStep = { step: 'Reconnected', outcome: 'Accepted', detail: `connected with security profile ${profile}`, at: at.toISOString() };
    await tx
      .update(securityProfileUpgrades)
      .set({ status: 'Completed', completedAt: at, steps: sql`${securityProfileUpgrades.steps} || ${JSON.stringify([step])}::jsonb` })
      .where(
        and(
          eq(securityProfileUpgrades.stationId, stationId),
          eq(securityProfileUpgrades.targetProfile, profile),
          inArray(securityProfileUpgrades.status, OPEN_UPGRADE),
        ),
      );
    return true;
  });
}

/** Newest first. */
export async function listProfileUpgrades(db: Db, stationId: string, limit: number): Promise<SecurityProfileUpgradeRow[]> {
  return db
    .select()
    .from(securityProfileUpgrades)
    .where(eq(securityProfileUpgrades.stationId, stationId))
    .orderBy(desc(securityProfileUpgrades.requestedAt), desc(securityProfileUpgrades.id))
    .limit(limit);
}
