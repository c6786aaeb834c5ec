// E01–E15: a station reports a transaction Started, Updated or Ended. Every event is stored exactly
// once (a duplicate seqNo is answered normally without being applied again), in any order, and the
// answer goes out only after it is stored: a storage failure propagates and becomes InternalError.
import { applyTransactionEvent } from '../../db/queries/transactions';
import type { TransactionEventRequest, TransactionEventResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { checkTimestamp } from '../../ocpp/rpc/date-time';
import { checkMeterValues, checkNonNegative, checkStrings } from '../meter-values/sampled-values';
import { idTokenInfoFor } from './event-authorization';
import { reconcileReplacedTransactions, watchSeqNoGap } from './reconcile';

/** Values the schema allows but the database cannot hold: PropertyConstraintViolation before any write. */
function checkValues(request: TransactionEventRequest): void {
  checkTimestamp(request.timestamp, '/timestamp');
  checkNonNegative(request.evse?.id, '/evse/id');
  checkNonNegative(request.evse?.connectorId, '/evse/connectorId');
  checkMeterValues(request.meterValue, '/meterValue');
  checkStrings(request, '');
}

export async function onTransactionEvent(ctx: Ctx, request: TransactionEventRequest): Promise<TransactionEventResponse> {
  checkValues(request);
  const { transactionId } = request.transactionInfo;
  // C_08/C_20/E_16: decided before the write (a read), so no database transaction waits on it.
  const idTokenInfo = request.idToken ? await idTokenInfoFor(ctx, request, request.idToken) : undefined;
  const authorization = idTokenInfo ? { status: idTokenInfo.status, groupIdToken: idTokenInfo.groupIdToken?.idToken } : null;
  const result = await applyTransactionEvent(ctx.db, ctx.stationId, request, authorization);
  if (!result.duplicate) {
    const { transaction, sampledValueIds } = result;
    ctx.bus.publish({ type: 'transaction-updated', stationId: ctx.stationId, transactionId, eventType: request.eventType, seqNo: request.seqNo });
    if (sampledValueIds.length > 0) {
      ctx.bus.publish({ type: 'meter-values', stationId: ctx.stationId, evseId: transaction.evseId ?? 0, transactionId, sampledValueIds });
    }
    if (result.otherActiveOnEvse.length > 0) ctx.defer(() => reconcileReplacedTransactions(ctx, result.otherActiveOnEvse));
    if (result.missingSeqNos.length > 0) ctx.defer(() => watchSeqNoGap(ctx, transactionId));
  }
  return idTokenInfo ? { idTokenInfo } : {};
}
