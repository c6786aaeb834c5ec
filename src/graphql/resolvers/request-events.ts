// Subscriptions over the 'request-status' bus event (firmware, publication and log statuses),
// optionally for one station, yielding the stored status row.
import { findRequestStatusEvent, type RequestStatusKind } from '../../db/queries/request-status';
import { findStation } from '../../db/queries/stations';
import type { GraphqlContext } from '../context';

export async function* requestStatusEvents(context: GraphqlContext, kind: RequestStatusKind, stationId: string | null | undefined) {
  const canonical = stationId ? ((await findStation(context.services.db, stationId))?.id ?? stationId) : undefined;
  const iterator = context.services.bus.subscribe(
    'request-status',
    (e) => e.kind === kind && (canonical === undefined || e.stationId === canonical),
  );
  try {
    for await (const event of iterator) {
      const row = await findRequestStatusEvent(context.services.db, event.eventId);
      if (row) yield row;
    }
  } finally {
    await iterator.return?.();
  }
}

