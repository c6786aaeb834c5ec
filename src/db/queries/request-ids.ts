// requestId allocation for CSMS-initiated requests tracked by id (UpdateFirmware, PublishFirmware,
// GetLog): the operator's id when given (unique per station and kind), else a random positive int32.
import { randomInt } from 'node:crypto';

export class RequestIdInUse extends Error {
  constructor(readonly requestId: number) {
    super(`requestId ${requestId} is already used for this station`);
  }
}

/** `insert` returns undefined when the (station, requestId) pair is taken (ON CONFLICT DO NOTHING). */
export async function insertWithRequestId<R>(requested: number | undefined, insert: (requestId: number) => Promise<R | undefined>): Promise<R> {
  if (requested !== undefined) {
    const row = await insert(requested);
    if (!row) throw new RequestIdInUse(requested);
    return row;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const row = await insert(randomInt(1, 2 ** 31 - 1));
    if (row) return row;
  }
  throw new Error('could not allocate a requestId');
}
