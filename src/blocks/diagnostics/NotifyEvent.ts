// N07/G05: events from the station's monitors are stored; AvailabilityState of a connector also
// updates its status, as a StatusNotification would.
import { recordStationEvents } from '../../db/queries/station-events';
import type { NotifyEventRequest, NotifyEventResponse } from '../../ocpp/generated/types';
import { updateConnectorStatus } from '../availability/connector-status';
import { recordLevelReport } from '../availability/record-availability';
import type { Ctx } from '../context';
import { checkTimestamp, parseOcppTime } from '../../ocpp/rpc/date-time';

const CONNECTOR_STATUSES = new Set(['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted']);

export async function onNotifyEvent(ctx: Ctx, request: NotifyEventRequest): Promise<NotifyEventResponse> {
  const rows = await recordStationEvents(
    ctx.db,
    request.eventData.map((e, i) => ({
      stationId: ctx.stationId,
      eventId: e.eventId,
      timestamp: checkTimestamp(e.timestamp, `/eventData/${i}/timestamp`),
      trigger: e.trigger,
      cause: e.cause ?? null,
      actualValue: e.actualValue,
      techCode: e.techCode ?? null,
      techInfo: e.techInfo ?? null,
      cleared: e.cleared ?? null,
      transactionId: e.transactionId ?? null,
      variableMonitoringId: e.variableMonitoringId ?? null,
      eventNotificationType: e.eventNotificationType,
      componentName: e.component.name,
      componentInstance: e.component.instance ?? null,
      evseId: e.component.evse?.id ?? null,
      connectorId: e.component.evse?.connectorId ?? null,
      variableName: e.variable.name,
      variableInstance: e.variable.instance ?? null,
    })),
  );
  for (const row of rows) ctx.bus.publish({ type: 'station-event', stationId: ctx.stationId, id: row.id });
  for (const e of request.eventData) {
    const evse = e.component.evse;
    if (e.component.name === 'Connector' && e.variable.name === 'AvailabilityState' && evse?.connectorId !== undefined) {
      if (CONNECTOR_STATUSES.has(e.actualValue)) {
        await updateConnectorStatus(ctx, evse.id, evse.connectorId, e.actualValue, parseOcppTime(e.timestamp));
      }
    }
    // G03/G04: AvailabilityState of the ChargingStation or of an EVSE keeps their stored availability.
    if (e.variable.name === 'AvailabilityState' && CONNECTOR_STATUSES.has(e.actualValue)) {
      if (e.component.name === 'ChargingStation') await recordLevelReport(ctx, null, e.actualValue);
      else if (e.component.name === 'EVSE' && evse && evse.id > 0) await recordLevelReport(ctx, evse.id, e.actualValue);
    }
  }
  return {};
}
