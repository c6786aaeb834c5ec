// The idTokenInfo answered in a TransactionEventResponse (C_08, C_20, E_16): the same decision as
// Authorize, never Accepted for a token that is not valid. A stop (StopAuthorized or Ended) with a
// token other than the one that started the transaction must also be allowed to end it (E07, C09).
import { findTransaction } from '../../db/queries/transactions';
import type { IdTokenInfoType, IdTokenType, TransactionEventRequest } from '../../ocpp/generated/types';
import { authorizeIdToken, mayEndTransaction, sameIdToken } from '../authorization/authorize-id-token';
import type { Ctx } from '../context';

const isStop = (request: TransactionEventRequest) => request.triggerReason === 'StopAuthorized' || request.eventType === 'Ended';

export async function idTokenInfoFor(ctx: Ctx, request: TransactionEventRequest, idToken: IdTokenType): Promise<IdTokenInfoType> {
  const info = await authorizeIdToken(ctx, idToken);
  if (info.status !== 'Accepted' || !isStop(request)) return info;
  const started = await findTransaction(ctx.db, ctx.stationId, request.transactionInfo.transactionId);
  if (!started?.idToken || !started.idTokenType) return info;
  const startToken = { idToken: started.idToken, type: started.idTokenType, groupIdToken: started.groupIdToken };
  if (sameIdToken(startToken, idToken)) return info;
  // A valid token that may not end this transaction (other group, no master pass) is Invalid here.
  return (await mayEndTransaction(ctx, startToken, idToken)) ? info : { ...info, status: 'Invalid' };
}
