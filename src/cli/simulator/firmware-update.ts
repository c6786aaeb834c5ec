// UpdateFirmware (L01/L02): download the image over HTTP(S) from the given location, verify the
// signature with the signing certificate when one is given, "install" it, and report every step with
// FirmwareStatusNotification. A new request cancels the running one (AcceptedCanceled, L01.FR.24).
import { X509Certificate, verify } from 'node:crypto';
import { field, readInteger, readString } from './request-fields';
import type { StationContext } from './station-context';
import { JobSlot, msUntil, pause, report, runJob, type Job } from './job-steps';

const STATUS = 'FirmwareStatusNotification';

function certificate(pem: string | undefined): X509Certificate | undefined {
  if (pem === undefined) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** GET the image; retries (L01: retries/retryInterval) before giving up. */
async function download(ctx: StationContext, job: Job, location: string, retries: number, retryIntervalS: number): Promise<Buffer | undefined> {
  for (let attempt = 0; ; attempt++) {
    await report(ctx, job, STATUS, { status: 'Downloading' });
    try {
      const response = await fetch(location, { signal: job.abort.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (job.abort.signal.aborted) throw error;
      if (attempt >= retries) return undefined;
      await pause(job, retryIntervalS * 1000);
    }
  }
}

async function update(ctx: StationContext, job: Job, payload: unknown): Promise<void> {
  const firmware = field(payload, 'firmware');
  const location = readString(field(firmware, 'location'))!;
  const signature = readString(field(firmware, 'signature'));
  const cert = certificate(readString(field(firmware, 'signingCertificate')));
  const waitRetrieve = msUntil(field(firmware, 'retrieveDateTime'));
  if (waitRetrieve > 0) {
    await report(ctx, job, STATUS, { status: 'DownloadScheduled' });
    await pause(job, waitRetrieve);
  }
  const retries = readInteger(field(payload, 'retries')) ?? 0;
  const image = await download(ctx, job, location, retries, readInteger(field(payload, 'retryInterval')) ?? 1);
  if (!image) return report(ctx, job, STATUS, { status: 'DownloadFailed' });
  await report(ctx, job, STATUS, { status: 'Downloaded' });
  if (signature !== undefined) {
    const valid = cert !== undefined && verify('sha256', image, cert.publicKey, Buffer.from(signature, 'base64'));
    if (!valid) return report(ctx, job, STATUS, { status: 'InvalidSignature' });
    await report(ctx, job, STATUS, { status: 'SignatureVerified' });
  }
  const waitInstall = msUntil(field(firmware, 'installDateTime'));
  if (waitInstall > 0) {
    await report(ctx, job, STATUS, { status: 'InstallScheduled' });
    await pause(job, waitInstall);
  }
  await report(ctx, job, STATUS, { status: 'Installing' });
  await report(ctx, job, STATUS, { status: 'Installed' });
}

export function firmwareUpdateHandlers(ctx: StationContext) {
  const slot = new JobSlot();
  return {
    UpdateFirmware: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId'));
      const firmware = field(payload, 'firmware');
      const location = readString(field(firmware, 'location'));
      if (requestId === undefined || !location) return { status: 'Rejected' };
      const pem = readString(field(firmware, 'signingCertificate'));
      if (pem !== undefined && !certificate(pem)) return { status: 'InvalidCertificate' };
      const { job, replaced } = slot.start(requestId);
      runJob(ctx, slot, job, () => update(ctx, job, payload));
      return { status: replaced ? 'AcceptedCanceled' : 'Accepted' };
    },
  };
}
