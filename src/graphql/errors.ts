// The API's error table: GraphQLError codes in `extensions.code`, and the mapping of a failed
// station call to `payload.error` (a station answering Rejected is data, not an error).
import { GraphQLError } from 'graphql';
import { CallFailure } from '../ocpp/rpc/call-failure';

export const API_ERROR_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** graphql-ws: a subscriber that stopped reading had too many results waiting (shared-subscriptions.ts). */
  SUBSCRIPTION_BACKLOG_EXCEEDED: 'SUBSCRIPTION_BACKLOG_EXCEEDED',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export interface CommandErrorPayload {
  code: 'StationOffline' | 'Timeout' | 'CallError' | 'InvalidResponse' | 'NotAllowed';
  message: string;
  ocppErrorCode: string | null;
}

/**
 * Runs a command; a CallFailure becomes `{ error }` in the payload. An invalid request (our
 * input failed the OCPP schema) is the caller's mistake: BAD_USER_INPUT.
 */
export async function runCommand<T extends object>(command: () => Promise<T>): Promise<T | { error: CommandErrorPayload }> {
  try {
    return await command();
  } catch (err) {
    if (!(err instanceof CallFailure)) throw err;
    if (err.code === 'InvalidRequest') throw apiError('BAD_USER_INPUT', `Invalid OCPP request: ${err.message}`);
    return { error: { code: err.code, message: err.message, ocppErrorCode: err.ocppErrorCode ?? null } };
  }
}
