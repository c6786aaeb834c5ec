// Live sessions over graphql-ws: the new state of a transaction after every stored event, and
// sampled values as they arrive. A driver key receives only its own transactions.
import type { EventOf } from '../../bus/events';
import { findSampledValues, type SampledValueRow } from '../../db/queries/meter-values';
import { findStation } from '../../db/queries/stations';
import { findTransaction, type TransactionRow } from '../../db/queries/transactions';
import { DRIVER_ROLE } from '../api-keys';
import type { GraphqlContext } from '../context';
import type { Resolvers } from '../generated/resolvers';
import { maySee } from '../transaction-access';

/**
 * Maps (and drops, on undefined) each source item in order. return() ends the source at once, so an
 * unsubscribing client never leaves a bus listener behind waiting for one more event.
 */
function mapSource<T, R>(source: AsyncIterableIterator<T>, map: (item: T) => Promise<R | undefined>): AsyncIterableIterator<R> {
  const iterator: AsyncIterableIterator<R> = {
    async next() {
      for (;;) {
        const item = await source.next();
        if (item.done) return { value: undefined, done: true };
        const value = await map(item.value);
        if (value !== undefined) return { value, done: false };
      }
    },
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** The stored spelling of a station id (ids are case-insensitive), or the argument when unknown. */
async function canonicalStation(context: GraphqlContext, stationId: string | null | undefined): Promise<string | undefined> {
  if (!stationId) return undefined;
  return (await findStation(context.services.db, stationId))?.id ?? stationId;
}

/**
 * One read per bus event however many subscribers receive it (the bus hands every listener the same
 * event object): 1,000 subscribers must not mean 1,000 identical queries per event.
 */
function sharedRead<E extends object, R>(load: (e: E) => Promise<R>): (e: E) => Promise<R> {
  const reads = new WeakMap<E, Promise<R>>();
  return (e) => {
    let read = reads.get(e);
    if (!read) reads.set(e, (read = load(e)));
    return read;
  };
}

export interface MeterValuesMessage {
  stationId: string;
  evseId: number;
  transactionId: string | null;
  sampledValues: SampledValueRow[];
}

type Db = GraphqlContext['services']['db'];
const perDb = <E extends object, R>(load: (db: Db, e: E) => Promise<R>) => {
  const byDb = new WeakMap<Db, (e: E) => Promise<R>>();
  return (db: Db) => {
    let read = byDb.get(db);
    if (!read) byDb.set(db, (read = sharedRead((e: E) => load(db, e))));
    return read;
  };
};
const transactionOf = perDb((db, e: { stationId: string; transactionId: string }) => findTransaction(db, e.stationId, e.transactionId));
const sampledValuesOf = perDb((db, e: { sampledValueIds: number[] }) => findSampledValues(db, e.sampledValueIds));

export const transactionSubscriptionResolvers: Resolvers = {
  Subscription: {
    transactionUpdated: {
      subscribe: (async (_: unknown, args: { stationId?: string | null; transactionId?: string | null }, context: GraphqlContext) => {
        const stationId = await canonicalStation(context, args.stationId);
        const { db, bus } = context.services;
        const source = bus.subscribe(
          'transaction-updated',
          (e) => (stationId === undefined || e.stationId === stationId) && (args.transactionId == null || e.transactionId === args.transactionId),
        );
        return mapSource(source, async (e: EventOf<'transaction-updated'>) => {
          const row = await transactionOf(db)(e);
          return row && maySee(context.principal, row) ? row : undefined;
        });
      }) as never,
      resolve: (row: TransactionRow) => row,
    },
    meterValuesReceived: {
      subscribe: (async (
        _: unknown, args: { stationId?: string | null; evseId?: number | null; transactionId?: string | null }, context: GraphqlContext,
      ) => {
        const stationId = await canonicalStation(context, args.stationId);
        const { db, bus } = context.services;
        const driver = context.principal.role === DRIVER_ROLE;
        const source = bus.subscribe(
          'meter-values',
          (e) =>
            (stationId === undefined || e.stationId === stationId) && (args.evseId == null || e.evseId === args.evseId) &&
            (args.transactionId == null || e.transactionId === args.transactionId) && (!driver || e.transactionId !== null),
        );
        return mapSource(source, async (e: EventOf<'meter-values'>): Promise<MeterValuesMessage | undefined> => {
          if (driver) {
            const row = e.transactionId === null ? undefined : await transactionOf(db)(e as typeof e & { transactionId: string });
            if (!row || !maySee(context.principal, row)) return undefined;
          }
          const sampledValues = await sampledValuesOf(db)(e);
          return { stationId: e.stationId, evseId: e.evseId, transactionId: e.transactionId, sampledValues };
        });
      }) as never,
      resolve: (message: MeterValuesMessage) => message,
    },
  },
};
