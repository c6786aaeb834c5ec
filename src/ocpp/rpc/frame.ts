// OCPP-J frames (Part 4 §4): parse what a peer sent, serialise what we send.
import { OcppError, rpcError, type RpcErrorCode } from './errors';

export const MESSAGE_TYPE = { CALL: 2, CALLRESULT: 3, CALLERROR: 4 } as const;
export const MAX_MESSAGE_ID_LENGTH = 36;
/** Id used in a CALLERROR when the offending message's id cannot be read (Part 4 §4.2.3). */
export const UNREADABLE_ID = '-1';

export type Payload = Record<string, unknown>;

export type Frame =
  | { type: 'call'; id: string; action: string; payload: Payload }
  | { type: 'result'; id: string; payload: Payload }
  | { type: 'error'; id: string; code: string; description: string; details: unknown };

/** A frame that could not be accepted. `reply` is false for answers (never answer an answer). */
export class FrameError extends Error {
  constructor(
    readonly error: OcppError,
    readonly id: string,
    readonly reply: boolean,
  ) {
    super(error.message);
  }
}

export function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth of nested arrays/objects in a JSON text, counted without parsing. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function frameError(code: RpcErrorCode, description: string, id: string | undefined, isAnswer: boolean): FrameError {
  return new FrameError(new OcppError(code, description), id ?? UNREADABLE_ID, !isAnswer);
}

/** `[3,` or `[4,` (JSON whitespace allowed): the text is an answer even when it is not parsed. */
const ANSWER_PREFIX = /^[ \t\n\r]*\[[ \t\n\r]*[34](?:\.0+)?[ \t\n\r]*,/;

export function parseFrame(text: string, maxDepth: number): Frame {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    // Not parsed, but a CALLRESULT/CALLERROR is still never answered (SPEC-NOTES §1.3; found by fuzzing).
    const answer = ANSWER_PREFIX.test(text);
    throw new FrameError(rpcError.rpcFrameworkError(`JSON nested deeper than ${maxDepth}`), UNREADABLE_ID, !answer);
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new FrameError(rpcError.rpcFrameworkError('Message is not valid JSON'), UNREADABLE_ID, true);
  }
  if (!Array.isArray(message)) {
    throw new FrameError(rpcError.rpcFrameworkError('Message is not a JSON array'), UNREADABLE_ID, true);
  }
  const [type, id] = message;
  const readableId = typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID_LENGTH ? id : undefined;
  if (typeof type !== 'number') {
    throw new FrameError(rpcError.rpcFrameworkError('Message type is not a number'), readableId ?? UNREADABLE_ID, true);
  }
  const isAnswer = type === MESSAGE_TYPE.CALLRESULT || type === MESSAGE_TYPE.CALLERROR;
  if (type !== MESSAGE_TYPE.CALL && !isAnswer) {
    throw new FrameError(
      rpcError.messageTypeNotSupported(`Message type ${String(type).slice(0, 20)} is not supported`),
      readableId ?? UNREADABLE_ID,
      true,
    );
  }
  if (readableId === undefined) {
    throw frameError('RpcFrameworkError', `Message id must be a string of 1 to ${MAX_MESSAGE_ID_LENGTH} characters`, readableId, isAnswer);
  }
  if (type === MESSAGE_TYPE.CALL) {
    if (message.length !== 4) throw frameError('RpcFrameworkError', 'CALL must have exactly 4 elements', readableId, isAnswer);
    const [, , action, payload] = message;
    if (typeof action !== 'string' || action.length === 0) throw frameError('RpcFrameworkError', 'Action must be a string', readableId, isAnswer);
    if (!isPayload(payload)) throw frameError('FormatViolation', 'Payload must be a JSON object', readableId, isAnswer);
    return { type: 'call', id: readableId, action, payload };
  }
  if (type === MESSAGE_TYPE.CALLRESULT) {
    if (message.length !== 3) throw frameError('RpcFrameworkError', 'CALLRESULT must have exactly 3 elements', readableId, isAnswer);
    const payload = message[2];
    if (!isPayload(payload)) throw frameError('FormatViolation', 'Payload must be a JSON object', readableId, isAnswer);
    return { type: 'result', id: readableId, payload };
  }
  if (message.length !== 5) throw frameError('RpcFrameworkError', 'CALLERROR must have exactly 5 elements', readableId, isAnswer);
  const [, , code, description, details] = message;
  return {
    type: 'error',
    id: readableId,
    code: typeof code === 'string' ? code : 'GenericError',
    description: typeof description === 'string' ? description : '',
    details,
  };
}

export const serialize = {
  call: (id: string, action: string, payload: Payload) => JSON.stringify([MESSAGE_TYPE.CALL, id, action, payload]),
  result: (id: string, payload: Payload) => JSON.stringify([MESSAGE_TYPE.CALLRESULT, id, payload]),
  error: (id: string, error: OcppError) =>
    JSON.stringify([MESSAGE_TYPE.CALLERROR, id, error.code, error.message, error.details]),
};
