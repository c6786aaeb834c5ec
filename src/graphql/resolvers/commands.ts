// One resolver per CSMS-initiated action: arguments → send<Action> → payload (or payload.error).
import { commandCtx, type Ctx } from '../../blocks/context';
import { sendChangeAvailability } from '../../blocks/availability/ChangeAvailability';
import { sendClearCache } from '../../blocks/authorization/ClearCache';
import { sendDataTransfer } from '../../blocks/data-transfer/DataTransfer';
import { sendGetBaseReport } from '../../blocks/provisioning/GetBaseReport';
import { sendGetReport } from '../../blocks/provisioning/GetReport';
import { sendGetVariables } from '../../blocks/provisioning/GetVariables';
import { sendReset } from '../../blocks/provisioning/Reset';
import { sendSetNetworkProfile } from '../../blocks/provisioning/SetNetworkProfile';
import { sendSetVariables } from '../../blocks/provisioning/SetVariables';
import { sendTriggerMessage } from '../../blocks/remote-control/TriggerMessage';
import { findStation } from '../../db/queries/stations';
import { isPayload } from '../../ocpp/rpc/frame';
import type { GraphqlContext } from '../context';
import { apiError, runCommand } from '../errors';
import type { Resolvers } from '../generated/resolvers';

/** OCPP omits absent optional fields (Part 4 §4.1.5): GraphQL nulls are dropped. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out as T;
  }
  return value;
}

async function stationCtx(context: GraphqlContext, stationId: string): Promise<Ctx> {
  const station = await findStation(context.services.db, stationId);
  if (!station) throw apiError('NOT_FOUND', `station ${stationId} not found`);
  return commandCtx(context.services, station.id, station);
}

/** A command resolver: station lookup (NOT_FOUND), OCPP input without nulls, failures as payload.error. */
export function command<I, R extends object>(send: (ctx: Ctx, input: I) => Promise<R>) {
  return async (_: unknown, args: { stationId: string; input?: unknown }, context: GraphqlContext) => {
    const ctx = await stationCtx(context, args.stationId);
    return runCommand(() => send(ctx, withoutNulls((args.input ?? {}) as I))) as never;
  };
}

type SetVariablesInput = Parameters<typeof sendSetVariables>[1];

/** A01: the CSMS must know every station password; only rotateStationPassword may set one. */
function refusePasswordWrite(ctx: Ctx, input: SetVariablesInput) {
  const writesPassword = input.setVariableData.some(
    (d) => d.component.name === 'SecurityCtrlr' && d.variable.name === 'BasicAuthPassword',
  );
  if (writesPassword) throw apiError('BAD_USER_INPUT', 'SecurityCtrlr.BasicAuthPassword is set with rotateStationPassword');
  return sendSetVariables(ctx, input);
}

const withReport = <R extends object>(outcome: { response: R; report: unknown }) => ({ ...outcome.response, report: outcome.report });

export const commandResolvers: Resolvers = {
  Mutation: {
    getVariables: command(sendGetVariables),
    setVariables: command(refusePasswordWrite),
    getBaseReport: command(async (ctx, input: Parameters<typeof sendGetBaseReport>[1]) => withReport(await sendGetBaseReport(ctx, input))),
    getReport: command(async (ctx, input: Parameters<typeof sendGetReport>[1]) => withReport(await sendGetReport(ctx, input))),
    reset: command(sendReset),
    triggerMessage: command(sendTriggerMessage),
    changeAvailability: command(sendChangeAvailability),
    setNetworkProfile: command(sendSetNetworkProfile),
    clearCache: command(sendClearCache),
    dataTransfer: command(sendDataTransfer),
    async sendOcppCall(_, { stationId, action, payload }, context) {
      if (!isPayload(payload)) throw apiError('BAD_USER_INPUT', 'payload must be a JSON object');
      const ctx = await stationCtx(context, stationId);
      return runCommand(async () => ({ response: await ctx.call(action as never, payload as never) })) as never;
    },
  },
};
