// Ghost sessions and lost events: no transaction stays open forever. The CSMS asks the station
// (E14 GetTransactionStatus) and closes what has really ended, with a reason:
// - a seqNo gap not filled within TRANSACTION_GAP_CHECK_MS (TC_E_31);
// - a BootNotification (the station restarted: its transactions ended unless it says otherwise);
// - an EVSE reported Available while a transaction on it is still active;
// - a Started on an EVSE that still has another active transaction (one per EVSE, E01).
// A station that is offline or does not answer keeps its transactions open; the next boot retries.
import { activeTransactions, findTransaction, missingSeqNosOf } from '../../db/queries/transactions';
import { CallFailure } from '../../ocpp/rpc/call-failure';
import type { Ctx } from '../context';
import { closeEndedTransaction, sendGetTransactionStatus } from './GetTransactionStatus';

const MAX_GAP_CHECKS = 3;
/** Pending timers per running app (keyed by its registry) and station+transaction. */
const pending = new WeakMap<object, Map<string, NodeJS.Timeout>>();

function later(ctx: Ctx, key: string, ms: number, task: () => Promise<void>): void {
  let timers = pending.get(ctx.registry);
  if (!timers) pending.set(ctx.registry, (timers = new Map()));
  if (timers.has(key)) return;
  const timer = setTimeout(() => {
    timers.delete(key);
    task().catch((err) => ctx.log.warn({ err, stationId: ctx.stationId }, 'transaction reconciliation failed'));
  }, ms);
  timer.unref();
  timers.set(key, timer);
}

/** Boot reason → the stoppedReason recorded for a transaction the reboot ended. */
function bootStopReason(bootReason: string | undefined): string {
  if (bootReason === 'PowerUp') return 'PowerLoss';
  if (bootReason === undefined || bootReason === 'Unknown' || bootReason === 'Triggered') return 'Other';
  return 'Reboot';
}

/**
 * Asks about each transaction in turn and closes those the station says have ended. With
 * `closeUnanswerable`, a station that cannot answer (CALLERROR) gets the transaction closed too.
 */
export async function reconcileTransactions(
  ctx: Ctx, transactionIds: string[], stoppedReason: string, closeUnanswerable = false,
): Promise<void> {
  for (const transactionId of transactionIds) {
    try {
      const answer = await sendGetTransactionStatus(ctx, { transactionId }, { stoppedReason });
      if (answer.ongoingIndicator !== false) ctx.log.info({ stationId: ctx.stationId, transactionId, answer }, 'transaction still ongoing');
    } catch (err) {
      if (!(err instanceof CallFailure)) throw err;
      if (closeUnanswerable && err.code === 'CallError') await closeEndedTransaction(ctx, transactionId, stoppedReason);
      else ctx.log.info({ stationId: ctx.stationId, transactionId, code: err.code }, 'transaction status unknown; retried at next boot');
    }
  }
}

/** B01 hook (via ctx.defer): after an accepted boot, reconcile every transaction still active. */
export async function reconcileAfterBoot(ctx: Ctx, bootReason?: string): Promise<void> {
  const active = await activeTransactions(ctx.db, ctx.stationId);
  await reconcileTransactions(ctx, active.map((t) => t.transactionId), bootStopReason(bootReason));
}

/**
 * G01 hook: an EVSE reported Available. A transaction the station is about to end normally sends
 * its Ended within moments, so the check waits TRANSACTION_GAP_CHECK_MS before asking.
 */
export async function reconcileAfterAvailable(ctx: Ctx, evseId: number, connectorId: number): Promise<void> {
  const active = (await activeTransactions(ctx.db, ctx.stationId, evseId)).filter((t) => t.connectorId === null || t.connectorId === connectorId);
  for (const t of active) {
    later(ctx, `available\u0000${ctx.stationId}\u0000${t.transactionId}`, ctx.config.transactionGapCheckMs, async () => {
      if ((await findTransaction(ctx.db, ctx.stationId, t.transactionId))?.active) await reconcileTransactions(ctx, [t.transactionId], 'Other');
    });
  }
}

/** E01: a new Started on an EVSE; the older active transactions there cannot still be running. */
export function reconcileReplacedTransactions(ctx: Ctx, transactionIds: string[]): Promise<void> {
  return reconcileTransactions(ctx, transactionIds, 'Other', true);
}

/**
 * TC_E_31 / E01.FR.07: seqNos are missing. If the gap is still there after TRANSACTION_GAP_CHECK_MS,
 * ask the station; while it reports queued messages, wait and ask again (at most MAX_GAP_CHECKS times).
 */
export function watchSeqNoGap(ctx: Ctx, transactionId: string, attempt = 1): void {
  later(ctx, `gap\u0000${ctx.stationId}\u0000${transactionId}`, ctx.config.transactionGapCheckMs, async () => {
    if ((await missingSeqNosOf(ctx.db, ctx.stationId, transactionId)).length === 0) return;
    try {
      const answer = await sendGetTransactionStatus(ctx, { transactionId });
      if (answer.messagesInQueue && attempt < MAX_GAP_CHECKS) watchSeqNoGap(ctx, transactionId, attempt + 1);
    } catch (err) {
      if (!(err instanceof CallFailure)) throw err;
      ctx.log.info({ stationId: ctx.stationId, transactionId, code: err.code }, 'seqNo gap: station did not answer GetTransactionStatus');
    }
  });
}
