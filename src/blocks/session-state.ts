// Per-connection state the behaviour layer keeps on each RpcSession.
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface SessionState {
  registrationStatus: RegistrationStatus | null;
  /** Actions a not-yet-accepted station may send because the CSMS asked for them, until a time. */
  allowances: Map<string, number>;
}

export function newSessionState(registrationStatus: string | null): SessionState {
  const known = registrationStatus === 'Accepted' || registrationStatus === 'Pending' || registrationStatus === 'Rejected';
  return { registrationStatus: known ? registrationStatus : null, allowances: new Map() };
}
