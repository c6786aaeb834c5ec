// A04 security events: per station and overall (newest first, cursor = row id), and live.
import { findSecurityEvents, listSecurityEvents, type SecurityEventRow } from '../../db/queries/security-events';
import { findStation } from '../../db/queries/stations';
import type { GraphqlContext } from '../context';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { pageSize } from './stations';

const encodeCursor = (id: number) => Buffer.from(String(id), 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(id) || id < 0) throw apiError('BAD_USER_INPUT', 'after is not a cursor from securityEvents');
  return id;
}

interface PageArgs {
  criticalOnly?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

async function page(context: GraphqlContext, stationId: string | undefined, args: PageArgs) {
  const limit = pageSize(args.first);
  const rows = await listSecurityEvents(
    context.services.db,
    { stationId, criticalOnly: args.criticalOnly ?? false },
    args.after ? decodeCursor(args.after) : undefined,
    limit + 1,
  );
  const nodes = rows.slice(0, limit);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]!.id) : null },
  };
}

async function* liveEvents(context: GraphqlContext, stationId: string | null | undefined): AsyncGenerator<SecurityEventRow> {
  const canonical = stationId ? ((await findStation(context.services.db, stationId))?.id ?? stationId) : undefined;
  const iterator = context.services.bus.subscribe('security-event', (e) => canonical === undefined || e.stationId === canonical);
  try {
    for await (const event of iterator) {
      const [row] = await findSecurityEvents(context.services.db, [event.id]);
      if (row) yield row;
    }
  } finally {
    await iterator.return?.();
  }
}

export const securityEventResolvers: Resolvers = {
  Query: {
    async securityEvents(_, { stationId, ...args }, context) {
      const canonical = stationId ? (await findStation(context.services.db, stationId))?.id : undefined;
      if (stationId && !canonical) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
      return page(context, canonical, args);
    },
  },
  Subscription: {
    securityEvents: {
      subscribe: ((_: unknown, { stationId }: { stationId?: string | null }, context: GraphqlContext) => liveEvents(context, stationId)) as never,
      resolve: (row: unknown) => row as never,
    },
  },
  Station: {
    securityEvents: (station, args, context) => page(context, station.id, args),
  },
  SecurityEvent: {
    id: (row) => String(row.id),
    source: (row) => row.source as 'Station' | 'CSMS',
  },
};
