// B06.FR/B05: a request with many elements is split according to the station's
// DeviceDataCtrlr.ItemsPerMessage / BytesPerMessage (instance = the action), or a per-station override.
import { actualValues } from '../../db/queries/device-model';
import { findStation } from '../../db/queries/stations';
import type { Ctx } from '../context';

export interface MessageLimits {
  items: number;
  bytes: number;
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;

function positive(value: string | number | null | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return n !== null && n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function messageLimits(ctx: Ctx, action: 'GetVariables' | 'SetVariables'): Promise<MessageLimits> {
  const [station, [storedItems, storedBytes]] = await Promise.all([
    ctx.station ?? findStation(ctx.db, ctx.stationId),
    actualValues(ctx.db, ctx.stationId, 'DeviceDataCtrlr', action, 'ItemsPerMessage', 'BytesPerMessage'),
  ]);
  const override =
    action === 'GetVariables'
      ? { items: station?.itemsPerMessageGetVariables, bytes: station?.bytesPerMessageGetVariables }
      : { items: station?.itemsPerMessageSetVariables, bytes: station?.bytesPerMessageSetVariables };
  const items = positive(override.items) ?? positive(storedItems);
  const bytes = positive(override.bytes) ?? positive(storedBytes);
  return { items: items ?? UNLIMITED, bytes: bytes ?? UNLIMITED };
}

/** Greedy split: each chunk holds at most `items` elements and, where possible, at most `bytes` of JSON. */
export function splitByLimits<T>(elements: readonly T[], limits: MessageLimits, envelopeBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = envelopeBytes;
  for (const element of elements) {
    const elementSize = Buffer.byteLength(JSON.stringify(element)) + 1;
    if (current.length > 0 && (current.length >= limits.items || size + elementSize > limits.bytes)) {
      chunks.push(current);
      current = [];
      size = envelopeBytes;
    }
    current.push(element);
    size += elementSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
