// E14: ask a station whether a transaction is still ongoing and whether it still has queued
// transaction messages. A station saying a transaction we hold as active has ended
// (E14.FR.03: ongoingIndicator false) closes it: that is the outcome we record.
import { closeTransaction } from '../../db/queries/transactions';
import type { GetTransactionStatusRequest, GetTransactionStatusResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

/** Who closed a transaction the station never reported Ended (transactions.ended_by). */
export const RECONCILED = 'Reconciled';

export interface GetTransactionStatusOptions {
  /** stoppedReason recorded when the answer closes the transaction (ReasonEnumType; default Other). */
  stoppedReason?: string;
}

/**
 * Closes an active transaction the station has ended without telling us (ghost session) and
 * announces it. The station's own Ended, should it still arrive, replaces what is recorded here.
 */
export async function closeEndedTransaction(ctx: Ctx, transactionId: string, stoppedReason: string): Promise<boolean> {
  const closed = await closeTransaction(ctx.db, ctx.stationId, transactionId, stoppedReason, RECONCILED);
  if (!closed) return false;
  ctx.log.info({ stationId: ctx.stationId, transactionId, stoppedReason }, 'transaction closed by reconciliation');
  ctx.bus.publish({ type: 'transaction-updated', stationId: ctx.stationId, transactionId, eventType: RECONCILED, seqNo: null });
  return true;
}

export async function sendGetTransactionStatus(
  ctx: Ctx, input: GetTransactionStatusRequest, options: GetTransactionStatusOptions = {},
): Promise<GetTransactionStatusResponse> {
  const response = await ctx.call('GetTransactionStatus', input);
  // E14.FR.06: without a transactionId there is no ongoingIndicator, only messagesInQueue.
  if (input.transactionId !== undefined && response.ongoingIndicator === false) {
    await closeEndedTransaction(ctx, input.transactionId, options.stoppedReason ?? 'Other');
  }
  return response;
}
