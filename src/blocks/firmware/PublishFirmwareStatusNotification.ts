// L03: the Local Controller reports each step of publishing; Published carries the URIs it serves.
import { setPublicationStatus } from '../../db/queries/firmware';
import type {
  PublishFirmwareStatusNotificationRequest, PublishFirmwareStatusNotificationResponse,
} from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { recordStatusStep } from './status-history';

export async function onPublishFirmwareStatusNotification(
  ctx: Ctx, request: PublishFirmwareStatusNotificationRequest,
): Promise<PublishFirmwareStatusNotificationResponse> {
  const locations = request.location ?? null;
  if (request.requestId !== undefined) {
    await setPublicationStatus(ctx.db, ctx.stationId, request.requestId, request.status, locations, ctx.now());
  }
  await recordStatusStep(ctx, 'publish', request.requestId, request.status, locations);
  return {};
}
