// What SPEC-NOTES §1 says the CSMS must do with one received text frame, written independently of
// src/ocpp/rpc/frame.ts: silence for answers (§1.3), else exactly one reply whose id is the frame's
// when readable (§1.4, "-1" otherwise) and whose code follows §1.7. Plus the CALLERROR shape (§1.6).
import assert from 'node:assert/strict';
import { RPC_ERROR_CODES } from '../../src/ocpp/rpc/errors';

export const MAX_DEPTH = 32;

export type Expectation =
  | { reply: false }
  | { reply: true; id: string; code: string }
  | { reply: true; id: string; call: { action: string; payload: Record<string, unknown> } };

/** Bracket nesting of a JSON text, strings skipped (the §1.7 "nested too deep" rule). */
export function textDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \\ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) max = Math.max(max, ++depth);
    else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function expectation(text: string): Expectation {
  const error = (id: string, code: string): Expectation => ({ reply: true, id, code });
  if (textDepth(text) > MAX_DEPTH) {
    // Refused unread; a frame that starts like a CALLRESULT/CALLERROR is still never answered.
    return /^[ \t\n\r]*\[[ \t\n\r]*[34](\.0+)?[ \t\n\r]*,/.test(text) ? { reply: false } : error('-1', 'RpcFrameworkError');
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return error('-1', 'RpcFrameworkError');
  }
  if (!Array.isArray(message)) return error('-1', 'RpcFrameworkError');
  const [type, rawId, action, payload] = message;
  if (type === 3 || type === 4) return { reply: false };
  const readable = typeof rawId === 'string' && rawId.length >= 1 && rawId.length <= 36;
  const id = readable ? rawId : '-1';
  if (typeof type !== 'number') return error(id, 'RpcFrameworkError');
  if (type !== 2) return error(id, 'MessageTypeNotSupported');
  if (!readable || message.length !== 4 || typeof action !== 'string' || action.length === 0) return error(id, 'RpcFrameworkError');
  if (!isObject(payload)) return error(id, 'FormatViolation');
  return { reply: true, id, call: { action, payload } };
}

/** A well-formed CALLERROR (§1.6) with this id; returns its code. No internals in the text. */
export function assertCallErrorFrame(frame: unknown, id: string): string {
  assert.ok(Array.isArray(frame), 'reply is a JSON array');
  assert.equal(frame.length, 5, `a CALLERROR has 5 elements: ${JSON.stringify(frame).slice(0, 200)}`);
  assert.equal(frame[0], 4);
  assert.equal(frame[1], id, 'message id echoed (or "-1" when unreadable)');
  assert.ok((RPC_ERROR_CODES as readonly string[]).includes(frame[2]), `valid RPC error code: ${frame[2]}`);
  assert.equal(typeof frame[3], 'string');
  assert.ok((frame[3] as string).length <= 255, 'description at most 255 characters');
  assert.ok(isObject(frame[4]), 'errorDetails is an object');
  assert.doesNotMatch(`${frame[3]} ${JSON.stringify(frame[4])}`, /SECRET|\bat \/|node:internal|\.ts:\d/, 'no internals in a CALLERROR');
  return frame[2] as string;
}

/** Own property names of Object.prototype, to prove no input polluted it. */
export const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
