// N02: NotifyMonitoringReport parts (seqNo, tbc) are stored as monitors of the device model as they
// arrive; the part with tbc=false completes the report of that requestId. A complete full report
// also removes stored monitors it did not list (N02.FR.11).
import { pruneUnreportedMonitors, saveMonitors } from '../../db/queries/monitors';
import { findReport, recordReportPart } from '../../db/queries/reports';
import type { NotifyMonitoringReportRequest, NotifyMonitoringReportResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { componentKeyOf, variableKeyOf } from '../provisioning/report-entries';
import { isFullMonitoringReport } from './GetMonitoringReport';

export async function onNotifyMonitoringReport(ctx: Ctx, request: NotifyMonitoringReportRequest): Promise<NotifyMonitoringReportResponse> {
  const now = ctx.now();
  const entries = (request.monitor ?? []).map((m) => ({
    component: componentKeyOf(m.component),
    variable: variableKeyOf(m.variable),
    monitors: m.variableMonitoring.map((v) => ({ id: v.id, transaction: v.transaction, value: v.value, type: v.type, severity: v.severity })),
  }));
  await saveMonitors(ctx.db, ctx.stationId, entries, 'NotifyMonitoringReport', request.requestId, now);
  const report = await recordReportPart(ctx.db, ctx.stationId, request.requestId, request.tbc !== true, now);
  if (report.status === 'Complete') {
    const requested = await findReport(ctx.db, ctx.stationId, request.requestId);
    if (requested?.kind === 'GetMonitoringReport' && isFullMonitoringReport(requested.criteria)) {
      await pruneUnreportedMonitors(ctx.db, ctx.stationId, request.requestId, requested.requestedAt);
    }
  }
  ctx.bus.publish({ type: 'report-status', stationId: ctx.stationId, requestId: request.requestId, status: report.status });
  return {};
}
