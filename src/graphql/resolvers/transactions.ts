// Transactions and meter values: queries (driver keys filtered to their own idTokens), the
// getTransactionStatus command, and the nested fields of Transaction, TransactionEvent, SampledValue.
import { commandCtx } from '../../blocks/context';
import { sendGetTransactionStatus } from '../../blocks/transactions/GetTransactionStatus';
import { sampledValuesOfStation, sampledValuesOfTransaction, type SampleFilter } from '../../db/queries/meter-values';
import { findStation } from '../../db/queries/stations';
import { cursorOf, findVisibleTransaction, listTransactions, type TransactionCursor } from '../../db/queries/transaction-search';
import { DRIVER_ROLE } from '../api-keys';
import { apiError, runCommand } from '../errors';
import type { IdToken, MeterValueFilter, Resolvers } from '../generated/resolvers';
import { eventsKey, maySee, ownedBy, transactionLoaders } from '../transaction-access';
import { withoutNulls } from './commands';
import { pageSize } from './stations';

const MAX_SAMPLES = 1000;

function sampleLimit(first: number | null | undefined): number {
  if (first == null) return 100;
  if (!Number.isInteger(first) || first < 0 || first > MAX_SAMPLES) throw apiError('BAD_USER_INPUT', `first must be between 0 and ${MAX_SAMPLES}`);
  return first;
}

const sampleFilter = (filter: MeterValueFilter | null | undefined): SampleFilter => ({
  measurand: filter?.measurand ?? undefined,
  from: filter?.from ?? undefined,
  to: filter?.to ?? undefined,
});

const encodeCursor = (c: TransactionCursor) => Buffer.from(JSON.stringify([c.startedAt.toISOString(), c.stationId, c.transactionId])).toString('base64url');

function decodeCursor(cursor: string): TransactionCursor {
  try {
    const [at, stationId, transactionId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const startedAt = new Date(String(at));
    if (typeof stationId === 'string' && typeof transactionId === 'string' && !Number.isNaN(startedAt.getTime())) {
      return { startedAt, stationId, transactionId };
    }
  } catch {
    // falls through to the error below
  }
  throw apiError('BAD_USER_INPUT', 'after is not a cursor from transactions');
}

const idTokenOf = (idToken: string | null, type: string | null): IdToken | null =>
  idToken !== null && type !== null ? { idToken, type: type as IdToken['type'], additionalInfo: null } : null;

export const transactionResolvers: Resolvers = {
  Query: {
    async transactions(_, { first, after, filter }, { services, principal }) {
      const limit = pageSize(first);
      const rows = await listTransactions(
        services.db,
        {
          stationId: filter?.stationId ?? undefined, evseId: filter?.evseId ?? undefined, idToken: filter?.idToken ?? undefined,
          active: filter?.active ?? undefined, from: filter?.from ?? undefined, to: filter?.to ?? undefined, ownedBy: ownedBy(principal),
        },
        after ? decodeCursor(after) : undefined,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node })),
        pageInfo: { hasNextPage: rows.length > limit, endCursor: page.length ? encodeCursor(cursorOf(page[page.length - 1]!)) : null },
      };
    },
    transaction: async (_, { stationId, transactionId }, { services, principal }) =>
      (await findVisibleTransaction(services.db, stationId, transactionId, ownedBy(principal))) ?? null,
  },
  Mutation: {
    async getTransactionStatus(_, { stationId, input }, { services }) {
      const station = await findStation(services.db, stationId);
      if (!station) throw apiError('NOT_FOUND', `station ${stationId} not found`);
      const ctx = commandCtx(services, station.id);
      return runCommand(() => sendGetTransactionStatus(ctx, withoutNulls(input ?? {}) as never)) as never;
    },
  },
  Station: {
    meterValues: (s, { evseId, filter, first }, { services, principal }) =>
      principal.role === DRIVER_ROLE ? [] : sampledValuesOfStation(services.db, s.id, evseId ?? undefined, sampleFilter(filter), sampleLimit(first)),
  },
  Evse: {
    async activeTransaction(e, _, context) {
      const active = await transactionLoaders(context).activeByStation.load(e.stationId);
      return active.find((t) => t.evseId === e.evseId && maySee(context.principal, t)) ?? null;
    },
  },
  Transaction: {
    stoppedReason: (t) => t.stoppedReason as never,
    chargingState: (t) => t.chargingState as never,
    triggerReason: (t) => t.triggerReason as never,
    durationSeconds: (t, _, { services }) =>
      t.startedAt ? Math.max(0, Math.floor(((t.endedAt ?? services.now()).getTime() - t.startedAt.getTime()) / 1000)) : null,
    idToken: (t) => idTokenOf(t.idToken, t.idTokenType),
    stopIdToken: (t) => idTokenOf(t.stopIdToken, t.stopIdTokenType),
    events: (t, _, context) => transactionLoaders(context).eventsByTransaction.load(eventsKey(t)),
    meterValues: (t, { filter, first }, { services }) =>
      sampledValuesOfTransaction(services.db, t.stationId, t.transactionId, sampleFilter(filter), sampleLimit(first)),
  },
  TransactionEvent: {
    eventType: (e) => e.eventType as never,
    triggerReason: (e) => e.triggerReason as never,
    chargingState: (e) => e.chargingState as never,
    stoppedReason: (e) => e.stoppedReason as never,
    authorizationStatus: (e) => e.authorizationStatus as never,
    idToken: (e) => idTokenOf(e.idToken, e.idTokenType),
  },
  SampledValue: {
    location: (s) => s.location as never,
    multiplier: (s) => s.multiplier ?? 0,
    signedMeterValue: (s) => (s.signedMeterValue as never) ?? null,
  },
};
