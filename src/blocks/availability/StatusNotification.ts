// G01: a connector reports its status; unknown EVSEs and connectors are created.
import type { StatusNotificationRequest, StatusNotificationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { updateConnectorStatus } from './connector-status';
import { checkTimestamp } from '../../ocpp/rpc/date-time';

export async function onStatusNotification(ctx: Ctx, request: StatusNotificationRequest): Promise<StatusNotificationResponse> {
  await updateConnectorStatus(ctx, request.evseId, request.connectorId, request.connectorStatus, checkTimestamp(request.timestamp, '/timestamp'));
  return {};
}
