// N06: clear monitors by id; split by MonitoringCtrlr ItemsPerMessage/BytesPerMessage[ClearVariableMonitoring]
// (N06.FR.04), results merged. Accepted and NotFound ids are removed from the stored monitors.
import { deleteMonitors } from '../../db/queries/monitors';
import type { ClearMonitoringResultType, ClearVariableMonitoringRequest, ClearVariableMonitoringResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { splitByLimits } from '../provisioning/message-limits';
import { monitoringLimits } from './monitoring-limits';

const ENVELOPE_BYTES = 16;

export async function sendClearVariableMonitoring(ctx: Ctx, input: ClearVariableMonitoringRequest): Promise<ClearVariableMonitoringResponse> {
  const chunks = splitByLimits(input.id, await monitoringLimits(ctx, 'ClearVariableMonitoring'), ENVELOPE_BYTES);
  const results: ClearMonitoringResultType[] = [];
  for (const chunk of chunks) {
    const response = await ctx.call('ClearVariableMonitoring', { ...input, id: chunk });
    results.push(...response.clearMonitoringResult);
    const gone = response.clearMonitoringResult.filter((r) => r.status === 'Accepted' || r.status === 'NotFound').map((r) => r.id);
    await deleteMonitors(ctx.db, ctx.stationId, gone);
  }
  return { clearMonitoringResult: results };
}
