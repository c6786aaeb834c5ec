// Operational state of the station, its EVSEs and connectors (OCPP 2.0.1 Part 2 G03/G04).
import type { ComponentRef, EvseRef } from './device-model-types';
import type { DeviceModel } from './device-model';

export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface Connector {
  evseId: number;
  connectorId: number;
  operative: boolean;
  status: ConnectorStatus;
}

export class ConnectorState {
  readonly connectors: Connector[] = [];
  private stationOperative = true;
  private readonly evseOperative = new Map<number, boolean>();
  /** Energy register per EVSE, in Wh. */
  private readonly energyWh = new Map<number, number>();

  constructor(evses: number, connectorsPerEvse: number) {
    for (let e = 1; e <= evses; e++) {
      this.evseOperative.set(e, true);
      this.energyWh.set(e, 1000 * e);
      for (let c = 1; c <= connectorsPerEvse; c++) {
        this.connectors.push({ evseId: e, connectorId: c, operative: true, status: 'Available' });
      }
    }
  }

  /** Connectors addressed by an optional evse reference; undefined when it names none that exist. */
  select(evse?: EvseRef): Connector[] | undefined {
    if (!evse || evse.id === 0) return this.connectors;
    const found = this.connectors.filter(
      (c) => c.evseId === evse.id && (evse.connectorId === undefined || c.connectorId === evse.connectorId),
    );
    return found.length > 0 ? found : undefined;
  }

  /** Applies ChangeAvailability and mirrors the result into the device model. Returns the affected connectors. */
  changeAvailability(operative: boolean, evse: EvseRef | undefined, model: DeviceModel): Connector[] | undefined {
    const affected = this.select(evse);
    if (!affected) return undefined;
    if (!evse || evse.id === 0) this.stationOperative = operative;
    else if (evse.connectorId === undefined) this.evseOperative.set(evse.id, operative);
    else for (const c of affected) c.operative = operative;
    this.refresh(model);
    return affected;
  }

  energy(evseId?: number): number {
    if (evseId !== undefined && evseId !== 0) return this.energyWh.get(evseId) ?? 0;
    let total = 0;
    for (const wh of this.energyWh.values()) total += wh;
    return total;
  }

  /** The EV drew `wh` more from this EVSE's meter. */
  addEnergy(evseId: number, wh: number): number {
    const total = Math.round(((this.energyWh.get(evseId) ?? 0) + wh) * 10) / 10;
    this.energyWh.set(evseId, total);
    return total;
  }

  hasEvse(evseId: number): boolean {
    return this.evseOperative.has(evseId);
  }

  find(evseId: number, connectorId: number): Connector | undefined {
    return this.connectors.find((c) => c.evseId === evseId && c.connectorId === connectorId);
  }

  /** Operative when the station, its EVSE and the connector itself are (G03/G04). */
  isOperative(c: Connector): boolean {
    return this.stationOperative && (this.evseOperative.get(c.evseId) ?? true) && c.operative;
  }

  /** The status a connector takes when no EV is plugged in. */
  freeStatus(c: Connector): ConnectorStatus {
    return this.isOperative(c) ? 'Available' : 'Unavailable';
  }

  private refresh(model: DeviceModel): void {
    mirror(model, { name: 'ChargingStation' }, this.stationOperative);
    for (const [id, operative] of this.evseOperative) {
      mirror(model, { name: 'EVSE', evse: { id } }, this.stationOperative && operative);
    }
    for (const c of this.connectors) {
      const operative = this.isOperative(c);
      if (c.status === 'Available' || c.status === 'Unavailable') c.status = operative ? 'Available' : 'Unavailable';
      mirror(model, { name: 'Connector', evse: { id: c.evseId, connectorId: c.connectorId } }, operative, c.status);
    }
  }
}

function mirror(model: DeviceModel, component: ComponentRef, operative: boolean, state?: ConnectorStatus): void {
  model.setInternal(component, 'AvailabilityState', state ?? (operative ? 'Available' : 'Unavailable'));
  model.setInternal(component, 'Available', String(operative));
}

export function statusNotification(c: Connector) {
  return {
    timestamp: new Date().toISOString(),
    connectorStatus: c.status,
    evseId: c.evseId,
    connectorId: c.connectorId,
  };
}
