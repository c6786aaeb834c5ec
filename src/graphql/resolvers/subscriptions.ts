import type { BusEvent, EventOf } from '../../bus/events';
import { findStation } from '../../db/queries/stations';
import { findStationEvents } from '../../db/queries/station-events';
import type { GraphqlContext } from '../context';
import type { Resolvers } from '../generated/resolvers';

type StationEventType = Extract<BusEvent, { stationId: string }>['type'];

async function* events<T extends StationEventType>(context: GraphqlContext, type: T, stationId: string | null | undefined) {
  const canonical = stationId ? ((await findStation(context.services.db, stationId))?.id ?? stationId) : undefined;
  const iterator = context.services.bus.subscribe(type, (e) => canonical === undefined || (e as { stationId: string }).stationId === canonical);
  try {
    for await (const event of iterator) yield event;
  } finally {
    await iterator.return?.();
  }
}

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    connectorStatusChanged: {
      subscribe: (_, { stationId }, context) => events(context, 'connector-status', stationId) as never,
      resolve: (e: EventOf<'connector-status'>) => ({ ...e, status: e.status as never }),
    },
    stationConnectionChanged: {
      subscribe: (_, { stationId }, context) => events(context, 'station-connection', stationId) as never,
      resolve: (e: EventOf<'station-connection'>) => ({ ...e, registrationStatus: e.registrationStatus as never }),
    },
    stationEvents: {
      subscribe: async function* (_: unknown, { stationId }: { stationId?: string | null }, context: GraphqlContext) {
        for await (const e of events(context, 'station-event', stationId)) {
          const [row] = await findStationEvents(context.services.db, [e.id]);
          if (row) yield row;
        }
      } as never,
      resolve: (row: unknown) => row as never,
    },
  },
};
