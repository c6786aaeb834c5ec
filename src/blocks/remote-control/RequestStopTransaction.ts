// F03/F04: ask a station to stop a transaction (TC_E_21_CSMS: F03.FR.01, F03.FR.09). The station
// answers Accepted/Rejected; the transaction itself ends through the TransactionEvent Ended that
// follows (triggerReason RemoteStop, stoppedReason Remote), which the transactions block stores.
import type { RequestStopTransactionRequest, RequestStopTransactionResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export function sendRequestStopTransaction(ctx: Ctx, input: RequestStopTransactionRequest): Promise<RequestStopTransactionResponse> {
  return ctx.call('RequestStopTransaction', input);
}
