// Issue 5 §5 over a real websocket: hostile frames to the real server (real dispatcher, handlers
// and test database). Each frame is followed by a Heartbeat sentinel; whatever arrives before the
// sentinel's CALLRESULT is the answer to the frame, and it must be what SPEC-NOTES §1 prescribes.
// The connection stays open throughout, and afterwards the server still serves a fresh station.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type WebSocket from 'ws';
import { anyFrameText, oddValidCall, plausibleCall } from '../support/fuzz-frames';
import { sharedValidator } from '../../src/ocpp/rpc/shared-validator';
import { assertCallErrorFrame, expectation } from '../support/fuzz-oracle';
import { assertCallResult, validBoot } from '../support/rpc';
import { startTestServer, type TestServer } from '../support/server';
import { basicAuth, closeRaw, nextMessages, openRaw } from '../support/ws-client';

const RUNS = 1000;
const validator = sharedValidator();
const schemaValid = (action: string, payload: unknown) => {
  try {
    validator.validate(action, 'request', payload);
    return true;
  } catch {
    return false;
  }
};
const rejections: unknown[] = [];
const handlerFailures: string[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

/** Frames from the CSMS, in order; CALLs the CSMS sends on its own are left out. */
function inbox(ws: WebSocket) {
  const frames: unknown[][] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as unknown[];
    if (frame[0] === 2) return;
    frames.push(frame);
    wake?.();
  });
  return {
    /** Every frame up to and including the CALLRESULT with `id`. */
    async until(id: string, timeoutMs = 10_000): Promise<unknown[][]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = frames.findIndex((f) => f[0] === 3 && f[1] === id);
        if (at >= 0) return frames.splice(0, at + 1);
        assert.ok(Date.now() < deadline, `no answer to ${id}; got ${JSON.stringify(frames).slice(0, 300)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe('RPC fuzzing over a real websocket (issue 5 §5)', { timeout: 180_000 }, () => {
  let server: TestServer;
  let ws: WebSocket;
  before(async () => {
    process.on('unhandledRejection', onRejection);
    server = await startTestServer({ UNKNOWN_ID_TOKEN_POLICY: 'accept' });
    const password = await server.provisionStation('FUZZ-WS');
    ws = await openRaw(`${server.ocppUrl}/FUZZ-WS`, { headers: { Authorization: basicAuth('FUZZ-WS', password) } });
    const booted = nextMessages(ws, 1);
    ws.send(JSON.stringify([2, 'boot', 'BootNotification', validBoot()]));
    assertCallResult((await booted)[0]!, 'boot');
  });
  after(async () => {
    process.off('unhandledRejection', onRejection);
    if (ws) await closeRaw(ws);
    await server?.close();
  });

  test('SPEC-NOTES §1: every hostile frame gets the prescribed answer or silence; the socket stays open', async () => {
    const frames = inbox(ws);
    let sentinel = 0;
    let internalErrors = 0;
    let results = 0;
    const text = fc.oneof(anyFrameText, plausibleCall.map((f) => JSON.stringify(f)), oddValidCall.map((f) => JSON.stringify(f)));
    await fc.assert(
      fc.asyncProperty(text, async (frame) => {
        const id = `sentinel-${++sentinel}-${process.pid}`;
        ws.send(frame);
        ws.send(JSON.stringify([2, id, 'Heartbeat', {}]));
        const replies = (await frames.until(id)).slice(0, -1);
        assert.equal(ws.readyState, ws.OPEN, 'the connection stays open');
        const expected = expectation(frame);
        if (!expected.reply) return assert.deepEqual(replies, [], 'silence for an answer');
        assert.equal(replies.length, 1, `one reply expected, got ${JSON.stringify(replies).slice(0, 300)}`);
        const [reply] = replies as [unknown[]];
        if (reply[0] === 3) {
          results++;
          return assert.ok('call' in expected && reply[1] === expected.id, 'CALLRESULT only for a routed CALL, with its id');
        }
        const code = assertCallErrorFrame(reply, expected.id);
        if ('code' in expected) assert.equal(code, expected.code);
        if (code !== 'InternalError') return;
        internalErrors++;
        // A message that passes the schema is the handlers' to answer: InternalError there is a handler bug.
        if ('call' in expected && schemaValid(expected.call.action, expected.call.payload)) handlerFailures.push(frame.slice(0, 300));
      }),
      { numRuns: RUNS },
    );
    console.log(`websocket fuzzing: ${RUNS} frames, ${results} CALLRESULTs, ${internalErrors} InternalErrors`);
  });

  // Found by this fuzzing and fixed in the validator: leap-second and year-0000 timestamps.
  test('schema-valid messages never get InternalError from the real handlers', () => {
    for (const failure of handlerFailures.slice(0, 20)) console.log(`InternalError for a schema-valid message: ${failure}`);
    assert.deepEqual(handlerFailures, []);
  });

  test('afterwards: /health 200, a fresh station boots, no unhandled rejection', async () => {
    assert.equal((await fetch(`${server.httpUrl}/health`)).status, 200);
    await server.provisionStation('FUZZ-WS-2');
    const station = await server.connectStation('FUZZ-WS-2');
    assert.equal((await station.boot()).status, 'Accepted');
    assert.deepEqual(rejections, []);
  });
});
