// One step of a tracked request's status history (firmware update, publication, log upload): stored,
// then published as a 'request-status' bus event. The diagnostics block (GetLog) uses it too.
import { recordRequestStatus, type RequestStatusKind } from '../../db/queries/request-status';
import type { Ctx } from '../context';

export async function recordStatusStep(
  ctx: Ctx, kind: RequestStatusKind, requestId: number | undefined, status: string, locations: string[] | null = null,
): Promise<void> {
  const row = await recordRequestStatus(ctx.db, ctx.stationId, kind, requestId ?? null, status, locations);
  ctx.bus.publish({ type: 'request-status', kind, stationId: ctx.stationId, requestId: row.requestId, status, eventId: row.id });
}

/** GraphQL DateTime inputs arrive as Date objects, OCPP wants ISO 8601 text. */
export function isoTime(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new FirmwareInputError(`invalid date-time: ${String(value)}`);
  return date.toISOString();
}

/** The operator's input cannot be turned into a request (unknown file, no location). */
export class FirmwareInputError extends Error {}
