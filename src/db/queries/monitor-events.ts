// N07/N08: the NotifyEvent rows a monitor triggered (station_events.variable_monitoring_id = its id).
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { stationEvents } from '../schema';
import type { StationEventRow } from './station-events';

export async function listMonitorEvents(db: Db, stationId: string, monitorId: number, limit: number): Promise<StationEventRow[]> {
  return db
    .select()
    .from(stationEvents)
    .where(and(eq(stationEvents.stationId, stationId), eq(stationEvents.variableMonitoringId, monitorId)))
    .orderBy(desc(stationEvents.timestamp), desc(stationEvents.id))
    .limit(limit);
}
