// One place where a connector status change is stored and announced (StatusNotification, NotifyEvent).
import { applyConnectorStatus } from '../../db/queries/connectors';
import type { Ctx } from '../context';
import { reconcileAfterAvailable } from '../transactions/reconcile';
import { recordConnectorReport } from './record-availability';

export async function updateConnectorStatus(
  ctx: Ctx, evseId: number, connectorId: number, status: string, timestamp: Date,
): Promise<void> {
  const applied = await applyConnectorStatus(ctx.db, ctx.stationId, evseId, connectorId, status, timestamp);
  if (applied) {
    ctx.bus.publish({ type: 'connector-status', stationId: ctx.stationId, evseId, connectorId, status, timestamp });
    await recordConnectorReport(ctx, evseId, connectorId, status, applied);
    // Ghost sessions: an Available connector whose EVSE still has an active transaction is checked.
    if (status === 'Available') ctx.defer(() => reconcileAfterAvailable(ctx, evseId, connectorId));
  }
}
