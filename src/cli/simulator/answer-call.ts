// Runs a CALL handler and turns its outcome into a CALLRESULT or CALLERROR frame.
import { CallErrorResponse } from './call-error';
import { encodeError, encodeResult } from './ocpp-frames';
import type { CallHandler } from './station-context';

export async function answerFrame(handler: CallHandler | undefined, id: string, action: string, payload: unknown): Promise<string> {
  if (!handler) return encodeError(id, 'NotImplemented', `${action} is not supported by this station`);
  try {
    const response = await handler(payload);
    return encodeResult(id, response ?? {});
  } catch (error) {
    if (error instanceof CallErrorResponse) return encodeError(id, error.code, error.description, error.details);
    const message = error instanceof Error ? error.message : String(error);
    return encodeError(id, 'InternalError', message);
  }
}
