// Part 4 §5.2 keep-alive, spread over the interval: each tick pings its share of the stations, every
// station once per interval, and one that did not answer by its next turn is dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Keepalive } from '../../src/ocpp/transport/keepalive';

class FakeSocket {
  pings = 0;
  terminated = false;
  private onPong: (() => void) | undefined;
  constructor(readonly answers: boolean) {}
  ping() {
    this.pings += 1;
    if (this.answers) this.onPong?.();
  }
  terminate() {
    this.terminated = true;
  }
  on(_event: 'pong', listener: () => void) {
    this.onPong = listener;
  }
}

test('keep-alive: 10 stations, interval 5 s: 2 pings a tick, each station once per interval', () => {
  const keepalive = new Keepalive<FakeSocket>(5);
  const sockets = Array.from({ length: 10 }, () => new FakeSocket(true));
  for (const s of sockets) keepalive.add(s);
  keepalive.tick();
  assert.equal(sockets.reduce((n, s) => n + s.pings, 0), 2, 'the first tick pings its share only');
  for (let i = 0; i < 4; i++) keepalive.tick();
  assert.deepEqual(sockets.map((s) => s.pings), Array(10).fill(1), 'one interval: every station once');
  for (let i = 0; i < 5; i++) keepalive.tick();
  assert.deepEqual(sockets.map((s) => s.pings), Array(10).fill(2), 'two intervals: every station twice');
  assert.equal(sockets.some((s) => s.terminated), false);
});

test('keep-alive: a station that did not answer its ping is dropped at its next turn; removed ones are skipped', () => {
  const keepalive = new Keepalive<FakeSocket>(2);
  const silent = new FakeSocket(false);
  const gone = new FakeSocket(true);
  const live = [new FakeSocket(true), new FakeSocket(true)];
  for (const s of [silent, gone, ...live]) keepalive.add(s);
  keepalive.delete(gone);
  for (let i = 0; i < 2; i++) keepalive.tick();
  assert.equal(silent.pings, 1);
  assert.equal(silent.terminated, false);
  keepalive.tick();
  assert.equal(silent.terminated, true, 'dropped one interval (two ticks) after the unanswered ping');
  keepalive.tick();
  assert.equal(gone.pings, 0);
  assert.deepEqual(live.map((s) => [s.pings, s.terminated]), [[2, false], [2, false]]);
});

test('keep-alive: interval 1 s pings every station every tick', () => {
  const keepalive = new Keepalive<FakeSocket>(1);
  const sockets = [new FakeSocket(true), new FakeSocket(true), new FakeSocket(true)];
  for (const s of sockets) keepalive.add(s);
  for (let i = 0; i < 3; i++) keepalive.tick();
  assert.deepEqual(sockets.map((s) => s.pings), [3, 3, 3]);
});
