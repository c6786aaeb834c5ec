// The PostgreSQL response watchdog (issue 5 §4, database unreachable): a connection owed an answer
// that stays silent is destroyed, so pending queries fail instead of hanging on a network cut; an
// idle connection is left alone. Against a fake server speaking just enough of the wire protocol.
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { resilientPostgresOptions, urlWantsTls, watchForAnswers } from '../../src/db/postgres-resilience';

const READY = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]); // ReadyForQuery, idle
const STARTUP = Buffer.from([0, 0, 0, 8, 0, 3, 0, 0]); // untyped: length 8, protocol 3.0
const QUERY = Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from('select 1\0')]);

async function fakeServer(onData: (socket: Socket, chunk: Buffer) => void): Promise<Server> {
  const server = createServer((socket) => socket.on('data', (chunk) => onData(socket, chunk)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function client(server: Server): Promise<Socket> {
  const port = (server.address() as { port: number }).port;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
  });
}

const closedWith = (socket: Socket) => new Promise<string | undefined>((resolve) => {
  let code: string | undefined;
  socket.on('error', (err: NodeJS.ErrnoException) => (code = err.code));
  socket.once('close', () => resolve(code));
});

describe('PostgreSQL response watchdog', { timeout: 20_000 }, () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  test('a start-up that is never answered is cut off', async () => {
    const server = await fakeServer(() => {});
    servers.push(server);
    const socket = await client(server);
    watchForAnswers(socket, 200);
    const closed = closedWith(socket);
    socket.write(STARTUP);
    assert.equal(await closed, 'DB_RESPONSE_TIMEOUT');
  });

  test('a connection closed before it was ever ready fails with an error (postgres.js then backs off)', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const socket = await client(server);
    watchForAnswers(socket, 5000);
    const closed = closedWith(socket);
    socket.write(STARTUP);
    assert.equal(await closed, 'ECONNRESET');
  });

  test('an answered connection idles untouched; a query left unanswered is cut off', async () => {
    let queries = 0;
    const server = await fakeServer((socket, chunk) => {
      if (chunk[0] === 0x51) queries++;
      else socket.write(READY);
    });
    servers.push(server);
    const socket = await client(server);
    watchForAnswers(socket, 200);
    const closed = closedWith(socket);
    socket.write(STARTUP);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(socket.destroyed, false, 'idle after ReadyForQuery: left open');
    socket.write(QUERY);
    assert.equal(await closed, 'DB_RESPONSE_TIMEOUT');
    assert.equal(queries, 1);
  });

  test('options: statement timeout, short reconnect backoff, no watchdog over TLS', () => {
    const plain = resilientPostgresOptions({ connectTimeoutMs: 2000, statementTimeoutMs: 1500, responseTimeoutMs: 3000 }, false);
    assert.equal(plain.connect_timeout, 2);
    assert.deepEqual(plain.connection, { statement_timeout: '1500', idle_in_transaction_session_timeout: '30000' });
    assert.ok((plain.backoff as () => number)() < 1);
    assert.equal(typeof plain.socket, 'function');
    assert.equal(resilientPostgresOptions({ connectTimeoutMs: 2000, statementTimeoutMs: 0, responseTimeoutMs: 3000 }, true).socket, undefined);
    assert.equal(urlWantsTls('postgres://u@h/db?sslmode=require'), true);
    assert.equal(urlWantsTls('postgres://u@h/db'), false);
  });
});
