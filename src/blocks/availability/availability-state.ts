// G03/G04: the operational status (Operative/Inoperative) of the station, its EVSEs and connectors,
// and a change the station accepted as Scheduled because a transaction was running. Pure rules.

export type OperationalStatus = 'Operative' | 'Inoperative';

export interface AvailabilityState {
  /** Last known operational status; null when never set nor reported. */
  current: OperationalStatus | null;
  /** A change the station answered Scheduled, applied once it reports it (TC_G_14_CSMS). */
  scheduled: OperationalStatus | null;
}

/** The availability of one level: the station (evseId null), an EVSE (connectorId null), a connector. */
export interface LevelState extends AvailabilityState {
  evseId: number | null;
  connectorId: number | null;
}

export interface AvailabilitySnapshot {
  station: AvailabilityState;
  evses: Map<number, AvailabilityState>;
  connectors: Array<LevelState & { evseId: number; connectorId: number; status: string | null }>;
}

const isStatus = (v: string | null | undefined): v is OperationalStatus => v === 'Operative' || v === 'Inoperative';

/** The state of one stored level (unknown values read as not set). */
export function availabilityOf(level: { availability: string | null; scheduledAvailability: string | null }): AvailabilityState {
  return {
    current: isStatus(level.availability) ? level.availability : null,
    scheduled: isStatus(level.scheduledAvailability) ? level.scheduledAvailability : null,
  };
}

/**
 * What a reported status (StatusNotification connectorStatus, NotifyEvent AvailabilityState) says:
 * Unavailable is Inoperative; Available, Occupied and Reserved are Operative. Faulted is a fault, not
 * an operational setting, and leaves the stored availability alone.
 */
export function reportedOperationalStatus(status: string | null | undefined): OperationalStatus | undefined {
  if (status === 'Unavailable') return 'Inoperative';
  if (status === 'Available' || status === 'Occupied' || status === 'Reserved') return 'Operative';
  return undefined;
}

/** A level after the station reported `status` for it: the report wins, a matching schedule is done. */
export function afterReport(state: AvailabilityState, status: string | null | undefined): AvailabilityState {
  const reported = reportedOperationalStatus(status);
  if (!reported) return state;
  return { current: reported, scheduled: state.scheduled === reported ? null : state.scheduled };
}

/** A level after the station answered ChangeAvailability with Accepted or Scheduled (G03/G04). */
export function afterChange(state: AvailabilityState, answer: 'Accepted' | 'Scheduled', requested: OperationalStatus): AvailabilityState {
  if (answer === 'Accepted') return { current: requested, scheduled: null };
  return { current: state.current, scheduled: state.current === requested ? null : requested };
}

const same = (a: AvailabilityState, b: AvailabilityState) => a.current === b.current && a.scheduled === b.scheduled;

/**
 * A scheduled change of an EVSE or of the station is applied once every connector it covers
 * reports the new status (the busy connector reports Unavailable after its transaction ended and the
 * EV left). Returns the levels whose state changed.
 */
export function settleScheduled(snapshot: AvailabilitySnapshot): LevelState[] {
  const changes: LevelState[] = [];
  const allReport = (target: OperationalStatus, evseId?: number) => {
    const covered = snapshot.connectors.filter((c) => evseId === undefined || c.evseId === evseId);
    return covered.length > 0 && covered.every((c) => reportedOperationalStatus(c.status) === target);
  };
  for (const [evseId, state] of snapshot.evses) {
    if (state.scheduled && allReport(state.scheduled, evseId)) {
      const next = { current: state.scheduled, scheduled: null };
      snapshot.evses.set(evseId, next);
      changes.push({ evseId, connectorId: null, ...next });
    }
  }
  const station = snapshot.station;
  if (station.scheduled && allReport(station.scheduled)) {
    snapshot.station = { current: station.scheduled, scheduled: null };
    changes.push({ evseId: null, connectorId: null, ...snapshot.station });
  }
  return changes;
}

export function changed(before: AvailabilityState, after: AvailabilityState): boolean {
  return !same(before, after);
}
