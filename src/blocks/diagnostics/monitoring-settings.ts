// N03/N05: the monitoring base and level a station accepted, kept in its stored device model as
// MonitoringCtrlr.ActiveMonitoringBase / ActiveMonitoringLevel (the variables that report them).
import { actualValue } from '../../db/queries/device-model';
import { saveDeviceModel } from '../../db/queries/device-model-store';
import type { Db } from '../../db/client';

export type MonitoringSetting = 'ActiveMonitoringBase' | 'ActiveMonitoringLevel';

export async function saveMonitoringSetting(db: Db, stationId: string, name: MonitoringSetting, value: string, at: Date): Promise<void> {
  await saveDeviceModel(db, stationId, [{ component: { name: 'MonitoringCtrlr' }, variable: { name }, attributes: [{ type: 'Actual', value }] }], at);
}

export function monitoringSetting(db: Db, stationId: string, name: MonitoringSetting): Promise<string | undefined> {
  return actualValue(db, stationId, 'MonitoringCtrlr', name, null);
}
