// B05: write variables; split per ItemsPerMessage/BytesPerMessage; an accepted write updates the
// stored device model (a WriteOnly value such as BasicAuthPassword is never stored).
import { saveDeviceModel } from '../../db/queries/device-model-store';
import type { SetVariablesRequest, SetVariablesResponse, SetVariableResultType } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { messageLimits, splitByLimits } from './message-limits';
import { componentKeyOf, variableKeyOf } from './report-entries';

const ENVELOPE_BYTES = 64;
const SECRET_VARIABLES = new Set(['SecurityCtrlr/BasicAuthPassword']);

export async function sendSetVariables(ctx: Ctx, input: SetVariablesRequest): Promise<SetVariablesResponse> {
  const chunks = splitByLimits(input.setVariableData, await messageLimits(ctx, 'SetVariables'), ENVELOPE_BYTES);
  const results: SetVariableResultType[] = [];
  for (const chunk of chunks) {
    const secret = chunk.some((d) => SECRET_VARIABLES.has(`${d.component.name}/${d.variable.name}`));
    // A frame carrying a secret goes out uncompressed (SPEC-NOTES §1.10).
    const response = await ctx.call('SetVariables', { ...input, setVariableData: chunk }, { compress: !secret });
    results.push(...response.setVariableResult);
  }
  const written = input.setVariableData.filter((d, i) => {
    const status = results[i]?.attributeStatus;
    return (status === 'Accepted' || status === 'RebootRequired') && !SECRET_VARIABLES.has(`${d.component.name}/${d.variable.name}`);
  });
  await saveDeviceModel(
    ctx.db,
    ctx.stationId,
    written.map((d) => ({
      component: componentKeyOf(d.component),
      variable: variableKeyOf(d.variable),
      attributes: [{ type: d.attributeType ?? 'Actual', value: d.attributeValue }],
    })),
    ctx.now(),
  );
  return { setVariableResult: results };
}
