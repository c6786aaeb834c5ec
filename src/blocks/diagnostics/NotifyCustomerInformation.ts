// N09/N10: each NotifyCustomerInformation part is stored before it is answered; the parts of one
// requestId form one report, Complete once the part with tbc=false and all parts before it arrived.
import { recordCustomerInformationPart } from '../../db/queries/customer-information';
import type { NotifyCustomerInformationRequest, NotifyCustomerInformationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { checkTimestamp } from '../../ocpp/rpc/date-time';

export async function onNotifyCustomerInformation(
  ctx: Ctx, request: NotifyCustomerInformationRequest,
): Promise<NotifyCustomerInformationResponse> {
  const report = await recordCustomerInformationPart(
    ctx.db,
    ctx.stationId,
    { requestId: request.requestId, seqNo: request.seqNo, data: request.data, tbc: request.tbc === true, generatedAt: checkTimestamp(request.generatedAt, '/generatedAt') },
    ctx.now(),
  );
  ctx.bus.publish({ type: 'customer-information-status', stationId: ctx.stationId, requestId: request.requestId, status: report.status });
  return {};
}
