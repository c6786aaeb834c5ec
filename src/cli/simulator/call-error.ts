/** A CALLERROR, either received from the CSMS or thrown by a handler to be sent to it. */
export class CallErrorResponse extends Error {
  constructor(
    readonly code: string,
    readonly description: string = '',
    readonly details: unknown = {},
  ) {
    super(description ? `${code}: ${description}` : code);
    this.name = 'CallErrorResponse';
  }
}
