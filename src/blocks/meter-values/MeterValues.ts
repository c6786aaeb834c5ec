// J01: meter values outside a transaction (evseId 0 = the station's main meter). Every sampled
// value is stored with all its fields, then announced; a bad value is refused before any write.
import { recordSampledValues, sampledValueRows } from '../../db/queries/meter-values';
import type { MeterValuesRequest, MeterValuesResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { checkMeterValues, checkNonNegative, checkStrings } from './sampled-values';

export async function onMeterValues(ctx: Ctx, request: MeterValuesRequest): Promise<MeterValuesResponse> {
  checkNonNegative(request.evseId, '/evseId');
  checkMeterValues(request.meterValue, '/meterValue');
  checkStrings(request, '');
  const rows = sampledValueRows(request.meterValue, { stationId: ctx.stationId, evseId: request.evseId, transactionId: null, transactionEventId: null });
  const sampledValueIds = await recordSampledValues(ctx.db, rows);
  ctx.bus.publish({ type: 'meter-values', stationId: ctx.stationId, evseId: request.evseId, transactionId: null, sampledValueIds });
  return {};
}
