// Everything the CSMS publishes after a write commits. Events are small: ids and changed fields.
export type BusEvent =
  | {
      type: 'station-connection';
      stationId: string;
      kind: 'Connected' | 'Disconnected' | 'Booted';
      registrationStatus: string | null;
      at: Date;
    }
  | {
      type: 'connector-status';
      stationId: string;
      evseId: number;
      connectorId: number;
      status: string;
      timestamp: Date;
    }
  | { type: 'station-event'; stationId: string; id: number }
  | { type: 'report-status'; stationId: string; requestId: number; status: string }
  /** N09/N10: a customer information report changed status (a part arrived, or it completed). */
  | { type: 'customer-information-status'; stationId: string; requestId: number; status: string }
  | { type: 'api-key-revoked'; keyId: string }
  /** F01/F02: the station answered a RequestStartTransaction (or did not: Timeout, StationOffline, …). */
  | { type: 'remote-start'; stationId: string; remoteStartId: number; status: string; transactionId: string | null }
  /** G03/G04: stored availability of the station (evseId null), an EVSE or a connector changed. */
  | {
      type: 'availability-changed';
      stationId: string;
      evseId: number | null;
      connectorId: number | null;
      availability: string | null;
      scheduled: string | null;
    }
  /** E01–E15: a TransactionEvent was stored (or, eventType 'Reconciled', a ghost session closed). */
  | { type: 'transaction-updated'; stationId: string; transactionId: string; eventType: string; seqNo: number | null }
  /** J01/J02: sampled values were stored (evseId 0 = main meter). */
  | { type: 'meter-values'; stationId: string; evseId: number; transactionId: string | null; sampledValueIds: number[] }
  /** A04: a security event was stored (reported by the station or recorded by the CSMS). */
  | { type: 'security-event'; stationId: string; id: number; critical: boolean }
  /** L01/L03/N01: a FirmwareStatusNotification, PublishFirmwareStatusNotification or LogStatusNotification was stored. */
  | { type: 'request-status'; kind: 'firmware' | 'publish' | 'log'; stationId: string; requestId: number | null; status: string; eventId: number };

export type BusEventType = BusEvent['type'];
export type EventOf<T extends BusEventType> = Extract<BusEvent, { type: T }>;
