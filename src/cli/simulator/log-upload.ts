// GetLog (N01): generate a small log file and upload it to remoteLocation with an HTTP POST
// (multipart/form-data, field "file"), reporting Uploading then Uploaded or a failure status with
// LogStatusNotification. A new request cancels the running upload: AcceptedCanceled, and the old
// request's LogStatusNotification AcceptedCanceled (TC_N_36).
import { field, readInteger, readString } from './request-fields';
import type { StationContext } from './station-context';
import { JobSlot, pause, report, runJob, type Job } from './job-steps';

const STATUS = 'LogStatusNotification';

function logText(logType: string, requestId: number): string {
  const now = new Date().toISOString();
  const lines = [`${now} ${logType} requested (requestId ${requestId})`];
  for (let i = 1; i <= 20; i++) lines.push(`${now} simulated ${logType} entry ${i}`);
  return `${lines.join('\n')}\n`;
}

/** The status for a failed attempt: 401/403 → PermissionDenied, other schemes → NotSupportedOperation. */
async function uploadOnce(location: string, filename: string, text: string, signal: AbortSignal): Promise<string> {
  if (!/^https?:\/\//i.test(location)) return 'NotSupportedOperation';
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), filename);
  const response = await fetch(location, { method: 'POST', body: form, signal });
  await response.arrayBuffer();
  if (response.status === 401 || response.status === 403) return 'PermissionDenied';
  return response.ok ? 'Uploaded' : 'UploadFailure';
}

async function upload(ctx: StationContext, job: Job, payload: unknown, filename: string): Promise<void> {
  const location = readString(field(field(payload, 'log'), 'remoteLocation')) ?? '';
  const text = logText(readString(field(payload, 'logType')) ?? 'DiagnosticsLog', job.requestId);
  const retries = readInteger(field(payload, 'retries')) ?? 0;
  const retryIntervalS = readInteger(field(payload, 'retryInterval')) ?? 1;
  for (let attempt = 0; ; attempt++) {
    await report(ctx, job, STATUS, { status: 'Uploading' });
    let status: string;
    try {
      status = await uploadOnce(location, filename, text, job.abort.signal);
    } catch (error) {
      if (job.abort.signal.aborted) throw error;
      status = 'UploadFailure';
    }
    if (status !== 'UploadFailure' || attempt >= retries) return report(ctx, job, STATUS, { status });
    await pause(job, retryIntervalS * 1000);
  }
}

export function logUploadHandlers(ctx: StationContext) {
  const slot = new JobSlot();
  return {
    GetLog: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId'));
      const logType = readString(field(payload, 'logType'));
      if (requestId === undefined || !logType) return { status: 'Rejected' };
      const filename = `${logType}-${requestId}.log`;
      const { job, replaced } = slot.start(requestId);
      runJob(ctx, slot, job, async () => {
        if (replaced) await ctx.call(STATUS, { status: 'AcceptedCanceled', requestId: replaced.requestId });
        await upload(ctx, job, payload, filename);
      });
      return { status: replaced ? 'AcceptedCanceled' : 'Accepted', filename };
    },
  };
}
