// F01/F02: ask a station to start a transaction. The CSMS hands out a remoteStartId, which the
// station echoes in the TransactionEvent that follows (F02.FR.01), and records the command in
// remote_starts so that transaction links back to it (TC_F_01_CSMS … TC_F_04_CSMS).
import { randomInt } from 'node:crypto';
import { recordRemoteStartOutcome, reserveRemoteStart, type RemoteStartRequest } from '../../db/queries/remote-starts';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { RequestStartTransactionRequest, RequestStartTransactionResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';

export type RequestStartTransactionInput = Omit<RequestStartTransactionRequest, 'remoteStartId'> & { remoteStartId?: number };
export type RequestStartTransactionResult = RequestStartTransactionResponse & { remoteStartId: number };

/** The caller chose a remoteStartId this station was already sent. */
export class RemoteStartIdInUse extends Error {
  constructor(readonly remoteStartId: number) {
    super(`remoteStartId ${remoteStartId} was already used for this station`);
    this.name = 'RemoteStartIdInUse';
  }
}

const MAX_INT32 = 2 ** 31 - 1;
const GENERATE_ATTEMPTS = 8;

/** A random positive int32 not yet used for this station (unique by the remote_starts key). */
async function claimRemoteStartId(ctx: Ctx, request: Omit<RemoteStartRequest, 'remoteStartId'>, given?: number): Promise<number> {
  if (given !== undefined) {
    if (!(await reserveRemoteStart(ctx.db, { ...request, remoteStartId: given }))) throw new RemoteStartIdInUse(given);
    return given;
  }
  for (let attempt = 0; attempt < GENERATE_ATTEMPTS; attempt++) {
    const remoteStartId = randomInt(1, MAX_INT32 + 1);
    if (await reserveRemoteStart(ctx.db, { ...request, remoteStartId })) return remoteStartId;
  }
  throw new Error('could not find an unused remoteStartId');
}

export async function sendRequestStartTransaction(ctx: Ctx, input: RequestStartTransactionInput): Promise<RequestStartTransactionResult> {
  const remoteStartId = await claimRemoteStartId(
    ctx,
    { stationId: ctx.stationId, evseId: input.evseId ?? null, idToken: input.idToken.idToken, idTokenType: input.idToken.type },
    input.remoteStartId,
  );
  let response: RequestStartTransactionResponse;
  try {
    response = await ctx.call('RequestStartTransaction', { ...input, remoteStartId });
  } catch (err) {
    // A command that never got an answer stays on record with the reason (a late start still links).
    const reason = err instanceof CallFailure ? err.code : 'Failed';
    await recordOutcome(ctx, remoteStartId, reason, undefined);
    throw err;
  }
  await recordOutcome(ctx, remoteStartId, response.status, response.transactionId);
  return { ...response, remoteStartId };
}

async function recordOutcome(ctx: Ctx, remoteStartId: number, status: string, transactionId: string | undefined): Promise<void> {
  const row = await recordRemoteStartOutcome(ctx.db, ctx.stationId, remoteStartId, status, transactionId);
  ctx.bus.publish({
    type: 'remote-start',
    stationId: ctx.stationId,
    remoteStartId,
    status,
    transactionId: row?.transactionId ?? transactionId ?? null,
  });
}
