// Upgrade rate limit (issue 5 §4): wrong passwords from one address get 401, then 429 once the
// address's failure budget is spent; other addresses, and the attacked station itself from its own
// address, still connect. The limiter's memory is bounded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { addressKey, createUpgradeRateLimiter } from '../../src/ocpp/transport/rate-limit';
import { startTestServer, SUITE_TIMEOUT, type TestServer } from '../support/server';
import { basicAuth } from '../support/ws-client';

type Outcome = { status: number; retryAfter?: string | undefined; ws?: WebSocket };

/** One upgrade attempt from `localAddress`; the status the server answered (101 when upgraded). */
function attempt(url: string, id: string, password: string, localAddress = '127.0.0.1'): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${id}`, ['ocpp2.0.1'], { headers: { authorization: basicAuth(id, password) }, localAddress });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      ws.terminate();
    });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('error', (err) => reject(err));
  });
}

describe('upgrade rate limit per client address', { timeout: 60_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ UPGRADE_FAILURE_BURST: '5', UPGRADE_FAILURES_PER_MINUTE: '1' });
  });
  after(() => server.close());

  test('300 wrong passwords from one address (20 at a time): 401 until the budget of 5 is spent, then only 429 with Retry-After', async () => {
    const password = await server.provisionStation('RL-VICTIM');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let batch = 0; batch < 15; batch++) {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => attempt(server.ocppUrl, 'RL-VICTIM', 'wrong-password')));
      statuses.push(...outcomes.map((o) => o.status));
      retryAfter ??= outcomes.find((o) => o.status === 429)?.retryAfter;
    }
    const first429 = statuses.indexOf(429);
    // Attempts already past the check when the budget runs out are still judged: at most one batch.
    assert.ok(first429 >= 5 && first429 <= 40, `401 until the budget is spent, first 429 at ${first429}`);
    assert.deepEqual(new Set(statuses.slice(0, first429)), new Set([401]));
    assert.deepEqual(new Set(statuses.slice(first429 + 20)), new Set([429]), 'then 429 only');
    assert.ok(statuses.filter((s) => s === 429).length >= 250);
    assert.ok(Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);

    // The address is blocked as a whole, the right password included …
    assert.equal((await attempt(server.ocppUrl, 'RL-VICTIM', password)).status, 429);
    // … but the station itself, from its own address, still connects and boots.
    const own = await attempt(server.ocppUrl, 'RL-VICTIM', password, '127.0.0.2');
    assert.equal(own.status, 101);
    own.ws!.close();
  });

  test('a real station from another address connects and boots while one address is limited', async () => {
    const password = await server.provisionStation('RL-OTHER');
    for (let i = 0; i < 10; i++) await attempt(server.ocppUrl, 'RL-OTHER', 'wrong-password');
    assert.equal((await attempt(server.ocppUrl, 'RL-OTHER', 'wrong-password')).status, 429, '127.0.0.1 is limited');
    const { status, ws } = await attempt(server.ocppUrl, 'RL-OTHER', password, '127.0.0.2');
    assert.equal(status, 101);
    const answer = new Promise<unknown[]>((resolve) => ws!.once('message', (data) => resolve(JSON.parse(data.toString()) as unknown[])));
    ws!.send(JSON.stringify([2, 'b1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }]));
    assert.equal(((await answer)[2] as { status: string }).status, 'Accepted');
    ws!.close();
  });
});

describe('upgrade rate limiter (unit)', SUITE_TIMEOUT, () => {
  test('tokens come back over time; a full bucket is forgotten', () => {
    let now = 0;
    const limiter = createUpgradeRateLimiter({ burst: 2, refillPerMinute: 60, now: () => now });
    limiter.recordFailure('10.0.0.1');
    limiter.recordFailure('10.0.0.1');
    assert.equal(limiter.retryAfterS('10.0.0.1'), 1);
    assert.equal(limiter.retryAfterS('10.0.0.2'), 0, 'other addresses are not affected');
    now += 1000;
    assert.equal(limiter.retryAfterS('10.0.0.1'), 0);
    now += 1000;
    assert.equal(limiter.retryAfterS('10.0.0.1'), 0);
    assert.equal(limiter.trackedAddresses, 0);
  });

  test('memory is bounded: at most maxAddresses buckets, least recently failed evicted', () => {
    const limiter = createUpgradeRateLimiter({ burst: 1, refillPerMinute: 1, maxAddresses: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    assert.equal(limiter.trackedAddresses, 100);
    assert.ok(limiter.retryAfterS('10.0.39.15') > 0, 'the latest address is still limited');
    assert.equal(limiter.retryAfterS('10.0.0.0'), 0, 'the oldest was evicted');
  });

  test('burst 0 turns the limit off', () => {
    const limiter = createUpgradeRateLimiter({ burst: 0, refillPerMinute: 1 });
    for (let i = 0; i < 100; i++) limiter.recordFailure('10.0.0.1');
    assert.equal(limiter.retryAfterS('10.0.0.1'), 0);
    assert.equal(limiter.trackedAddresses, 0);
  });

  test('IPv6 addresses share one bucket per /64; IPv4-mapped addresses count as IPv4', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), addressKey('2001:0db8:0001:0002:ffff:1:2:3'));
    assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
    assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });
});
