// OCPP-J message frames (OCPP 2.0.1 Part 4 §4).
import { isObject, type Json } from './request-fields';

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

export type IncomingFrame =
  | { kind: 'call'; id: string; action: string; payload: Json }
  | { kind: 'result'; id: string; payload: unknown }
  | { kind: 'error'; id: string; code: string; description: string; details: unknown }
  /** An array we cannot read as a frame; `id` is set when a CALLERROR can still be addressed. */
  | { kind: 'malformed'; id?: string; reason: string };

export function parseJsonArray(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function classifyFrame(frame: unknown[]): IncomingFrame {
  const [type, id] = frame;
  if (typeof id !== 'string') return { kind: 'malformed', reason: 'message id is not a string' };
  if (type === CALL) {
    const [, , action, payload] = frame;
    if (typeof action !== 'string' || !isObject(payload)) {
      return { kind: 'malformed', id, reason: 'CALL needs an action and an object payload' };
    }
    return { kind: 'call', id, action, payload };
  }
  if (type === CALLRESULT) return { kind: 'result', id, payload: frame[2] };
  if (type === CALLERROR) {
    const [, , code, description, details] = frame;
    return {
      kind: 'error',
      id,
      code: typeof code === 'string' ? code : 'GenericError',
      description: typeof description === 'string' ? description : '',
      details,
    };
  }
  return { kind: 'malformed', id, reason: `unknown message type ${String(type)}` };
}

export const encodeCall = (id: string, action: string, payload: unknown) => JSON.stringify([CALL, id, action, payload]);
export const encodeResult = (id: string, payload: unknown) => JSON.stringify([CALLRESULT, id, payload]);
export const encodeError = (id: string, code: string, description: string, details: unknown = {}) =>
  JSON.stringify([CALLERROR, id, code, description, details]);
