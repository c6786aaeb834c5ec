// What a principal may see of transactions, and per-request batch loaders for their nested fields
// (kept per GraphQL context, so nested events and EVSE transactions load without N+1 queries).
import { DRIVER_ROLE, type Principal } from './api-keys';
import { ownsIdToken } from './access';
import { BatchLoader } from './batch-loader';
import type { GraphqlContext } from './context';
import {
  activeTransactionsOfStations, eventsOfTransactions, type TransactionEventRow, type TransactionRow,
} from '../db/queries/transactions';

/** Staff see every transaction; a driver only those started by one of its idTokens (issue 3 §5). */
export function maySee(principal: Principal, row: Pick<TransactionRow, 'idToken' | 'idTokenType'>): boolean {
  if (principal.role !== DRIVER_ROLE) return true;
  return row.idToken !== null && row.idTokenType !== null && ownsIdToken(principal, row.idToken, row.idTokenType);
}

/** For list queries: undefined (no restriction) for staff, the driver's tokens otherwise. */
export function ownedBy(principal: Principal): Principal['idTokens'] | undefined {
  return principal.role === DRIVER_ROLE ? principal.idTokens : undefined;
}

const SEP = '\u0000';

function createTransactionLoaders(context: GraphqlContext) {
  const db = context.services.db;
  return {
    eventsByTransaction: new BatchLoader<string, TransactionEventRow[]>(async (keys) => {
      const rows = await eventsOfTransactions(db, keys.map((k) => {
        const [stationId, transactionId] = k.split(SEP) as [string, string];
        return { stationId, transactionId };
      }));
      const map = new Map<string, TransactionEventRow[]>();
      for (const row of rows) {
        const key = `${row.stationId}${SEP}${row.transactionId}`;
        map.set(key, [...(map.get(key) ?? []), row]);
      }
      return map;
    }, []),
    activeByStation: new BatchLoader<string, TransactionRow[]>(async (stationIds) => {
      const map = new Map<string, TransactionRow[]>();
      for (const row of await activeTransactionsOfStations(db, stationIds)) map.set(row.stationId, [...(map.get(row.stationId) ?? []), row]);
      return map;
    }, []),
  };
}

const perRequest = new WeakMap<GraphqlContext, ReturnType<typeof createTransactionLoaders>>();

export function transactionLoaders(context: GraphqlContext) {
  let loaders = perRequest.get(context);
  if (!loaders) perRequest.set(context, (loaders = createTransactionLoaders(context)));
  return loaders;
}

export const eventsKey = (row: Pick<TransactionRow, 'stationId' | 'transactionId'>) => `${row.stationId}${SEP}${row.transactionId}`;
