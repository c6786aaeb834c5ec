// Statements of many stations that reach the CSMS in one turn of the event loop, sent as one: the
// database pays executor start-up, commit and a protocol exchange per statement, and for the small
// statements of the message path that was about half of their cost (issue 5 profile). Each caller
// hands in the parameters of its own one-row statement; the batch statement takes them all as one
// JSON array (each with its index `i`) and answers a row per index. Two items with the same key (one
// station's, one transaction's) never share a statement. If a batch fails, each of its items runs
// alone, so an error reaches only the caller whose item caused it.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';

export interface BatchedStatement<Row> {
  /** Items per statement at most. */
  maxItems: number;
  /** The batch statement: `batch` is the JSON text of the items, each with its index `i`. */
  many(db: Db, batch: string): Promise<Array<Row & { i: number | string }>>;
  /** The one-item statement, for a batch of one and when a batch fails. */
  one(db: Db, values: Record<string, unknown>): Promise<Row | undefined>;
}

interface Waiting<Row> {
  values: Record<string, unknown>;
  resolve(row: Row | undefined): void;
  reject(error: unknown): void;
}

/** The items as a JSON array, each with its index `i` first: no copy of the (wide) values objects. */
function batchJson(batch: ReadonlyArray<{ values: Record<string, unknown> }>): string {
  let json = '[';
  for (let i = 0; i < batch.length; i++) {
    const values = JSON.stringify(batch[i]!.values);
    json += `${i === 0 ? '' : ','}{"i":${i}${values.length > 2 ? ',' : ''}${values.slice(1)}`;
  }
  return `${json}]`;
}

class Queue<Row> {
  private waiting: Array<Waiting<Row>> = [];
  private keys = new Set<string>();
  private scheduled = false;

  constructor(private readonly db: Db, private readonly statement: BatchedStatement<Row>) {}

  add(key: string, values: Record<string, unknown>): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      if (this.keys.has(key) || this.waiting.length >= this.statement.maxItems) this.send();
      this.waiting.push({ values, resolve, reject });
      this.keys.add(key);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.send();
      });
    });
  }

  private send(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    this.keys = new Set();
    void (batch.length === 1 ? this.alone(batch[0]!) : this.together(batch));
  }

  private async alone(item: Waiting<Row>): Promise<void> {
    try {
      item.resolve(await this.statement.one(this.db, item.values));
    } catch (error) {
      item.reject(error);
    }
  }

  private async together(batch: Array<Waiting<Row>>): Promise<void> {
    let rows: Array<Row & { i: number | string }>;
    try {
      rows = await this.statement.many(this.db, batchJson(batch));
    } catch {
      await Promise.all(batch.map((item) => this.alone(item)));
      return;
    }
    const byIndex = new Map<number, Row>();
    for (const row of rows) byIndex.set(Number(row.i), row);
    batch.forEach((item, i) => item.resolve(byIndex.get(i)));
  }
}

/** Runs one item of `statement` together with the others added in this turn of the loop on `db`. */
export function batched<Row>(statement: BatchedStatement<Row>): (db: Db, key: string, values: Record<string, unknown>) => Promise<Row | undefined> {
  const queues = new WeakMap<Db, Queue<Row>>();
  return (db, key, values) => {
    let queue = queues.get(db);
    if (!queue) queues.set(db, (queue = new Queue(db, statement)));
    return queue.add(key, values);
  };
}

/**
 * The items of the `batch` parameter as rows of `b` with the given column list. They come from
 * batch_items (migration 0003), which tells the planner to expect one row: then every join of a
 * shared statement probes an index per item, whatever the tables' statistics say.
 */
export const batchRows = (columns: SQL): SQL =>
  sql`batch_items(${sql.placeholder('batch')}) as item cross join lateral json_to_record(item) as b(${columns})`;
