// GetBaseReport and GetReport: answer, then stream NotifyReport parts.
import type { ReportItem } from './device-model-types';
import { field, readInteger } from './request-fields';
import { baseReportSelection, reportSelection } from './report-selection';
import type { StationContext } from './station-context';

async function sendReport(ctx: StationContext, requestId: number, items: ReportItem[]): Promise<void> {
  const generatedAt = new Date().toISOString();
  const size = Math.max(1, ctx.reportPartSize);
  const parts = Math.ceil(items.length / size);
  for (let seqNo = 0; seqNo < parts; seqNo++) {
    await ctx.call('NotifyReport', {
      requestId,
      generatedAt,
      seqNo,
      tbc: seqNo < parts - 1,
      reportData: items.slice(seqNo * size, (seqNo + 1) * size),
    });
  }
}

function answerWithReport(ctx: StationContext, requestId: number, items: ReportItem[]) {
  if (items.length === 0) return { status: 'EmptyResultSet' };
  ctx.afterResponse(() => sendReport(ctx, requestId, items));
  return { status: 'Accepted' };
}

export function reportHandlers(ctx: StationContext) {
  return {
    GetBaseReport: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId')) ?? 0;
      const include = baseReportSelection(field(payload, 'reportBase'));
      if (!include) return { status: 'NotSupported' };
      return answerWithReport(ctx, requestId, ctx.model.reportItems(include));
    },
    GetReport: (payload: unknown) => {
      const requestId = readInteger(field(payload, 'requestId')) ?? 0;
      return answerWithReport(ctx, requestId, ctx.model.reportItems(reportSelection(ctx.model, payload)));
    },
  };
}
