// A04: a station reports a security event. Stored (type, time, techInfo, critical flag) and streamed;
// the (empty) answer goes out only after the row is stored (A04.FR.03). Critical events queued while
// offline (A04.FR.02) arrive in bursts after a reconnect; each is one insert.
import type { SecurityEventNotificationRequest, SecurityEventNotificationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { storeSecurityEvent } from './record-security-event';
import { checkTimestamp } from '../../ocpp/rpc/date-time';

export async function onSecurityEventNotification(
  ctx: Ctx,
  request: SecurityEventNotificationRequest,
): Promise<SecurityEventNotificationResponse> {
  await storeSecurityEvent(ctx, {
    stationId: ctx.stationId,
    type: request.type,
    timestamp: checkTimestamp(request.timestamp, '/timestamp'),
    techInfo: request.techInfo,
    source: 'Station',
  });
  return {};
}
