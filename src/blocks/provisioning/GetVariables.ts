// B06: read variables; split per ItemsPerMessage/BytesPerMessage, merged back in request order.
import { saveDeviceModel } from '../../db/queries/device-model-store';
import type { GetVariablesRequest, GetVariablesResponse, GetVariableResultType } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { messageLimits, splitByLimits } from './message-limits';
import { componentKeyOf, variableKeyOf } from './report-entries';

const ENVELOPE_BYTES = 64;

export async function sendGetVariables(ctx: Ctx, input: GetVariablesRequest): Promise<GetVariablesResponse> {
  const chunks = splitByLimits(input.getVariableData, await messageLimits(ctx, 'GetVariables'), ENVELOPE_BYTES);
  const results: GetVariableResultType[] = [];
  for (const chunk of chunks) {
    const response = await ctx.call('GetVariables', { ...input, getVariableData: chunk });
    results.push(...response.getVariableResult);
  }
  const accepted = results.filter((r) => r.attributeStatus === 'Accepted' && r.attributeValue !== undefined);
  await saveDeviceModel(
    ctx.db,
    ctx.stationId,
    accepted.map((r) => ({
      component: componentKeyOf(r.component),
      variable: variableKeyOf(r.variable),
      attributes: [{ type: r.attributeType ?? 'Actual', value: r.attributeValue }],
    })),
    ctx.now(),
  );
  return { getVariableResult: results };
}
