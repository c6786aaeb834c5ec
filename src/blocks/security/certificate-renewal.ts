// A02: the CSMS starts a certificate renewal with TriggerMessage(SignChargingStationCertificate |
// SignV2GCertificate) — on an operator's request (TC_A_11_CSMS) or on its own for certificates it
// issued that expire within CERT_RENEW_BEFORE_DAYS.
import type { CertificateSigningUseEnumType, TriggerMessageResponse } from '../../ocpp/generated/types';
import { certificatesDueForRenewal, markRenewalRequested } from '../../db/queries/certificates';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import { commandCtx, type Ctx } from '../context';
import { sendTriggerMessage } from '../remote-control/TriggerMessage';
import type { Services } from '../services';

const DAY_MS = 86_400_000;
/** An automatic renewal the station did not complete is asked for again after this long. */
const RENEWAL_RETRY_MS = DAY_MS;
const BATCH = 100;

export function renewStationCertificate(ctx: Ctx, certificateType: CertificateSigningUseEnumType = 'ChargingStationCertificate'): Promise<TriggerMessageResponse> {
  return sendTriggerMessage(ctx, {
    requestedMessage: certificateType === 'V2GCertificate' ? 'SignV2GCertificate' : 'SignChargingStationCertificate',
  });
}

/** One pass of the automatic renewal; returns the serial numbers whose station was asked. */
export async function runCertificateRenewalCheck(services: Services): Promise<string[]> {
  const leadDays = services.config.certRenewBeforeDays;
  if (leadDays === 0) return [];
  const now = services.now();
  const due = await certificatesDueForRenewal(services.db, new Date(now.getTime() + leadDays * DAY_MS), new Date(now.getTime() - RENEWAL_RETRY_MS), BATCH);
  const asked: string[] = [];
  for (const certificate of due) {
    const stationId = certificate.stationId!;
    if (!services.registry.get(stationId)?.isOpen) continue; // tried again at the next check
    try {
      const response = await renewStationCertificate(commandCtx(services, stationId), certificate.certificateType as CertificateSigningUseEnumType);
      services.log.info({ stationId, serialNumber: certificate.serialNumber, notAfter: certificate.notAfter, status: response.status }, 'certificate renewal requested');
      asked.push(certificate.serialNumber);
    } catch (err) {
      if (!(err instanceof CallFailure)) throw err;
      services.log.warn({ stationId, serialNumber: certificate.serialNumber, code: err.code }, 'certificate renewal trigger failed');
      if (err.code !== 'StationOffline') asked.push(certificate.serialNumber);
    }
  }
  await markRenewalRequested(services.db, asked, now);
  return asked;
}

/** The periodic check (CERT_RENEW_CHECK_INTERVAL); stop() on shutdown. */
export function startCertificateRenewal(services: Services): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runCertificateRenewalCheck(services)
      .catch((err) => services.log.warn({ err }, 'certificate renewal check failed'))
      .finally(() => (running = false));
  }, services.config.certRenewCheckIntervalS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
