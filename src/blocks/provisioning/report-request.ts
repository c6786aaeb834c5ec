// Shared by GetBaseReport and GetReport: create the report record, send, and wait for its parts.
import { createReport, findReport, markReportAccepted, setReportStatus, type ReportRow } from '../../db/queries/reports';
import type { Ctx } from '../context';

export interface ReportOutcome<R> {
  response: R;
  report: ReportRow;
}

export async function requestReport<R extends { status: string }>(
  ctx: Ctx,
  kind: 'GetBaseReport' | 'GetReport' | 'GetMonitoringReport',
  reportBase: string | null,
  criteria: unknown,
  send: (requestId: number) => Promise<R>,
  waitForReport: boolean,
): Promise<ReportOutcome<R>> {
  const created = await createReport(ctx.db, ctx.stationId, kind, reportBase, criteria);
  const completion = ctx.bus.subscribe(
    'report-status',
    (e) => e.stationId === ctx.stationId && e.requestId === created.requestId && e.status === 'Complete',
  );
  try {
    let response: R;
    try {
      response = await send(created.requestId);
    } catch (err) {
      await setReportStatus(ctx.db, ctx.stationId, created.requestId, 'Failed');
      throw err;
    }
    if (response.status !== 'Accepted') {
      await setReportStatus(ctx.db, ctx.stationId, created.requestId, response.status);
    } else {
      await markReportAccepted(ctx.db, ctx.stationId, created.requestId);
    }
    const current = await findReport(ctx.db, ctx.stationId, created.requestId);
    if (response.status === 'Accepted' && waitForReport && current?.status !== 'Complete') {
      await Promise.race([completion.next(), new Promise((r) => setTimeout(r, ctx.config.reportTimeoutMs).unref())]);
    }
    const report = (await findReport(ctx.db, ctx.stationId, created.requestId)) ?? created;
    return { response, report };
  } finally {
    await completion.return?.();
  }
}
