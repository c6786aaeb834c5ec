// N04.FR.09/N06.FR.04: SetVariableMonitoring and ClearVariableMonitoring are split according to the
// station's MonitoringCtrlr.ItemsPerMessage / BytesPerMessage (instance = the action), as stored in its device model.
import { actualValues } from '../../db/queries/device-model';
import type { Ctx } from '../context';
import type { MessageLimits } from '../provisioning/message-limits';

const UNLIMITED = Number.MAX_SAFE_INTEGER;

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function monitoringLimits(ctx: Ctx, action: 'SetVariableMonitoring' | 'ClearVariableMonitoring'): Promise<MessageLimits> {
  const [storedItems, storedBytes] = await actualValues(ctx.db, ctx.stationId, 'MonitoringCtrlr', action, 'ItemsPerMessage', 'BytesPerMessage');
  const items = positive(storedItems);
  const bytes = positive(storedBytes);
  return { items: items ?? UNLIMITED, bytes: bytes ?? UNLIMITED };
}
