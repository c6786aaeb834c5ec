// The password-guessing flood of the `authflood` scenario (issue 5 §4), in its own thread so the
// real stations' latencies on the main thread are not bent by the flood's client work. Plain HTTP
// upgrade requests (no websocket library): each asks for `/ocpp/<id>` with a wrong password from
// `localAddress`, and its answer is counted by status. Posts `first429` once, then the result.
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import type { FloodJob, FloodResult } from './auth-flood-protocol';

const job = workerData as FloodJob;
const base = new URL(job.url.replace(/^ws/, 'http'));
const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
const path = `${base.pathname.replace(/\/$/, '')}/${encodeURIComponent(job.stationId)}`;
const authorization = `Basic ${Buffer.from(`${job.stationId}:${job.password}`).toString('base64')}`;

const result: FloodResult = { attempts: 0, statuses: {}, connectionErrors: 0, timedOut: 0, latencyMs: {}, durationMs: 0 };
let told429 = false;

/** One upgrade attempt; resolves once it was answered, failed or timed out. */
function attempt(): Promise<void> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string, req: ClientRequest) => {
      if (settled) return;
      settled = true;
      req.destroy();
      if (outcome === 'error') result.connectionErrors += 1;
      else if (outcome === 'timeout') result.timedOut += 1;
      else {
        result.statuses[outcome] = (result.statuses[outcome] ?? 0) + 1;
        (result.latencyMs[outcome] ??= []).push(performance.now() - t0);
        if (outcome === '429' && !told429) {
          told429 = true;
          parentPort!.postMessage({ type: 'first429' });
        }
      }
      resolve();
    };
    const req = request({
      host: base.hostname,
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      path,
      localAddress: job.localAddress,
      agent: false,
      rejectUnauthorized: false,
      timeout: job.timeoutMs,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'ocpp2.0.1',
        authorization,
      },
    });
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      settle(String(res.statusCode ?? 0), req);
    });
    // Upgraded despite the wrong password: counted as "101", a failure of the scenario.
    req.on('upgrade', (res: IncomingMessage, socket) => {
      socket.destroy();
      settle(String(res.statusCode ?? 101), req);
    });
    req.on('timeout', () => settle('timeout', req));
    req.on('error', () => settle('error', req));
    req.end();
  });
}

async function run(): Promise<void> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < job.attempts) {
      const index = next++;
      result.attempts += 1;
      const wait = job.rate > 0 ? started + (index * 1000) / job.rate - performance.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await attempt();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(job.concurrency, job.attempts)) }, lane));
  result.durationMs = performance.now() - started;
  parentPort!.postMessage({ type: 'done', result });
}

void run();
