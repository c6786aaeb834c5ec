// Periodic meter values while charging (J02, SampledDataCtrlr.TxUpdatedInterval): the
// Energy.Active.Import.Register grows with the charging power over the time elapsed.
import { meterValue, updatedIntervalMs, type Transaction } from './session-events';
import type { EvseSession, SessionHost, SessionSettings } from './session-host';

type Sample = ReturnType<typeof meterValue>;

export class SessionMeter {
  constructor(
    private readonly host: SessionHost,
    private readonly settings: SessionSettings,
    /** Sends the periodic TransactionEvent (Updated, MeterValuePeriodic) with this sample. */
    private readonly report: (s: EvseSession, tx: Transaction, sample: Sample) => Promise<void>,
  ) {}

  start(s: EvseSession): void {
    const interval = this.settings.meterIntervalMs ?? updatedIntervalMs(this.host.model);
    if (!(interval > 0) || s.meterTimer) return;
    s.meterTimer = setInterval(() => void this.sample(s).catch((e: Error) => this.host.log(e.message)), interval);
  }

  stop(s: EvseSession): void {
    clearInterval(s.meterTimer);
    s.meterTimer = undefined;
  }

  /** The energy register after charging since the last reading (unchanged when not charging). */
  accrue(s: EvseSession, tx: Transaction): number {
    const now = Date.now();
    const wh = tx.chargingState === 'Charging' ? (this.settings.chargingPowerW * (now - (s.lastMeterAt ?? now))) / 3_600_000 : 0;
    s.lastMeterAt = now;
    return this.host.connectors.addEnergy(s.evseId, wh);
  }

  private async sample(s: EvseSession): Promise<void> {
    const tx = s.tx;
    if (!tx || tx.chargingState !== 'Charging') return;
    const value = meterValue(this.accrue(s, tx), 'Sample.Periodic', this.settings.chargingPowerW);
    await this.report(s, tx, value);
    if (this.settings.meterValuesMessages && this.host.online()) {
      await this.host.call('MeterValues', { evseId: s.evseId, meterValue: [value] }).catch((e: Error) => this.host.log(e.message));
    }
  }
}
