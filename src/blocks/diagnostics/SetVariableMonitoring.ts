// N04: set monitors; split by MonitoringCtrlr ItemsPerMessage/BytesPerMessage[SetVariableMonitoring]
// (N04.FR.09), results merged in request order. Accepted monitors are stored with the id the station returned.
import { saveMonitors, type MonitorEntry } from '../../db/queries/monitors';
import type {
  SetMonitoringDataType, SetMonitoringResultType, SetVariableMonitoringRequest, SetVariableMonitoringResponse,
} from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { splitByLimits } from '../provisioning/message-limits';
import { componentKeyOf, variableKeyOf } from '../provisioning/report-entries';
import { monitoringLimits } from './monitoring-limits';

const ENVELOPE_BYTES = 64;

const sameTarget = (a: SetMonitoringDataType, r: SetMonitoringResultType) =>
  a.component.name === r.component.name && a.component.instance === r.component.instance &&
  a.component.evse?.id === r.component.evse?.id && a.component.evse?.connectorId === r.component.evse?.connectorId &&
  a.variable.name === r.variable.name && a.variable.instance === r.variable.instance &&
  a.type === r.type && a.severity === r.severity;

/** N04.FR.01/02: one result per element, same component/variable; the value comes from the request. */
function requestOf(chunk: SetMonitoringDataType[], result: SetMonitoringResultType, index: number): SetMonitoringDataType | undefined {
  const atIndex = chunk[index];
  return atIndex && sameTarget(atIndex, result) ? atIndex : chunk.find((d) => sameTarget(d, result));
}

export async function sendSetVariableMonitoring(ctx: Ctx, input: SetVariableMonitoringRequest): Promise<SetVariableMonitoringResponse> {
  const chunks = splitByLimits(input.setMonitoringData, await monitoringLimits(ctx, 'SetVariableMonitoring'), ENVELOPE_BYTES);
  const results: SetMonitoringResultType[] = [];
  for (const chunk of chunks) {
    const response = await ctx.call('SetVariableMonitoring', { ...input, setMonitoringData: chunk });
    const accepted: MonitorEntry[] = [];
    response.setMonitoringResult.forEach((result, index) => {
      results.push(result);
      const request = requestOf(chunk, result, index);
      // N04.FR.11: the station returns the id it generated (or kept); without one the monitor cannot be tracked.
      if (result.status !== 'Accepted' || result.id === undefined || !request) return;
      accepted.push({
        component: componentKeyOf(result.component),
        variable: variableKeyOf(result.variable),
        monitors: [{ id: result.id, transaction: request.transaction, value: request.value, type: result.type, severity: result.severity }],
      });
    });
    // Stored per chunk, so monitors already set survive a later chunk's failure.
    await saveMonitors(ctx.db, ctx.stationId, accepted, 'SetVariableMonitoring', null, ctx.now());
  }
  return { setMonitoringResult: results };
}
