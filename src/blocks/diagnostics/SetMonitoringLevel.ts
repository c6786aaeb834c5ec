// N05: report only events of monitors with severity ≤ the given level (N05.FR.03); kept as ActiveMonitoringLevel.
import type { SetMonitoringLevelRequest, SetMonitoringLevelResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { saveMonitoringSetting } from './monitoring-settings';

export async function sendSetMonitoringLevel(ctx: Ctx, input: SetMonitoringLevelRequest): Promise<SetMonitoringLevelResponse> {
  const response = await ctx.call('SetMonitoringLevel', input);
  if (response.status === 'Accepted') {
    await saveMonitoringSetting(ctx.db, ctx.stationId, 'ActiveMonitoringLevel', String(input.severity), ctx.now());
  }
  return response;
}
