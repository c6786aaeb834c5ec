// Subscription latency: M graphql-ws subscribers on meterValuesReceived of one station, which
// sends MeterValues at a rate; latency is from sending the MeterValues to each delivery.
import type { Worker } from 'node:worker_threads';
import { tsWorker } from './ts-worker';
import WebSocket from 'ws';
import { LatencyBook, nowMs } from './latency';

export interface SubscriptionResult {
  latencies: Record<string, Float64Array>;
  subscribers: number;
  events: number;
  expected: number;
  delivered: number;
  lost: number;
  errors: Record<string, number>;
}

function stationSocket(url: string, id: string, password: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${encodeURIComponent(id)}`, 'ocpp2.0.1', {
      perMessageDeflate: false,
      headers: { authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, res) => reject(new Error(`station upgrade refused: HTTP ${res.statusCode}`)));
  });
}

function callOnce(ws: WebSocket, id: string, action: string, payload: unknown): Promise<unknown[]> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      if (frame[0] === 2) ws.send(JSON.stringify([4, frame[1], 'NotImplemented', '', {}]));
      else if (frame[1] === id) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify([2, id, action, payload]));
  });
}

export async function runSubscriptions(options: {
  ocppUrl: string; graphqlWsUrl: string; key: string; station: { id: string; password: string };
  subscribers: number; rate: number; durationMs: number; workers: number; graceMs: number;
}): Promise<SubscriptionResult> {
  const errors: Record<string, number> = {};
  const ws = await stationSocket(options.ocppUrl, options.station.id, options.station.password);
  await callOnce(ws, 'boot', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'BenchStation', vendorName: 'Chargegraph' } });
  const per = Math.ceil(options.subscribers / options.workers);
  const counts = Array.from({ length: options.workers }, (_, i) => Math.max(0, Math.min(per, options.subscribers - i * per))).filter((n) => n > 0);
  const workers = counts.map(
    (count) => tsWorker(new URL('./subscriber-worker.ts', import.meta.url), {
      workerData: { wsUrl: options.graphqlWsUrl, key: options.key, stationId: options.station.id, count },
    }),
  );
  const next = (w: Worker) => new Promise<any>((resolve) => w.once('message', resolve));
  const ready = await Promise.all(workers.map(next));
  const subscribed = ready.reduce((n, r) => n + r.connected - r.failures, 0);
  if (subscribed < options.subscribers) errors.subscribeFailed = options.subscribers - subscribed;
  await new Promise((r) => setTimeout(r, 1000)); // let the last subscriptions register
  const sentAt = new Map<number, number>();
  const total = Math.max(1, Math.round((options.durationMs / 1000) * options.rate));
  for (let seq = 1; seq <= total; seq++) {
    const at = nowMs();
    sentAt.set(seq, at);
    const payload = { evseId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: seq, measurand: 'Energy.Active.Import.Register' }] }] };
    const answer = await callOnce(ws, `mv${seq}`, 'MeterValues', payload);
    if (answer[0] !== 3) errors[`MeterValues:${answer[2]}`] = (errors[`MeterValues:${answer[2]}`] ?? 0) + 1;
    const wait = seq * (1000 / options.rate) - (nowMs() - sentAt.get(1)!);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, options.graceMs));
  const reports = await Promise.all(workers.map((w) => { const r = next(w); w.postMessage({ kind: 'report' }); return r; }));
  await Promise.all(workers.map((w) => w.terminate()));
  ws.close();
  const book = new LatencyBook();
  let delivered = 0;
  for (const r of reports) {
    for (let i = 0; i < r.seqs.length; i++) {
      const sent = sentAt.get(r.seqs[i]);
      if (sent === undefined) continue;
      delivered += 1;
      book.add('meterValuesReceived', r.times[i] - sent);
    }
  }
  const expected = total * subscribed;
  return { latencies: book.export(), subscribers: subscribed, events: total, expected, delivered, lost: expected - delivered, errors };
}
