// Shared statements (statement-batcher.ts) carry a few items each. Their generic plans, the ones a
// connection keeps for a prepared statement, must look each item up by index: a plan that scans a
// whole table per statement (a hash join over json_to_recordset's 100-row guess) read ~2.7 million
// rows a second in the benchmark's mix and kept them once the tables grew.
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { reusableStatementTexts } from '../../src/db/prepared-statements';
import { applyConnectorStatus } from '../../src/db/queries/connectors';
import { findIdToken } from '../../src/db/queries/id-tokens';
import { applyTransactionEvent } from '../../src/db/queries/transactions';
import type { TransactionEventRequest } from '../../src/ocpp/generated/types';
import { openTestDatabase } from '../support/database';
import { kWh, meterValue, newTxId, txEvent } from '../support/transaction-events';

const ROWS = 3000;
const T0 = new Date('2026-01-01T10:00:00.000Z');

/** ROWS stations, each with an EVSE, a connector, a transaction, a remote start and a token; then fresh statistics. */
async function seed(database: Database): Promise<void> {
  for (const statement of [
    `insert into stations (id) select 'CS-PLAN-' || g from generate_series(1, ${ROWS}) g`,
    `insert into evses (station_id, evse_id) select id, 1 from stations`,
    `insert into connectors (station_id, evse_id, connector_id, status) select id, 1, 1, 'Available' from stations`,
    `insert into transactions (station_id, transaction_id) select id, 'T-' || id from stations`,
    `insert into id_tokens (id_token, type, status) select 'TOKEN-' || g, 'ISO14443', 'Accepted' from generate_series(1, ${ROWS}) g`,
    `insert into remote_starts (station_id, remote_start_id, id_token, id_token_type, status) select id, 1, 'RS', 'Central', 'Accepted' from stations`,
    'analyze',
  ]) await database.db.execute(sql.raw(statement));
}

/** Each shared statement once, with two items, so that its text is built and registered. */
async function runSharedStatements(database: Database): Promise<void> {
  const db = database.db;
  const stations = ['CS-PLAN-1', 'CS-PLAN-2'];
  await Promise.all(stations.map((id) => applyConnectorStatus(db, id, 1, 1, 'Occupied', T0)));
  await Promise.all(['TOKEN-1', 'TOKEN-2'].map((token) => findIdToken(db, token, 'ISO14443')));
  const ids = stations.map(() => newTxId('plan'));
  const apply = (station: string, event: ReturnType<typeof txEvent>) => applyTransactionEvent(db, station, event as TransactionEventRequest, null);
  await Promise.all(stations.map((station, i) =>
    apply(station, txEvent('Started', ids[i]!, { seqNo: 0, evse: { id: 1, connectorId: 1 }, meterValue: [meterValue(0, kWh(10, 'Transaction.Begin'))] }))));
  await Promise.all(stations.map((station, i) => apply(station, txEvent('Updated', ids[i]!, { seqNo: 1, meterValue: [meterValue(60, kWh(11))] }))));
}

/** The generic plan of a statement whose one parameter is the batch. */
async function genericPlan(database: Database, text: string): Promise<string> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare plan_check as ${text}`));
    const result = await tx.execute(sql.raw(`explain execute plan_check('[]')`));
    await tx.execute(sql.raw('deallocate plan_check'));
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, string>>;
    return rows.map((row) => Object.values(row)[0]).join('\n');
  });
}

describe('plans of the shared statements', () => {
  let database: Database;

  before(async () => {
    database = await openTestDatabase();
    await seed(database);
    await runSharedStatements(database);
  });
  after(() => database.close());

  test('E01/E02/G01/C01: shared TransactionEvents (new and cached), StatusNotifications and token lookups probe indexes, never scan a table', async () => {
    const shared = reusableStatementTexts().filter((text) => /json_to_record\w*\(\$1|batch_items\(\$1/.test(text) && !/\$2/.test(text));
    assert.ok(shared.some((text) => /^with b as .* created as \(\s*insert into "transactions"/s.test(text)), 'the shared Started statement ran');
    const tables = ['transactions', 'remote_starts', 'stations', 'evses', 'connectors', 'id_tokens'];
    const touched = tables.filter((table) => shared.some((text) => text.includes(`"${table}"`)));
    assert.deepEqual(touched, tables, 'the shared statements of all three kinds ran');
    for (const text of shared) {
      const plan = await genericPlan(database, text);
      assert.doesNotMatch(plan, /Seq Scan on/, `${text.slice(0, 160)}…\n${plan}`);
    }
  });
});
