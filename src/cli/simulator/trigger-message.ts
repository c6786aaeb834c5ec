// TriggerMessage (OCPP 2.0.1 Part 2 F06).
import { statusNotification, type Connector } from './connector-state';
import { field, readEvse, readString } from './request-fields';
import type { StationContext } from './station-context';

function meterValues(ctx: StationContext, evseId: number) {
  return {
    evseId,
    meterValue: [
      {
        timestamp: new Date().toISOString(),
        sampledValue: [
          {
            value: ctx.connectors.energy(evseId),
            measurand: 'Energy.Active.Import.Register',
            unitOfMeasure: { unit: 'Wh' },
          },
        ],
      },
    ],
  };
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
    MeterValues: () => ctx.call('MeterValues', meterValues(ctx, evseId)),
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
    ctx.afterResponse(send);
    return { status: 'Accepted' };
  };
}
