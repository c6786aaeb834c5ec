// Part4 §4 robustness: stray answers, binary and oversized frames, deep nesting, duplicate ids,
// ordering of pipelined CALLs; the server keeps serving throughout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimulatedStation } from '../../src/cli/simulator/station';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';
import {
  basicAuth, closeCode, closeRaw, nextMessages, openRaw, sendInOneWrite, type AttemptOptions,
} from '../support/ws-client';
import {
  assertCallError, assertCallResult, assertSilence, exchange, validBoot, validStatusNotification,
} from '../support/rpc';

// Large enough for the 20 kB depth-10000 frame, small enough to exceed cheaply.
const MAX_PAYLOAD = 32 * 1024;
let server: TestServer;
let counter = 0;

before(async () => {
  server = await startTestServer({ OCPP_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD) });
});
after(() => server?.close());

/** A fresh provisioned, connected and accepted station. */
async function bootedStation(): Promise<SimulatedStation> {
  const id = `ROBUST-${++counter}`;
  await server.provisionStation(id);
  const station = await server.connectStation(id);
  assert.equal((await station.boot()).status, 'Accepted');
  return station;
}

/** A raw ws connection for a fresh station, so frames can be put on the wire in one write. */
async function rawSocket(boot: boolean, options: AttemptOptions = {}) {
  const id = `ROBUST-RAW-${++counter}`;
  const password = await server.provisionStation(id);
  const ws = await openRaw(`${server.ocppUrl}/${id}`, { ...options, headers: { Authorization: basicAuth(id, password) } });
  if (boot) {
    const answer = nextMessages(ws, 1);
    ws.send(JSON.stringify([2, 'boot-0', 'BootNotification', validBoot()]));
    assertCallResult((await answer)[0]!, 'boot-0');
  }
  return ws;
}

describe('robustness of the RPC layer (Part4 §4)', SUITE_TIMEOUT, () => {
  test('Part4 §4.1.4: CALLRESULT and CALLERROR with an unknown id are ignored, connection kept', async () => {
    const station = await bootedStation();
    station.sendRaw(JSON.stringify([3, 'never-sent-1', { status: 'Accepted' }]));
    station.sendRaw(JSON.stringify([4, 'never-sent-2', 'GenericError', 'stray', {}]));
    station.sendRaw(JSON.stringify([3, 'never-sent-3'])); // malformed answer: still never answered
    await assertSilence(station, 300);
    assert.ok(station.isOpen);
    assertCallResult(await exchange(station, [2, 'hb-after-stray', 'Heartbeat', {}]), 'hb-after-stray');
  });

  test('SPEC-NOTES §1.10: first binary frame → RpcFrameworkError id "-1", a repeat → close 1003', async () => {
    const station = await bootedStation();
    const reply = station.nextFrame(2000);
    station.sendRaw(Buffer.from(JSON.stringify([2, 'bin-1', 'Heartbeat', {}])), true);
    assertCallError(await reply, '-1', 'RpcFrameworkError');
    assert.ok(station.isOpen, 'the first binary frame does not close the connection');
    assertCallResult(await exchange(station, [2, 'hb-after-bin', 'Heartbeat', {}]), 'hb-after-bin');
    station.sendRaw(Buffer.from([1, 2, 3]), true);
    assert.equal((await station.closed).code, 1003);
  });

  test('Part4 §3.3 / SPEC-NOTES §1.10: frame above OCPP_MAX_PAYLOAD_BYTES → close 1009; others keep being served', async () => {
    const bystander = await bootedStation();
    const station = await bootedStation();
    const big = JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(MAX_PAYLOAD * 2) }]);
    station.sendRaw(big);
    assert.equal((await station.closed).code, 1009, 'compressed frame that inflates past the limit');
    const plain = await rawSocket(true, { perMessageDeflate: false });
    const closed = closeCode(plain);
    plain.send(big);
    assert.equal(await closed, 1009, 'uncompressed frame past the limit');
    assert.ok(bystander.isOpen);
    assertCallResult(await exchange(bystander, [2, 'hb-bystander', 'Heartbeat', {}]), 'hb-bystander');
    // A frame just under the limit is processed normally.
    const fits = await bootedStation();
    const ok = JSON.stringify([2, 'fits-1', 'DataTransfer', { vendorId: 'V', data: 'y'.repeat(MAX_PAYLOAD - 200) }]);
    assert.ok(Buffer.byteLength(ok) < MAX_PAYLOAD);
    assertCallResult(await exchange(fits, ok), 'fits-1');
  });

  test('SPEC-NOTES §1.7: JSON nested 10000 deep → RpcFrameworkError id "-1", still connected', async () => {
    const station = await bootedStation();
    const deep = `[2,"deep-1","DataTransfer",{"vendorId":"V","data":${'['.repeat(10000)}${']'.repeat(10000)}}]`;
    assert.ok(Buffer.byteLength(deep) < MAX_PAYLOAD);
    assertCallError(await exchange(station, deep), '-1', 'RpcFrameworkError');
    assert.ok(station.isOpen);
    assertCallResult(await exchange(station, [2, 'hb-after-deep', 'Heartbeat', {}]), 'hb-after-deep');
  });

  test('Part4 §4.2.3: same id again while the first CALL is still processed → RpcFrameworkError', async () => {
    const ws = await rawSocket(false);
    try {
      const boot = JSON.stringify([2, 'dup-1', 'BootNotification', validBoot()]);
      const answers = nextMessages(ws, 2);
      sendInOneWrite(ws, [boot, boot]);
      const frames = await answers;
      const error = frames.find((f) => f[0] === 4);
      const result = frames.find((f) => f[0] === 3);
      assert.ok(error && result, `one CALLERROR and one CALLRESULT expected, got ${JSON.stringify(frames)}`);
      assertCallError(error, 'dup-1', 'RpcFrameworkError');
      assert.equal(assertCallResult(result, 'dup-1').status, 'Accepted');
      // SPEC-NOTES §1.4 (errata 2024-09): reusing the id after the CALL completed is a retry, processed again.
      const retry = nextMessages(ws, 1);
      ws.send(boot);
      assertCallResult((await retry)[0]!, 'dup-1');
    } finally {
      await closeRaw(ws);
    }
  });

  test('Part4 §4.1.1: CALLs pipelined in one write are answered one by one in arrival order', async () => {
    const ws = await rawSocket(true);
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `pipe-${i}`);
      const frames = ids.map((id, i) =>
        JSON.stringify(i % 2 === 0 ? [2, id, 'StatusNotification', validStatusNotification()] : [2, id, 'Heartbeat', {}]),
      );
      const answers = nextMessages(ws, ids.length, 5000);
      sendInOneWrite(ws, frames);
      const received = await answers;
      assert.deepEqual(received.map((f) => f[1]), ids);
      for (const [i, frame] of received.entries()) assertCallResult(frame, ids[i]!);
      assert.ok('currentTime' in (received[1]![2] as object), 'the Heartbeat answer is in the Heartbeat slot');
    } finally {
      await closeRaw(ws);
    }
  });

  test('after all of the above the process serves /health with 200', async () => {
    const res = await fetch(`${server.httpUrl}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string };
    assert.equal(body.status, 'ok');
  });
});
