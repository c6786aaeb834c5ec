// A thread of graphql-ws clients subscribed to meterValuesReceived of one station; records when
// each event (identified by its sampled value) arrived at each subscriber.
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { nowMs } from './latency';

const { wsUrl, key, stationId, count } = workerData as { wsUrl: string; key: string; stationId: string; count: number };
const QUERY = `subscription BenchMeterValues($stationId: ID) {
  meterValuesReceived(stationId: $stationId) { stationId evseId sampledValues { value measurand } }
}`;

const seqs: number[] = [];
const times: number[] = [];
let failures = 0;
const clients: Client[] = [];
const disposers: Array<() => void> = [];

let connected = 0;
await new Promise<void>((resolve) => {
  const done = () => {
    if (connected + failures === count) resolve();
  };
  for (let i = 0; i < count; i++) {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => {
          connected += 1;
          done();
        },
        closed: () => {},
      },
    });
    clients.push(client);
    disposers.push(
      client.subscribe<{ meterValuesReceived: { sampledValues: Array<{ value: number }> } }>(
        { query: QUERY, variables: { stationId } },
        {
          next: (result) => {
            const value = result.data?.meterValuesReceived.sampledValues[0]?.value;
            if (value === undefined) return;
            seqs.push(value);
            times.push(nowMs());
          },
          error: () => {
            failures += 1;
            done();
          },
          complete: () => {},
        },
      ),
    );
  }
  if (count === 0) resolve();
});
parentPort!.postMessage({ kind: 'ready', connected, failures });

parentPort!.on('message', async (m: { kind: 'report' }) => {
  if (m.kind !== 'report') return;
  for (const dispose of disposers) dispose();
  await Promise.all(clients.map((c) => c.dispose()));
  parentPort!.postMessage({ kind: 'report', seqs: Float64Array.from(seqs), times: Float64Array.from(times), failures });
});
