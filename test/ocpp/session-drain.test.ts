// RpcSession.drain() (graceful shutdown, issue 5 §4): CALLs already received are answered, CALLs
// arriving afterwards are not taken, the CALL in flight to the station may settle, queued ones fail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallFailure } from '../../src/ocpp/rpc/call-failure';
import { serialize } from '../../src/ocpp/rpc/frame';
import { RpcSession } from '../../src/ocpp/rpc/session';
import { sharedValidator } from '../../src/ocpp/rpc/shared-validator';
import { SUITE_TIMEOUT } from '../support/server';

const limits = { callTimeoutMs: 5000, maxQueuedIncoming: 32, maxQueuedOutgoing: 8, maxJsonDepth: 32 };

function harness() {
  const sent: unknown[][] = [];
  const socket = { send: (text: string) => void sent.push(JSON.parse(text) as unknown[]), close: () => {} };
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handled: string[] = [];
  const session = new RpcSession('DRAIN-1', {}, socket, sharedValidator(), async (_s, call) => {
    handled.push(call.id);
    await gate;
    return serialize.result(call.id, { currentTime: new Date().toISOString() });
  }, limits);
  return { session, sent, handled, release };
}

const heartbeat = (id: string) => JSON.stringify([2, id, 'Heartbeat', {}]);
let settled = false;
const track = (p: Promise<unknown>) => p.then(() => (settled = true));

describe('RpcSession.drain', SUITE_TIMEOUT, () => {
  test('answers the CALLs received before the drain, ignores later ones, then resolves', async () => {
    const { session, sent, handled, release } = harness();
    session.receive(heartbeat('a'));
    session.receive(heartbeat('b'));
    settled = false;
    const drained = track(session.drain());
    session.receive(heartbeat('late'));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, 'not drained while a CALL is being handled');
    release();
    await drained;
    assert.deepEqual(handled, ['a', 'b']);
    assert.deepEqual(sent.map((f) => [f[0], f[1]]), [[3, 'a'], [3, 'b']], 'no answer to the CALL that came after');
  });

  test('the command in flight settles; queued and new commands fail with StationOffline', async () => {
    const { session, sent } = harness();
    const inFlight = session.call('Reset', { type: 'Immediate' });
    const queued = session.call('Reset', { type: 'OnIdle' });
    settled = false;
    const drained = track(session.drain());
    await assert.rejects(queued, (e: CallFailure) => e.code === 'StationOffline');
    await assert.rejects(session.call('Reset', { type: 'Immediate' }), (e: CallFailure) => e.code === 'StationOffline');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, 'waits for the answer to the command in flight');
    const [, id] = sent[0]!;
    session.receive(JSON.stringify([3, id, { status: 'Accepted' }]));
    assert.deepEqual(await inFlight, { status: 'Accepted' });
    await drained;
  });

  test('a session that closes while draining resolves the drain', async () => {
    const { session } = harness();
    void session.call('Reset', { type: 'Immediate' }).catch(() => {});
    const drained = session.drain();
    session.shutdown('gone');
    await drained;
  });
});
