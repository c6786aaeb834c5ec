// L01.FR.01: the station reports every step of a firmware update; each one is kept as the status
// history of its request. A triggered Idle without requestId (no update ongoing) is kept for the station.
import { setFirmwareUpdateStatus } from '../../db/queries/firmware';
import type { FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { recordStatusStep } from './status-history';

export async function onFirmwareStatusNotification(ctx: Ctx, request: FirmwareStatusNotificationRequest): Promise<FirmwareStatusNotificationResponse> {
  if (request.requestId === undefined && request.status !== 'Idle') {
    // requestId is mandatory except for a triggered Idle; the step is still kept, for the station only.
    ctx.log.warn({ stationId: ctx.stationId, status: request.status }, 'FirmwareStatusNotification without requestId');
  }
  if (request.requestId !== undefined) await setFirmwareUpdateStatus(ctx.db, ctx.stationId, request.requestId, request.status, ctx.now());
  await recordStatusStep(ctx, 'firmware', request.requestId, request.status);
  return {};
}
