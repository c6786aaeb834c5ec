// N01: ask a station to upload its diagnostics or security log. Without an operator-given
// remoteLocation the station gets a one-time upload URL on the CSMS (PUBLIC_URL/uploads/<token>);
// the token is stored only as a hash. AcceptedCanceled (TC_N_36) cancels the station's earlier upload.
import { randomBytes } from 'node:crypto';
import { cancelOtherLogRequests, createLogRequest, setLogResponse, type LogRequestRow } from '../../db/queries/log-requests';
import { hashUploadToken } from '../../files/log-upload';
import { logUploadUrl } from '../../files/links';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { CustomDataType, GetLogRequest, GetLogResponse, LogEnumType } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { isoTime } from '../firmware/status-history';

export interface GetLogInput {
  logType: LogEnumType;
  requestId?: number;
  retries?: number;
  retryInterval?: number;
  log?: {
    /** Omit to have the station upload to the CSMS itself. */
    remoteLocation?: string;
    oldestTimestamp?: string | Date;
    latestTimestamp?: string | Date;
  };
  customData?: CustomDataType;
}

export interface GetLogOutcome extends GetLogResponse {
  requestId: number;
  logRequest: LogRequestRow;
}

export async function sendGetLog(ctx: Ctx, input: GetLogInput): Promise<GetLogOutcome> {
  const oldest = isoTime(input.log?.oldestTimestamp);
  const latest = isoTime(input.log?.latestTimestamp);
  const external = input.log?.remoteLocation;
  const token = external === undefined ? randomBytes(24).toString('base64url') : undefined;
  const row = await createLogRequest(ctx.db, input.requestId, {
    stationId: ctx.stationId,
    logType: input.logType,
    remoteLocation: external ?? null,
    uploadTokenHash: token ? hashUploadToken(token) : null,
    uploadExpiresAt: token ? new Date(ctx.now().getTime() + ctx.config.logUploadUrlTtlS * 1000) : null,
    oldestTimestamp: oldest ? new Date(oldest) : null,
    latestTimestamp: latest ? new Date(latest) : null,
    retries: input.retries ?? null,
    retryInterval: input.retryInterval ?? null,
  });
  const request: GetLogRequest = {
    logType: input.logType,
    requestId: row.requestId,
    log: {
      remoteLocation: external ?? logUploadUrl(ctx.config, token!),
      ...(oldest !== undefined && { oldestTimestamp: oldest }),
      ...(latest !== undefined && { latestTimestamp: latest }),
    },
    ...(input.retries !== undefined && { retries: input.retries }),
    ...(input.retryInterval !== undefined && { retryInterval: input.retryInterval }),
    ...(input.customData !== undefined && { customData: input.customData }),
  };
  let response: GetLogResponse;
  try {
    response = await ctx.call('GetLog', request);
  } catch (err) {
    if (err instanceof CallFailure) await setLogResponse(ctx.db, ctx.stationId, row.requestId, err.code, null, ctx.now());
    throw err;
  }
  const updated = await setLogResponse(ctx.db, ctx.stationId, row.requestId, response.status, response.filename ?? null, ctx.now());
  if (response.status === 'AcceptedCanceled') {
    const canceled = await cancelOtherLogRequests(ctx.db, ctx.stationId, row.requestId, ctx.now());
    ctx.log.info({ stationId: ctx.stationId, requestId: row.requestId, canceled: canceled.map((c) => c.requestId) }, 'log upload replaced an ongoing one');
  }
  return { ...response, requestId: row.requestId, logRequest: updated ?? row };
}
