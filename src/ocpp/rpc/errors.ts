// The OCPP-J RPC error codes of OCPP 2.0.1 Part 4 Table 8 (2.0.1 spellings), one class per code.
export const RPC_ERROR_CODES = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

const MAX_DESCRIPTION = 255;

/** An error that travels to the peer as a CALLERROR. The description must never hold internals. */
export class OcppError extends Error {
  readonly details: Record<string, unknown>;
  constructor(
    readonly code: RpcErrorCode,
    description: string,
    details: Record<string, unknown> = {},
  ) {
    super(description.slice(0, MAX_DESCRIPTION));
    this.name = 'OcppError';
    this.details = details;
  }
}

export const rpcError = {
  formatViolation: (d: string, x?: Record<string, unknown>) => new OcppError('FormatViolation', d, x),
  genericError: (d: string) => new OcppError('GenericError', d),
  internalError: (d = 'Internal error') => new OcppError('InternalError', d),
  messageTypeNotSupported: (d: string) => new OcppError('MessageTypeNotSupported', d),
  notImplemented: (d: string) => new OcppError('NotImplemented', d),
  notSupported: (d: string) => new OcppError('NotSupported', d),
  rpcFrameworkError: (d: string) => new OcppError('RpcFrameworkError', d),
  securityError: (d: string) => new OcppError('SecurityError', d),
};

export function isRpcErrorCode(code: unknown): code is RpcErrorCode {
  return typeof code === 'string' && (RPC_ERROR_CODES as readonly string[]).includes(code);
}
