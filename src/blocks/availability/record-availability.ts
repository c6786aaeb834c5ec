// Keeps the stored availability of station, EVSEs and connectors (G03/G04) from ChangeAvailability
// answers and from what the station reports (StatusNotification G01, NotifyEvent AvailabilityState
// G05/N07), applies Scheduled changes once reported, and publishes 'availability-changed'.
import { loadAvailability, saveAvailability, saveConnectorAvailability } from '../../db/queries/availability';
import type { Ctx } from '../context';
import {
  afterChange, afterReport, availabilityOf, changed, settleScheduled,
  type AvailabilitySnapshot, type AvailabilityState, type LevelState, type OperationalStatus,
} from './availability-state';

type Level = { evseId: number | null; connectorId: number | null };

async function snapshotOf(ctx: Ctx): Promise<AvailabilitySnapshot> {
  const stored = await loadAvailability(ctx.db, ctx.stationId);
  return {
    station: availabilityOf(stored.station),
    evses: new Map(stored.evses.map((e) => [e.evseId, availabilityOf(e)])),
    connectors: stored.connectors.map((c) => ({ evseId: c.evseId, connectorId: c.connectorId, status: c.status, ...availabilityOf(c) })),
  };
}

function stateOf(snapshot: AvailabilitySnapshot, { evseId, connectorId }: Level): AvailabilityState {
  if (evseId === null) return snapshot.station;
  if (connectorId === null) return snapshot.evses.get(evseId) ?? { current: null, scheduled: null };
  const c = snapshot.connectors.find((x) => x.evseId === evseId && x.connectorId === connectorId);
  return c ? { current: c.current, scheduled: c.scheduled } : { current: null, scheduled: null };
}

function setState(snapshot: AvailabilitySnapshot, level: Level, state: AvailabilityState, status?: string): void {
  const { evseId, connectorId } = level;
  if (evseId === null) snapshot.station = state;
  else if (connectorId === null) snapshot.evses.set(evseId, state);
  else {
    const c = snapshot.connectors.find((x) => x.evseId === evseId && x.connectorId === connectorId);
    if (c) Object.assign(c, state, status !== undefined && { status });
    else snapshot.connectors.push({ evseId, connectorId, status: status ?? null, ...state });
  }
}

/** Applies `next` to one level, settles scheduled changes, stores and announces what changed. */
async function update(ctx: Ctx, level: Level, next: (state: AvailabilityState) => AvailabilityState, status?: string): Promise<void> {
  const snapshot = await snapshotOf(ctx);
  const before = stateOf(snapshot, level);
  const after = next(before);
  setState(snapshot, level, after, status);
  const changes: LevelState[] = changed(before, after) ? [{ ...level, ...after }] : [];
  for (const settled of settleScheduled(snapshot)) {
    const i = changes.findIndex((c) => c.evseId === settled.evseId && c.connectorId === settled.connectorId);
    if (i >= 0) changes.splice(i, 1);
    changes.push(settled);
  }
  await saveAvailability(ctx.db, ctx.stationId, changes.map((c) => ({ evseId: c.evseId, connectorId: c.connectorId, availability: c.current, scheduledAvailability: c.scheduled })));
  for (const c of changes) {
    ctx.bus.publish({ type: 'availability-changed', stationId: ctx.stationId, evseId: c.evseId, connectorId: c.connectorId, availability: c.current, scheduled: c.scheduled });
  }
}

/** evse omitted (or id 0) is the whole station; evse without connectorId the EVSE. */
export function levelOf(evse: { id: number; connectorId?: number } | undefined): Level {
  if (!evse || evse.id === 0) return { evseId: null, connectorId: null };
  return { evseId: evse.id, connectorId: evse.connectorId ?? null };
}

export function recordAvailabilityAnswer(ctx: Ctx, level: Level, answer: 'Accepted' | 'Scheduled', requested: OperationalStatus): Promise<void> {
  return update(ctx, level, (state) => afterChange(state, answer, requested));
}

/** The connector's stored level as read when its status was stored, and whether anything above waits. */
export interface StoredConnectorLevel {
  availability: string | null;
  scheduledAvailability: string | null;
  scheduledAbove: boolean;
}

/**
 * A connector's reported status (StatusNotification, NotifyEvent AvailabilityState of a Connector).
 * With `stored` (the connector's row, just written) and nothing scheduled for an EVSE or the station,
 * no snapshot is needed: only this connector can change (settleScheduled settles EVSE and station
 * schedules only), and one update stores it.
 */
export async function recordConnectorReport(
  ctx: Ctx, evseId: number, connectorId: number, status: string, stored?: StoredConnectorLevel,
): Promise<void> {
  if (!stored || stored.scheduledAbove) return update(ctx, { evseId, connectorId }, (state) => afterReport(state, status), status);
  const before = availabilityOf(stored);
  const after = afterReport(before, status);
  if (!changed(before, after)) return;
  await saveConnectorAvailability(ctx.db, ctx.stationId, evseId, connectorId, { availability: after.current, scheduledAvailability: after.scheduled });
  ctx.bus.publish({ type: 'availability-changed', stationId: ctx.stationId, evseId, connectorId, availability: after.current, scheduled: after.scheduled });
}

/** NotifyEvent AvailabilityState of the ChargingStation (evseId null) or of an EVSE. */
export function recordLevelReport(ctx: Ctx, evseId: number | null, status: string): Promise<void> {
  return update(ctx, { evseId, connectorId: null }, (state) => afterReport(state, status));
}
