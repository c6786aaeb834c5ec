// The inputs of a transaction's fold (its row, events and energy readings) kept in memory after a
// TransactionEvent, so the next event of the same transaction can be folded without reading them
// back (transaction-event-fast.ts). An entry is trusted only at the row's `version`: every write of
// the row raises it, so a change made elsewhere (reconciliation, clearCsmsData, another process)
// makes the next event take the full path, which reads everything and refreshes the entry.
import type { Db } from '../client';
import type { EnergySample, TransactionEventRow, TransactionRow } from './transaction-fold';

export interface CachedFold {
  row: TransactionRow;
  /** Every stored event of the transaction. */
  events: TransactionEventRow[];
  /** Every stored energy register reading of the transaction, in id order. */
  energy: EnergySample[];
}

// Bounds on memory (an event row is ~0.5 KB): longer transactions fold from the database.
const MAX_TRANSACTIONS = 10_000;
const MAX_EVENTS = 32;
const MAX_ENERGY_READINGS = 64;

const keyOf = (stationId: string, transactionId: string) => `${stationId}\u0000${transactionId}`;

export class FoldCache {
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  private readonly entries = new Map<string, CachedFold>();

  get(stationId: string, transactionId: string): CachedFold | undefined {
    const key = keyOf(stationId, transactionId);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Keeps an active transaction's fold inputs; an ended or long one is dropped instead. */
  remember(entry: CachedFold): void {
    const key = keyOf(entry.row.stationId, entry.row.transactionId);
    this.entries.delete(key);
    if (!entry.row.active || entry.events.length > MAX_EVENTS || entry.energy.length > MAX_ENERGY_READINGS) return;
    this.entries.set(key, entry);
    if (this.entries.size > MAX_TRANSACTIONS) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops the entry; with `only`, only if it is still that entry (a newer one is kept). */
  forget(stationId: string, transactionId: string, only?: CachedFold): void {
    const key = keyOf(stationId, transactionId);
    if (only === undefined || this.entries.get(key) === only) this.entries.delete(key);
  }

  /** Drops every entry of a station (deleted: a re-created one starts its rows at version 0 again). */
  forgetStation(stationId: string): void {
    const prefix = keyOf(stationId, '');
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<Db, FoldCache>();

/** The cache of one database (tests open several in one process). */
export function foldCacheOf(db: Db): FoldCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new FoldCache();
    caches.set(db, cache);
  }
  return cache;
}
