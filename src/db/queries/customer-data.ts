// N10 (clearCsmsData): remove what the CSMS itself holds about one idToken, across all stations, in
// one transaction. Authorization data, remote-start records and earlier customer information reports
// are deleted; transactions and their events are kept for accounting but anonymised (idToken fields null).
import { and, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { customerInformationRequests, idTokens, remoteStarts, transactionEvents, transactions } from '../schema';

export interface CsmsDataCleared {
  idTokensDeleted: number;
  remoteStartsDeleted: number;
  transactionsAnonymised: number;
  transactionEventsAnonymised: number;
  /** Earlier customer information reports about the idToken (the request doing the clearing is kept). */
  customerInformationReportsDeleted: number;
}

const bumped = sql`${transactions.version} + 1`;

/** Same value (case-insensitive, as IdTokenType.idToken is) and same type. */
const matches = (value: AnyPgColumn, type: AnyPgColumn, idToken: string, idTokenType: string): SQL =>
  and(sql`lower(${value}) = lower(${idToken})`, eq(type, idTokenType))!;

export async function forgetIdToken(db: Db, idToken: string, type: string, keepReportRowId: number): Promise<CsmsDataCleared> {
  return db.transaction(async (tx) => {
    // First the transaction rows, in the order a TransactionEvent locks (row, then its events and
    // remote starts), raising the version a cached fold is trusted at (transaction-fold-cache.ts).
    const eventsWithToken = tx
      .select({ stationId: transactionEvents.stationId, transactionId: transactionEvents.transactionId })
      .from(transactionEvents)
      .where(matches(transactionEvents.idToken, transactionEvents.idTokenType, idToken, type));
    await tx
      .update(transactions)
      .set({ version: bumped })
      .where(or(
        matches(transactions.idToken, transactions.idTokenType, idToken, type),
        matches(transactions.stopIdToken, transactions.stopIdTokenType, idToken, type),
        sql`(${transactions.stationId}, ${transactions.transactionId}) in (${eventsWithToken})`,
      ));
    const deletedTokens = await tx.delete(idTokens).where(matches(idTokens.idToken, idTokens.type, idToken, type)).returning({ id: idTokens.id });
    const deletedStarts = await tx
      .delete(remoteStarts)
      .where(matches(remoteStarts.idToken, remoteStarts.idTokenType, idToken, type))
      .returning({ id: remoteStarts.remoteStartId });
    const started = await tx
      .update(transactions)
      .set({ idToken: null, idTokenType: null })
      .where(matches(transactions.idToken, transactions.idTokenType, idToken, type))
      .returning({ id: transactions.transactionId, stationId: transactions.stationId });
    const stopped = await tx
      .update(transactions)
      .set({ stopIdToken: null, stopIdTokenType: null })
      .where(matches(transactions.stopIdToken, transactions.stopIdTokenType, idToken, type))
      .returning({ id: transactions.transactionId, stationId: transactions.stationId });
    const events = await tx
      .update(transactionEvents)
      .set({ idToken: null, idTokenType: null })
      .where(matches(transactionEvents.idToken, transactionEvents.idTokenType, idToken, type))
      .returning({ id: transactionEvents.id });
    const reports = await tx
      .delete(customerInformationRequests)
      .where(
        and(
          matches(customerInformationRequests.idToken, customerInformationRequests.idTokenType, idToken, type),
          ne(customerInformationRequests.id, keepReportRowId),
        ),
      )
      .returning({ id: customerInformationRequests.id });
    const touched = new Set([...started, ...stopped].map((t) => `${t.stationId}\u0000${t.id}`));
    return {
      idTokensDeleted: deletedTokens.length,
      remoteStartsDeleted: deletedStarts.length,
      transactionsAnonymised: touched.size,
      transactionEventsAnonymised: events.length,
      customerInformationReportsDeleted: reports.length,
    };
  });
}
