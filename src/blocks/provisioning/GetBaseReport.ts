// B07: ask for a base report; the payload carries the assembled report record.
import type { GetBaseReportRequest, GetBaseReportResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { requestReport } from './report-request';

export type GetBaseReportInput = Omit<GetBaseReportRequest, 'requestId'>;

export async function sendGetBaseReport(ctx: Ctx, input: GetBaseReportInput, options = { waitForReport: true }) {
  return requestReport<GetBaseReportResponse>(
    ctx, 'GetBaseReport', input.reportBase, null,
    (requestId) => ctx.call('GetBaseReport', { ...input, requestId }),
    options.waitForReport,
  );
}
