// Transaction-heavy load for fault tests: simulated stations that run charging sessions back to back
// on every EVSE and record what the CSMS answered — every TransactionEvent acknowledged with a
// CALLRESULT, how often each was sent, and every CALLERROR code per action.
import { SimulatedStation, CallErrorResponse, type SimulatedStationOptions } from '../../src/cli/simulator/station';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client';
import { insertStation } from '../../src/db/queries/stations';
import { hashPassword } from '../../src/blocks/security/password-hash';

/** `transactionId/seqNo` (transaction ids are UUIDs, unique across stations). */
export const eventKey = (payload: any) => `${payload?.transactionInfo?.transactionId}/${payload?.seqNo}`;

export class RecordingStation extends SimulatedStation {
  /** TransactionEvents the CSMS answered with a CALLRESULT. */
  readonly answered = new Set<string>();
  /** How many times each TransactionEvent was sent (more than once: a retry). */
  readonly attempts = new Map<string, number>();
  /** CALLERROR codes received, per action. */
  readonly callErrors: Array<{ action: string; code: string }> = [];
  /** CALLRESULTs received, per action, with the time they arrived. */
  readonly results: Array<{ action: string; at: number }> = [];
  inFlightEvents = 0;

  constructor(options: SimulatedStationOptions) {
    super(options);
    // A TransactionEvent answered with a CALLERROR is retried, never dropped, so every event ends up stored.
    this.model.set({ name: 'OCPPCommCtrlr' }, { name: 'MessageAttempts', instance: 'TransactionEvent' }, '100000');
  }

  override call(action: string, payload: unknown): Promise<any> {
    const pending = super.call(action, payload);
    const isEvent = action === 'TransactionEvent';
    const key = isEvent ? eventKey(payload) : '';
    if (isEvent) {
      this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
      this.inFlightEvents++;
    }
    pending
      .then(
        () => {
          this.results.push({ action, at: Date.now() });
          if (isEvent) this.answered.add(key);
        },
        (error) => {
          if (error instanceof CallErrorResponse) this.callErrors.push({ action, code: error.code });
        },
      )
      .finally(() => {
        if (isEvent) this.inFlightEvents--;
      });
    return pending;
  }

  /** Nothing queued or in flight and connected: every event made so far was answered. */
  get settled(): boolean {
    return this.online && this.inFlightEvents === 0 && this.sessions.outbox.pending === 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Charging sessions back to back on every EVSE until stop(); stop() lets each end its session. */
export function driveSessions(station: RecordingStation, evses: number, chargeMs: [number, number]) {
  let running = true;
  const loop = async (evseId: number) => {
    while (running) {
      try {
        await station.plugIn(evseId);
        await station.authorize(`TOKEN-${station.id}-${evseId}`, evseId);
        await sleep(chargeMs[0] + Math.random() * (chargeMs[1] - chargeMs[0]));
      } catch {
        await sleep(100);
      } finally {
        await station.unplug(evseId).catch(() => {});
      }
    }
  };
  const loops = Array.from({ length: evses }, (_, i) => loop(i + 1));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Where the server keeps its data: a PGlite directory or a PostgreSQL URL. */
export type Storage = { dataDir: string } | { databaseUrl: string };

/** Provisions stations directly in the database (the server is not running); returns their passwords. */
export async function provisionStations(storage: Storage, ids: string[]): Promise<Map<string, string>> {
  const database = await openDatabase(storage);
  const passwords = new Map<string, string>();
  try {
    for (const id of ids) {
      const password = `pw-${id}-${Math.random().toString(36).slice(2)}`;
      await insertStation(database.db, { id, passwordHash: await hashPassword(password), bootPolicy: 'Accepted', serialNumber: null });
      passwords.set(id, password);
    }
  } finally {
    await database.close();
  }
  return passwords;
}

/** Stored TransactionEvents as `transactionId/seqNo` → number of rows (the server is not running). */
export async function storedEvents(storage: Storage): Promise<Map<string, number>> {
  const database = await openDatabase(storage);
  try {
    const result: any = await database.db.execute(
      sql`select transaction_id, seq_no, count(*)::int as n from transaction_events group by transaction_id, seq_no`,
    );
    const rows: Array<{ transaction_id: string; seq_no: number; n: number }> = Array.isArray(result) ? result : result.rows;
    return new Map(rows.map((r) => [`${r.transaction_id}/${r.seq_no}`, Number(r.n)]));
  } finally {
    await database.close();
  }
}
