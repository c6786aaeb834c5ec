// N03: activate a set of preconfigured monitors. FactoryDefault and HardWiredOnly remove every custom
// monitor (N03.FR.04/05), so the stored monitors are dropped; after any accepted change a full
// monitoring report is requested in the background to learn which monitors are now active.
import { deleteAllMonitors } from '../../db/queries/monitors';
import type { SetMonitoringBaseRequest, SetMonitoringBaseResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { sendGetMonitoringReport } from './GetMonitoringReport';
import { saveMonitoringSetting } from './monitoring-settings';

export async function sendSetMonitoringBase(ctx: Ctx, input: SetMonitoringBaseRequest): Promise<SetMonitoringBaseResponse> {
  const response = await ctx.call('SetMonitoringBase', input);
  if (response.status !== 'Accepted') return response;
  await saveMonitoringSetting(ctx.db, ctx.stationId, 'ActiveMonitoringBase', input.monitoringBase, ctx.now());
  if (input.monitoringBase !== 'All') await deleteAllMonitors(ctx.db, ctx.stationId);
  ctx.defer(() => sendGetMonitoringReport(ctx, {}, false));
  return response;
}
