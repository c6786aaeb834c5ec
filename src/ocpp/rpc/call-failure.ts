// Why a CALL that the CSMS sent to a station did not produce a valid answer.
export type CallFailureCode =
  | 'StationOffline'
  | 'Timeout'
  | 'CallError'
  | 'InvalidResponse'
  | 'InvalidRequest'
  | 'NotAllowed';

export class CallFailure extends Error {
  constructor(
    readonly code: CallFailureCode,
    message: string,
    /** The station's RPC error code when `code` is CallError. */
    readonly ocppErrorCode?: string,
  ) {
    super(message);
    this.name = 'CallFailure';
  }
}
