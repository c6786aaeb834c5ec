// The state of a transaction, recomputed from ALL its stored events in seqNo order (no SQL here).
// Folding everything each time makes duplicates, out-of-order and offline replays (E12) converge
// to the same state whatever order the events arrived in.
import type { sampledValues, transactionEvents, transactions } from '../schema';

export type TransactionRow = typeof transactions.$inferSelect;
export type TransactionEventRow = typeof transactionEvents.$inferSelect;
type SampledValueRow = typeof sampledValues.$inferSelect;
export type EnergySample = Pick<SampledValueRow, 'id' | 'timestamp' | 'value' | 'unit' | 'multiplier' | 'context' | 'phase' | 'location'>;

export const ENERGY_REGISTER = 'Energy.Active.Import.Register';
const UNIT_TO_WH: Record<string, number> = { Wh: 1, kWh: 1000, MWh: 1_000_000 };

export type FoldedState = Pick<
  TransactionRow,
  | 'evseId' | 'connectorId' | 'active' | 'startedAt' | 'endedAt' | 'idToken' | 'idTokenType' | 'stopIdToken'
  | 'stopIdTokenType' | 'chargingState' | 'triggerReason' | 'stoppedReason' | 'endedBy' | 'meterStartWh'
  | 'meterStopWh' | 'energyWh' | 'remoteStartId' | 'reservationId' | 'numberOfPhasesUsed' | 'cableMaxCurrent'
  | 'lastSeqNo' | 'eventCount'
> & {
  /** The event whose idToken is the start token (its authorization gives the group). */
  startEventId: number | null;
};

/** What a transaction row stores of the fold. */
export type StoredState = Omit<FoldedState, 'startEventId'> & Pick<TransactionRow, 'groupIdToken' | 'updatedAt'>;
// A Record so the compiler insists on every column of the folded state.
export const stateColumns = Object.keys({
  evseId: 1, connectorId: 1, active: 1, startedAt: 1, endedAt: 1, idToken: 1, idTokenType: 1, stopIdToken: 1, stopIdTokenType: 1,
  chargingState: 1, triggerReason: 1, stoppedReason: 1, endedBy: 1, meterStartWh: 1, meterStopWh: 1, energyWh: 1, remoteStartId: 1,
  reservationId: 1, numberOfPhasesUsed: 1, cableMaxCurrent: 1, lastSeqNo: 1, eventCount: 1, groupIdToken: 1, updatedAt: 1,
} satisfies Record<keyof StoredState, 1>);
export const timeColumns = ['startedAt', 'endedAt', 'updatedAt'] as const;

/** An energy register sample in Wh (multiplier and kWh/MWh applied); null for other units. */
export function sampleWh(sample: Pick<EnergySample, 'value' | 'unit' | 'multiplier'>): number | null {
  const factor = UNIT_TO_WH[sample.unit ?? 'Wh'];
  if (factor === undefined) return null;
  const wh = sample.value * 10 ** (sample.multiplier ?? 0) * factor;
  return Number.isFinite(wh) ? Math.round(wh * 1000) / 1000 : null;
}

const byTime = (a: EnergySample, b: EnergySample) => a.timestamp.getTime() - b.timestamp.getTime() || a.id - b.id;

/** Register readings of one consistent series: no phase, the Outlet location when present (J02). */
function registerSeries(samples: EnergySample[]): EnergySample[] {
  const usable = samples.filter((s) => s.phase === null && sampleWh(s) !== null);
  const outlet = usable.filter((s) => s.location === 'Outlet');
  const series = outlet.length > 0 ? outlet : usable.filter((s) => s.location === usable[0]?.location);
  return series.sort(byTime);
}

interface Energy {
  meterStartWh: number | null;
  meterStopWh: number | null;
  energyWh: number | null;
}

