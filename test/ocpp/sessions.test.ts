// SPEC-NOTES §1.9 (second connection for one identity) and §1.5 (outgoing CALLs: one in flight,
// timeout, failure on disconnect, validated answers).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallErrorResponse, UpgradeRefused, type SimulatedStation } from '../../src/cli/simulator/station';
import { CallFailure } from '../../src/ocpp/rpc/call-failure';
import { waitFor } from '../support/rpc';
import { SUITE_TIMEOUT, startTestServer, type TestServer } from '../support/server';

// Short enough to keep the file fast, long enough for a loaded CI machine.
const CALL_TIMEOUT_MS = 1000;
let server: TestServer;
let counter = 0;

before(async () => {
  server = await startTestServer({ OCPP_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS) });
});
after(() => server?.close());

const getVariables = { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] };
const getVariablesAnswer = {
  getVariableResult: [
    { attributeStatus: 'Accepted', attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
  ],
};

async function freshStation(prefix: string): Promise<{ id: string; station: SimulatedStation }> {
  const id = `${prefix}-${++counter}`;
  await server.provisionStation(id);
  const station = await server.connectStation(id);
  assert.equal((await station.boot()).status, 'Accepted');
  return { id, station };
}

function session(id: string) {
  const current = server.app.services.registry.get(id);
  assert.ok(current, `${id} has a session in the registry`);
  return current;
}

/** Records the station's Disconnected events until the end of the file. */
function disconnects(id: string): string[] {
  const seen: string[] = [];
  const stop = server.app.services.bus.on('station-connection', (e) => {
    if (e.stationId === id && e.kind === 'Disconnected') seen.push(e.at.toISOString());
  });
  after(stop);
  return seen;
}

describe('second connection for the same identity (SPEC-NOTES §1.9)', SUITE_TIMEOUT, () => {
  test('§1.9.2: the newest authenticated connection wins; the old socket is closed with 1000', async () => {
    const { id, station: first } = await freshStation('SESS-NEW');
    const before = session(id);
    const second = await server.connectStation(id);
    assert.equal((await first.closed).code, 1000);
    assert.ok(server.app.services.registry.isOnline(id));
    assert.notEqual(session(id), before, 'the registry holds the new session');
    // Outgoing calls reach the new connection.
    second.handle('GetVariables', () => getVariablesAnswer);
    assert.deepEqual(await session(id).call('GetVariables', getVariables), getVariablesAnswer);
  });

  test('§1.9.1: a failed-auth attempt (wrong password) does not disturb the live session', async () => {
    const { id, station } = await freshStation('SESS-AUTH');
    const live = session(id);
    await assert.rejects(server.connectStation(id, { password: 'wrong-password-0123456789' }), (err: unknown) => {
      assert.ok(err instanceof UpgradeRefused);
      assert.equal(err.statusCode, 401);
      return true;
    });
    await sleep(100);
    assert.ok(station.isOpen, 'the live socket stays open');
    assert.equal(session(id), live, 'the registry still holds the live session');
    const heartbeat = await station.call('Heartbeat', {});
    assert.ok(heartbeat.currentTime);
  });

  test('§1.9.3: the replaced socket closing later never marks the station offline', async () => {
    const { id, station: first } = await freshStation('SESS-STALE');
    const gone = disconnects(id);
    const second = await server.connectStation(id);
    const replacement = session(id);
    await first.closed;
    await sleep(150); // let the server process the old socket's close event
    assert.ok(server.app.services.registry.isOnline(id));
    assert.equal(session(id), replacement);
    assert.deepEqual(gone, [], 'no Disconnected event for the replaced connection');
    assert.ok(second.isOpen);
    // Closing the current connection does mark the station offline.
    await second.close();
    await waitFor(() => !server.app.services.registry.isOnline(id), 'the station to go offline');
    assert.equal(gone.length, 1);
  });
});

describe('outgoing CALLs (Part4 §4.1.1, SPEC-NOTES §1.5)', SUITE_TIMEOUT, () => {
  test('Part4 §4.1.1: only one CALL in flight; the second is sent after the first is answered', async () => {
    const { id, station } = await freshStation('SESS-ONE');
    const log: string[] = [];
    const callFrames = () => station.rawFrames.filter((f) => f.includes('"GetVariables"')).length;
    let n = 0;
    station.handle('GetVariables', async () => {
      const k = ++n;
      log.push(`start ${k}`);
      await sleep(200);
      log.push(`end ${k} (CALL frames seen: ${callFrames()})`);
      return getVariablesAnswer;
    });
    const s = session(id);
    await Promise.all([s.call('GetVariables', getVariables), s.call('GetVariables', getVariables)]);
    // Had the CSMS sent both at once, the second would have arrived while the first was unanswered.
    assert.deepEqual(log, ['start 1', 'end 1 (CALL frames seen: 1)', 'start 2', 'end 2 (CALL frames seen: 2)']);
  });

  test('Part4 §4.1.1: no answer within OCPP_CALL_TIMEOUT_MS → CallFailure Timeout; the queue moves on', async () => {
    const { id, station } = await freshStation('SESS-TIMEOUT');
    station.handle('GetVariables', () => new Promise(() => {}));
    const started = Date.now();
    await assert.rejects(session(id).call('GetVariables', getVariables), (err: unknown) => {
      assert.ok(err instanceof CallFailure);
      assert.equal(err.code, 'Timeout');
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= CALL_TIMEOUT_MS - 20 && elapsed < CALL_TIMEOUT_MS + 3000, `timed out after ${elapsed} ms`);
    station.handle('GetVariables', () => getVariablesAnswer);
    assert.deepEqual(await session(id).call('GetVariables', getVariables), getVariablesAnswer);
  });

  test('SPEC-NOTES §1.9: pending and queued calls fail with StationOffline when the station disconnects', async () => {
    const { id, station } = await freshStation('SESS-OFFLINE');
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    station.handle('GetVariables', () => {
      received();
      return new Promise(() => {});
    });
    const s = session(id);
    const outcomes = Promise.allSettled([s.call('GetVariables', getVariables), s.call('GetVariables', getVariables)]);
    await arrived; // the first CALL is on the station, unanswered; the second waits in the queue
    await station.close();
    const [inFlight, queued] = await outcomes;
    for (const outcome of [inFlight, queued]) {
      assert.equal(outcome?.status, 'rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      assert.ok(reason instanceof CallFailure, String(reason));
      assert.equal(reason.code, 'StationOffline');
    }
    assert.equal(server.app.services.registry.isOnline(id), false);
  });

  test('SPEC-NOTES §1.5: schema-invalid CALLRESULT from the station → CallFailure InvalidResponse', async () => {
    const { id, station } = await freshStation('SESS-INVALID');
    station.handle('GetVariables', () => ({ getVariableResult: [{ attributeStatus: 'Maybe' }] }));
    await assert.rejects(session(id).call('GetVariables', getVariables), (err: unknown) => {
      assert.ok(err instanceof CallFailure);
      assert.equal(err.code, 'InvalidResponse');
      return true;
    });
  });

  test('Part4 §4.2.3: CALLERROR answer → CallFailure CallError with the station\'s ocppErrorCode', async () => {
    const { id, station } = await freshStation('SESS-CALLERROR');
    station.handle('GetVariables', () => {
      throw new CallErrorResponse('NotSupported', 'not today');
    });
    await assert.rejects(session(id).call('GetVariables', getVariables), (err: unknown) => {
      assert.ok(err instanceof CallFailure);
      assert.equal(err.code, 'CallError');
      assert.equal(err.ocppErrorCode, 'NotSupported');
      return true;
    });
  });
});
