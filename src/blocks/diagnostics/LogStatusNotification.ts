// N01: every step of a log upload (Uploading, Uploaded, UploadFailure, AcceptedCanceled, …) is kept as
// the status history of its GetLog request; a triggered Idle without requestId is kept for the station.
import { setLogStatus } from '../../db/queries/log-requests';
import type { LogStatusNotificationRequest, LogStatusNotificationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { recordStatusStep } from '../firmware/status-history';

export async function onLogStatusNotification(ctx: Ctx, request: LogStatusNotificationRequest): Promise<LogStatusNotificationResponse> {
  if (request.requestId === undefined && request.status !== 'Idle') {
    ctx.log.warn({ stationId: ctx.stationId, status: request.status }, 'LogStatusNotification without requestId');
  }
  if (request.requestId !== undefined) await setLogStatus(ctx.db, ctx.stationId, request.requestId, request.status, ctx.now());
  await recordStatusStep(ctx, 'log', request.requestId, request.status);
  return {};
}
