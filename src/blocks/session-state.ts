// Per-connection state the behaviour layer keeps on each RpcSession.
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface SessionState {
  registrationStatus: RegistrationStatus | null;
  /** Actions a not-yet-accepted station may send because the CSMS asked for them, until a time. */
  allowances: Map<string, number>;
  /** A00: the security profile this connection was accepted with (1 plain, 2 TLS + Basic, 3 TLS + certificate). */
  securityProfile?: 1 | 2 | 3;
  /** Profile 3: CN of the client certificate, compared with the boot's serialNumber (B01.FR.11/12). */
  certificateCommonName?: string;
}

export function newSessionState(registrationStatus: string | null): SessionState {
  const known = registrationStatus === 'Accepted' || registrationStatus === 'Pending' || registrationStatus === 'Rejected';
  return { registrationStatus: known ? registrationStatus : null, allowances: new Map() };
}
