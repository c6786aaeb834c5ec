// B08: ask for a custom report by component criteria and/or component-variables.
import type { GetReportRequest, GetReportResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { requestReport } from './report-request';

export type GetReportInput = Omit<GetReportRequest, 'requestId'>;

export async function sendGetReport(ctx: Ctx, input: GetReportInput) {
  return requestReport<GetReportResponse>(
    ctx, 'GetReport', null, { componentCriteria: input.componentCriteria, componentVariable: input.componentVariable },
    (requestId) => ctx.call('GetReport', { ...input, requestId }),
    true,
  );
}
