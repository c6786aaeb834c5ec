// B07/B08: NotifyReport parts (seqNo, tbc) are stored into the device model as they arrive;
// the part with tbc=false completes the report of that requestId.
import { saveDeviceModel } from '../../db/queries/device-model-store';
import { recordReportPart } from '../../db/queries/reports';
import type { NotifyReportRequest, NotifyReportResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { entriesFromReport } from './report-entries';

export async function onNotifyReport(ctx: Ctx, request: NotifyReportRequest): Promise<NotifyReportResponse> {
  const now = ctx.now();
  await saveDeviceModel(ctx.db, ctx.stationId, entriesFromReport(request.reportData ?? []), now);
  const last = request.tbc !== true;
  const report = await recordReportPart(ctx.db, ctx.stationId, request.requestId, last, now);
  ctx.bus.publish({ type: 'report-status', stationId: ctx.stationId, requestId: request.requestId, status: report.status });
  return {};
}
