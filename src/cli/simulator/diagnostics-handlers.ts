// Diagnostics answers of the simulated station (block N): customer information and monitoring.
import { customerInformationHandler } from './customer-information';
import { watchMonitors } from './monitor-events';
import { MonitorList } from './monitor-list';
import { monitoringHandlers } from './monitoring-handlers';
import type { StationContext } from './station-context';

export function diagnosticsHandlers(ctx: StationContext) {
  const monitors = new MonitorList(ctx.model);
  watchMonitors(ctx, monitors);
  return {
    CustomerInformation: customerInformationHandler(ctx),
    ...monitoringHandlers(ctx, monitors),
  };
}
