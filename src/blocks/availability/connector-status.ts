// One place where a connector status change is stored and announced (StatusNotification, NotifyEvent).
import { applyConnectorStatus } from '../../db/queries/connectors';
import type { Ctx } from '../context';

export async function updateConnectorStatus(
  ctx: Ctx, evseId: number, connectorId: number, status: string, timestamp: Date,
): Promise<void> {
  const applied = await applyConnectorStatus(ctx.db, ctx.stationId, evseId, connectorId, status, timestamp);
  if (applied) {
    ctx.bus.publish({ type: 'connector-status', stationId: ctx.stationId, evseId, connectorId, status, timestamp });
  }
}
