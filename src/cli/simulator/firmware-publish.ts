// PublishFirmware/UnpublishFirmware (L03/L04) as a Local Controller: download the image, check its MD5
// checksum, and "publish" it, reporting each step with PublishFirmwareStatusNotification.
import { createHash } from 'node:crypto';
import { field, readInteger, readString } from './request-fields';
import type { StationContext } from './station-context';
import { JobSlot, runJob, report, type Job } from './job-steps';

const STATUS = 'PublishFirmwareStatusNotification';

async function publish(ctx: StationContext, job: Job, location: string, checksum: string, published: Set<string>): Promise<void> {
  await report(ctx, job, STATUS, { status: 'Downloading' });
  let image: Buffer;
  try {
    const response = await fetch(location, { signal: job.abort.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    image = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (job.abort.signal.aborted) throw error;
    return report(ctx, job, STATUS, { status: 'DownloadFailed' });
  }
  await report(ctx, job, STATUS, { status: 'Downloaded' });
  if (createHash('md5').update(image).digest('hex') !== checksum.toLowerCase()) {
    return report(ctx, job, STATUS, { status: 'InvalidChecksum' });
  }
  await report(ctx, job, STATUS, { status: 'ChecksumVerified' });
  published.add(checksum.toLowerCase());
  await report(ctx, job, STATUS, { status: 'Published', location: [`http://local-controller.invalid/firmware/${checksum.toLowerCase()}`] });
}

export function firmwarePublishHandlers(ctx: StationContext) {
  const slot = new JobSlot();
  const published = new Set<string>();
  return {
    PublishFirmware: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId'));
      const location = readString(field(payload, 'location'));
      const checksum = readString(field(payload, 'checksum'));
      if (requestId === undefined || !location || !checksum) return { status: 'Rejected' };
      const { job } = slot.start(requestId);
      runJob(ctx, slot, job, () => publish(ctx, job, location, checksum, published));
      return { status: 'Accepted' };
    },
    UnpublishFirmware: (payload: unknown) => {
      const checksum = (readString(field(payload, 'checksum')) ?? '').toLowerCase();
      if (slot.running) return { status: 'DownloadOngoing' };
      return { status: published.delete(checksum) ? 'Unpublished' : 'NoFirmware' };
    },
  };
}
