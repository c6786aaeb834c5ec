// Firmware (block L) and log (N01) requests: real HTTP downloads and uploads with status notifications.
import { firmwarePublishHandlers } from './firmware-publish';
import { firmwareUpdateHandlers } from './firmware-update';
import { logUploadHandlers } from './log-upload';
import type { StationContext } from './station-context';

export function maintenanceHandlers(ctx: StationContext) {
  return { ...firmwareUpdateHandlers(ctx), ...firmwarePublishHandlers(ctx), ...logUploadHandlers(ctx) };
}
