// TriggerMessage (OCPP 2.0.1 Part 2 F06), including MeterValues and TransactionEvent (TC_F_12..14).
import { statusNotification, type Connector } from './connector-state';
import { field, readEvse, readString } from './request-fields';
import { meterValue } from './session-events';
import type { StationContext } from './station-context';

/** F06 (TC_F_12): MeterValues with context Trigger, one message per EVSE when none is named. */
async function sendMeterValues(ctx: StationContext, evseId: number): Promise<void> {
  const evses = evseId !== 0 ? [evseId] : [...new Set(ctx.connectors.connectors.map((c) => c.evseId))];
  for (const id of evses) {
    await ctx.call('MeterValues', { evseId: id, meterValue: [meterValue(ctx.connectors.energy(id), 'Trigger')] });
  }
}

async function sendStatuses(ctx: StationContext, connectors: Connector[]): Promise<void> {
  for (const c of connectors) await ctx.call('StatusNotification', statusNotification(c));
}

/** The message to send for each supported trigger; unlisted triggers are NotImplemented. */
function messageFor(ctx: StationContext, requested: string, connectors: Connector[], evseId: number) {
  const senders: Record<string, () => Promise<unknown>> = {
    BootNotification: () => ctx.boot('Triggered'),
    Heartbeat: () => ctx.call('Heartbeat', {}),
    StatusNotification: () => sendStatuses(ctx, connectors),
    MeterValues: () => sendMeterValues(ctx, evseId),
    TransactionEvent: () => ctx.sessions.trigger(evseId),
    LogStatusNotification: () => ctx.call('LogStatusNotification', { status: 'Idle' }),
    FirmwareStatusNotification: () => ctx.call('FirmwareStatusNotification', { status: 'Idle' }),
  };
  return Object.hasOwn(senders, requested) ? senders[requested] : undefined;
}

export function triggerMessageHandler(ctx: StationContext) {
  return (payload: unknown) => {
    const requested = readString(field(payload, 'requestedMessage')) ?? '';
    const evse = readEvse(field(payload, 'evse'));
    const connectors = ctx.connectors.select(evse);
    if (!connectors) return { status: 'Rejected' };
    const send = messageFor(ctx, requested, connectors, evse?.id ?? 0);
    if (!send) return { status: 'NotImplemented' };
    // A TransactionEvent can only be sent for a running transaction.
    const inScope = (id: number) => evse === undefined || evse.id === 0 || id === evse.id;
    if (requested === 'TransactionEvent' && !ctx.sessions.all().some((s) => s.tx && inScope(s.evseId))) return { status: 'Rejected' };
    ctx.afterResponse(send);
    return { status: 'Accepted' };
  };
}
