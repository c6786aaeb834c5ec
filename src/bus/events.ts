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
  | { type: 'report-status'; stationId: string; requestId: number; status: string };

export type BusEventType = BusEvent['type'];
export type EventOf<T extends BusEventType> = Extract<BusEvent, { type: T }>;
