// N02: ask for the station's monitors; the NotifyMonitoringReport parts are stored as they arrive
// (NotifyMonitoringReport.ts). Waits for the last part like getReport, unless told not to.
import { deleteAllMonitors } from '../../db/queries/monitors';
import type { GetMonitoringReportRequest, GetMonitoringReportResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { requestReport } from '../provisioning/report-request';

export type GetMonitoringReportInput = Omit<GetMonitoringReportRequest, 'requestId'>;

/** N02.FR.11: a report without criteria lists every monitor the station has. */
export const isFullMonitoringReport = (criteria: unknown): boolean => {
  const c = (criteria ?? {}) as GetMonitoringReportInput;
  return !c.monitoringCriteria?.length && !c.componentVariable?.length;
};

export async function sendGetMonitoringReport(ctx: Ctx, input: GetMonitoringReportInput, wait = true) {
  const criteria = { monitoringCriteria: input.monitoringCriteria, componentVariable: input.componentVariable };
  const outcome = await requestReport<GetMonitoringReportResponse>(
    ctx, 'GetMonitoringReport', null, criteria, (requestId) => ctx.call('GetMonitoringReport', { ...input, requestId }), wait,
  );
  // N02.FR.10: EmptyResultSet for a full report means the station has no monitors at all.
  if (outcome.response.status === 'EmptyResultSet' && isFullMonitoringReport(criteria)) await deleteAllMonitors(ctx.db, ctx.stationId);
  return outcome;
}