/** Transaction.Begin / Transaction.End readings preferred, else the first / last one. */
export function energyOf(samples: EnergySample[], ended: boolean): Energy {
  const series = registerSeries(samples);
  if (series.length === 0) return { meterStartWh: null, meterStopWh: null, energyWh: null };
  const begin = series.find((s) => s.context === 'Transaction.Begin') ?? series[0]!;
  const end = [...series].reverse().find((s) => s.context === 'Transaction.End');
  const last = end ?? series[series.length - 1]!;
  const meterStartWh = sampleWh(begin);
  const lastWh = sampleWh(last);
  const meterStopWh = ended || end ? lastWh : null;
  const delta = meterStartWh !== null && lastWh !== null ? Math.round((lastWh - meterStartWh) * 1000) / 1000 : null;
  // A register that went backwards (meter replaced or reset) gives no trustworthy energy.
  return { meterStartWh, meterStopWh, energyWh: delta !== null && delta >= 0 ? delta : null };
}

const firstOf = <T>(events: TransactionEventRow[], pick: (e: TransactionEventRow) => T | null): T | null => {
  for (const e of events) {
    const value = pick(e);
    if (value !== null) return value;
  }
  return null;
};
const lastOf = <T>(events: TransactionEventRow[], pick: (e: TransactionEventRow) => T | null): T | null =>
  firstOf([...events].reverse(), pick);

/**
 * Folds all stored events (any order) into the transaction's state. `current` is the stored row:
 * a transaction closed by reconciliation stays closed until the station's own Ended arrives.
 */
export function foldTransaction(allEvents: TransactionEventRow[], energy: EnergySample[], current: TransactionRow): FoldedState {
  const events = [...allEvents].sort((a, b) => a.seqNo - b.seqNo || a.id - b.id);
  const started = events.find((e) => e.eventType === 'Started');
  const ended = events.find((e) => e.eventType === 'Ended');
  const earliest = events.reduce<Date | null>((min, e) => (min === null || e.timestamp < min ? e.timestamp : min), null);
  // E07: a StopAuthorized event carries the token that stopped it; the first other token started it.
  const stopEvent = [...events].reverse().find((e) => e.idToken !== null && e.triggerReason === 'StopAuthorized');
  const startEvent = events.find((e) => e.idToken !== null && e.triggerReason !== 'StopAuthorized') ?? null;
  const stop = stopEvent ?? (ended && ended.idToken !== null && ended !== startEvent ? ended : undefined);
  const reconciled = !ended && current.endedBy !== null && !current.active;
  const isEnded = ended !== undefined || reconciled;
  const last = events[events.length - 1];
  const energyFold = energyOf(energy, isEnded);
  return {
    evseId: firstOf(events, (e) => e.evseId),
    connectorId: firstOf(events, (e) => e.connectorId),
    active: !isEnded,
    startedAt: started?.timestamp ?? earliest,
    endedAt: ended ? ended.timestamp : reconciled ? current.endedAt : null,
    idToken: startEvent?.idToken ?? null,
    idTokenType: startEvent?.idTokenType ?? null,
    stopIdToken: stop?.idToken ?? null,
    stopIdTokenType: stop?.idTokenType ?? null,
    chargingState: lastOf(events, (e) => e.chargingState),
    triggerReason: last?.triggerReason ?? null,
    // E06: stoppedReason may only be omitted when the reason is Local.
    stoppedReason: ended ? (ended.stoppedReason ?? 'Local') : reconciled ? current.stoppedReason : null,
    endedBy: ended ? null : reconciled ? current.endedBy : null,
    meterStartWh: energyFold.meterStartWh,
    meterStopWh: energyFold.meterStopWh,
    energyWh: energyFold.energyWh,
    remoteStartId: firstOf(events, (e) => e.remoteStartId),
    reservationId: firstOf(events, (e) => e.reservationId),
    numberOfPhasesUsed: lastOf(events, (e) => e.numberOfPhasesUsed),
    cableMaxCurrent: lastOf(events, (e) => e.cableMaxCurrent),
    lastSeqNo: last?.seqNo ?? null,
    eventCount: events.length,
    startEventId: startEvent?.id ?? null,
  };
}

/** seqNos missing between the lowest and highest stored one (TC_E_31: a gap to ask about). */
export function missingSeqNos(seqNos: number[]): number[] {
  if (seqNos.length === 0) return [];
  const have = new Set(seqNos);
  const min = Math.min(...seqNos);
  const max = Math.max(...seqNos);
  const missing: number[] = [];
  for (let n = min + 1; n < max && missing.length < 100; n++) if (!have.has(n)) missing.push(n);
  return missing;
}
