// E14 GetTransactionStatus: whether a transaction is still running in the station, and whether
// TransactionEvents are still waiting in its offline outbox (of that transaction, or of any).
import { field, readString } from './request-fields';
import type { StationContext } from './station-context';

export function getTransactionStatusHandler(ctx: StationContext) {
  return (payload: unknown) => {
    const transactionId = readString(field(payload, 'transactionId'));
    const messagesInQueue = ctx.sessions.outbox.holds(transactionId); // E14.FR.04/05, without an id E14.FR.07/08
    // E14.FR.06: no ongoingIndicator without a transactionId. E14.FR.01–03: true only while it runs
    // (an ended or unknown transaction is false).
    if (transactionId === undefined) return { messagesInQueue };
    return { ongoingIndicator: ctx.sessions.byTransaction(transactionId) !== undefined, messagesInQueue };
  };
}
