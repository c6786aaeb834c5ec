// PostgreSQL connections that fail fast while the database is unreachable and come back by
// themselves: a connect timeout, a server-side statement timeout, a client-side watchdog for answers
// that never come (a network cut leaves the socket open: no error, no data), and a short reconnect
// backoff. Every failure surfaces as a rejected query, which the OCPP router answers InternalError.
import { connect, type Socket } from 'node:net';

export interface PostgresTimeouts {
  connectTimeoutMs: number;
  /** Server-side statement_timeout (0 = none). */
  statementTimeoutMs: number;
  /** A connection that sent something and received nothing for this long is destroyed (0 = never). */
  responseTimeoutMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 10_000, responseTimeoutMs: 15_000 };

/** What postgres.js passes to a custom `socket` factory (host and port lists parsed from the URL). */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/** Splits a PostgreSQL wire stream into messages (1-byte type + int32 length) and reports each type. */
class MessageTypes {
  private readonly header = Buffer.alloc(5);
  private filled = 0;
  private skip = 0;

  /** `untypedFirst`: the client's first message (startup or cancel request) has no type byte. */
  constructor(private untypedFirst: boolean, private readonly onType: (type: number) => void) {}

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const size = this.untypedFirst ? 4 : 5;
      const n = Math.min(size - this.filled, chunk.length - i);
      this.header.set(chunk.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled < size) return;
      if (!this.untypedFirst) this.onType(this.header[0]!);
      this.skip = Math.max(0, this.header.readInt32BE(size - 4) - 4);
      this.filled = 0;
      this.untypedFirst = false;
    }
  }
}

const SYNC = 0x53; // 'S': ends an extended-protocol query; answered by one ReadyForQuery
const QUERY = 0x51; // 'Q': a simple query; answered by one ReadyForQuery
const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X': the client ends the connection (pool shutdown, idle timeout)

/**
 * Destroys a plain-TCP PostgreSQL socket that is owed an answer and received no byte for `timeoutMs`.
 * Owed: a ReadyForQuery for every Sync/Query sent (and one for the start-up), or any reply to bytes
 * written since the last byte received (a Describe + Flush round). An idle pooled connection owes
 * nothing and is never touched.
 */
export function watchForAnswers(socket: Socket, timeoutMs: number): void {
  let owed = 1;
  let unansweredWrite = true;
  let waitingSince = performance.now();
  let terminating = false;
  const sent = new MessageTypes(true, (type) => {
    if (type === TERMINATE) terminating = true;
    if (type !== SYNC && type !== QUERY) return;
    if (owed === 0) waitingSince = performance.now();
    owed += 1;
  });
  let ready = false;
  const received = new MessageTypes(false, (type) => {
    if (type !== READY_FOR_QUERY) return;
    ready = true;
    owed = Math.max(0, owed - 1);
  });
  // Closed by the other side while not ready or while owed an answer: fail it as an error. Before it
  // was ever ready (a proxy in front of a dead database) postgres.js would otherwise reconnect at
  // once, forever, and the query waiting for it would never fail.
  socket.once('end', () => {
    if (!terminating && (!ready || owed > 0 || unansweredWrite)) {
      socket.destroy(Object.assign(new Error('the database closed the connection'), { code: 'ECONNRESET' }));
    }
  });
  // postgres.js bug: a query issued on a connection after its 'close' (a transaction's ROLLBACK,
  // reacting to the error) schedules a write to a socket it has set to null, and the process dies
  // with a TypeError. Delivering 'close' one macrotask after 'error' lets those reactions run while
  // the connection is still there; its close handler then cancels the scheduled write.
  const emit = socket.emit as (this: Socket, ...args: unknown[]) => boolean;
  socket.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
    if (event !== 'close') return emit.call(this, event, ...args);
    setImmediate(() => emit.call(this, event, ...args));
    return true;
  } as Socket['emit'];
  const write = socket.write;
  socket.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    if (!unansweredWrite && owed === 0) waitingSince = performance.now();
    unansweredWrite = true;
    if (chunk instanceof Uint8Array) sent.feed(chunk);
    else if (typeof chunk === 'string') sent.feed(Buffer.from(chunk));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Socket['write'];
  socket.on('data', (chunk: Buffer) => {
    waitingSince = performance.now();
    unansweredWrite = false;
    received.feed(chunk);
  });
  const check = setInterval(() => {
    if ((owed > 0 || unansweredWrite) && performance.now() - waitingSince >= timeoutMs) {
      clearInterval(check);
      socket.destroy(Object.assign(new Error(`no answer from the database within ${timeoutMs} ms`), { code: 'DB_RESPONSE_TIMEOUT' }));
    }
  }, Math.max(25, Math.floor(timeoutMs / 4)));
  check.unref();
  socket.once('close', () => clearInterval(check));
}

function watchedSocketFactory(timeoutMs: number) {
  let next = 0;
  return (target: SocketTarget): Socket => {
    const i = next++ % Math.max(1, target.host.length);
    const host = target.host[i] ?? 'localhost';
    const port = target.port[i] ?? target.port[0] ?? 5432;
    const socket = target.path ? connect(target.path) : connect(port, host);
    // postgres.js names the host and port in its connection errors.
    Object.assign(socket, { host, port });
    watchForAnswers(socket, timeoutMs);
    return socket;
  };
}

/** Extra options for `postgres(url, …)`. With TLS the watchdog is left out (it sees only the raw socket). */
export function resilientPostgresOptions(t: PostgresTimeouts, ssl: boolean): Record<string, unknown> {
  const connection: Record<string, string> = {};
  if (t.statementTimeoutMs > 0) {
    connection.statement_timeout = String(t.statementTimeoutMs);
    // A transaction whose client vanished mid-way must not hold its locks for long.
    connection.idle_in_transaction_session_timeout = String(Math.max(30_000, 2 * t.statementTimeoutMs));
  }
  return {
    connect_timeout: t.connectTimeoutMs / 1000,
    connection,
    // postgres.js's default backoff grows with every failed connection in a row (3^n / 100 s, up to
    // 20 s), so after a long outage the pool could wait 20 s before trying again: retry within a second.
    backoff: () => 0.25 + Math.random() * 0.5,
    ...(t.responseTimeoutMs > 0 && !ssl && { socket: watchedSocketFactory(t.responseTimeoutMs) }),
  };
}

/** Whether the URL asks for TLS (sslmode other than disable, or ssl=true). */
export function urlWantsTls(url: string): boolean {
  const params = new URL(url).searchParams;
  const mode = params.get('sslmode');
  return (mode !== null && mode !== 'disable') || params.get('ssl') === 'true' || params.get('ssl') === '1';
}
