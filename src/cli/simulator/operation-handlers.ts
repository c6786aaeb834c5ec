// Reset, ChangeAvailability and the small administrative requests.
import { statusNotification, type Connector } from './connector-state';
import { field, readEvse, readInteger } from './request-fields';
import type { StationContext } from './station-context';

function reset(ctx: StationContext) {
  return (payload: unknown) => {
    const evseId = readInteger(field(payload, 'evseId'));
    if (evseId !== undefined && evseId !== 0) {
      // Resetting one EVSE leaves the connection alone; its connectors report in again.
      const connectors = ctx.connectors.select({ id: evseId });
      if (!connectors) return { status: 'Rejected' };
      ctx.afterResponse(async () => {
        for (const c of connectors) await ctx.call('StatusNotification', statusNotification(c));
      });
      return { status: 'Accepted' };
    }
    ctx.afterResponse(() => ctx.reboot());
    return { status: 'Accepted' };
  };
}

/**
 * G03/G04: free connectors change (and report) at once; a connector with an EV plugged in keeps
 * Occupied and reports the new status once the EV left, so the answer is Scheduled (TC_G_14).
 */
function changeAvailability(ctx: StationContext) {
  return (payload: unknown) => {
    const status = field(payload, 'operationalStatus');
    if (status !== 'Operative' && status !== 'Inoperative') return { status: 'Rejected' };
    const affected = ctx.connectors.changeAvailability(status === 'Operative', readEvse(field(payload, 'evse')), ctx.model);
    if (!affected) return { status: 'Rejected' };
    const inTransaction = (c: Connector) => ctx.sessions.all().some((s) => s.evseId === c.evseId && s.tx);
    const free = affected.filter((c) => c.status !== 'Occupied');
    ctx.afterResponse(async () => {
      for (const c of free) await ctx.call('StatusNotification', statusNotification(c));
    });
    return { status: affected.some(inTransaction) ? 'Scheduled' : 'Accepted' };
  };
}

export function operationHandlers(ctx: StationContext) {
  return {
    Reset: reset(ctx),
    ChangeAvailability: changeAvailability(ctx),
    SetNetworkProfile: (payload: unknown) => {
      const slot = readInteger(field(payload, 'configurationSlot'));
      if (slot === undefined) return { status: 'Rejected' };
      ctx.networkProfiles.set(slot, field(payload, 'connectionData'));
      return { status: 'Accepted' };
    },
    ClearCache: () => ({ status: 'Accepted' }),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
  };
}
