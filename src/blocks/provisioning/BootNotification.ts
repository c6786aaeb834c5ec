// B01–B04: answer a boot per the station's boot policy and keep what it reports, with history.
import { findStation, recordBoot } from '../../db/queries/stations';
import { hasDeviceModel } from '../../db/queries/device-model';
import type { BootNotificationRequest, BootNotificationResponse } from '../../ocpp/generated/types';
import type { Ctx } from '../context';
import { enforceCertificateSerial } from '../security/boot-serial-check';
import type { RegistrationStatus } from '../session-state';
import { reconcileAfterBoot } from '../transactions/reconcile';
import { sendGetBaseReport } from './GetBaseReport';

export async function onBootNotification(ctx: Ctx, request: BootNotificationRequest): Promise<BootNotificationResponse> {
  await enforceCertificateSerial(ctx, request); // B01.FR.11/12 (profile 3)
  const station = await findStation(ctx.db, ctx.stationId);
  if (!station) throw new Error('station vanished during boot');
  const status = station.bootPolicy as RegistrationStatus;
  const now = ctx.now();
  const cs = request.chargingStation;
  const firstAccepted = status === 'Accepted' && station.registrationStatus !== 'Accepted';
  await recordBoot(
    ctx.db,
    ctx.stationId,
    {
      reason: request.reason, model: cs.model, vendorName: cs.vendorName, serialNumber: cs.serialNumber,
      firmwareVersion: cs.firmwareVersion, iccid: cs.modem?.iccid, imsi: cs.modem?.imsi,
    },
    status,
    now,
  );
  const session = ctx.session();
  if (session) {
    session.state.registrationStatus = status;
    session.state.allowances.clear();
  }
  ctx.bus.publish({ type: 'station-connection', stationId: ctx.stationId, kind: 'Booted', registrationStatus: status, at: now });
  // Ghost sessions: transactions still open from before this boot are checked with the station.
  if (status === 'Accepted') ctx.defer(() => reconcileAfterBoot(ctx, request.reason));
  if (firstAccepted && ctx.config.requestFullInventoryOnFirstBoot) {
    // Onboarding: a station with no stored device model reports its full inventory.
    ctx.defer(async () => {
      if (await hasDeviceModel(ctx.db, ctx.stationId)) return;
      await sendGetBaseReport(ctx, { reportBase: 'FullInventory' }, { waitForReport: false });
    });
  }
  return {
    currentTime: now.toISOString(),
    // B01.FR.03 heartbeat interval when Accepted; B02/B03 retry interval otherwise.
    interval: status === 'Accepted' ? ctx.config.heartbeatIntervalS : ctx.config.bootRetryIntervalS,
    status,
  };
}
