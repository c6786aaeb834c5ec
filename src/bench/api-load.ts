// Load through the GraphQL API: provisioning stations in batches of createStation mutations and
// command round trips (getVariables → the station → the payload) at a fixed rate.
import { LatencyBook } from './latency';

export interface Api {
  httpUrl: string;
  key: string;
}

async function post(api: Api, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${api.httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
  if (res.status !== 200 || body.errors?.length) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return body.data;
}

const BATCH = 100;
const PARALLEL = 4;

/** Creates the stations through the API (createStation, BATCH aliases per request). */
export async function provisionStations(api: Api, stations: Array<{ id: string; password: string }>): Promise<void> {
  const batches: Array<typeof stations> = [];
  for (let i = 0; i < stations.length; i += BATCH) batches.push(stations.slice(i, i + BATCH));
  let next = 0;
  const runner = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const vars = batch.map((_, i) => `$s${i}: CreateStationInput!`).join(', ');
      const fields = batch.map((_, i) => `s${i}: createStation(input: $s${i}) { station { id } }`).join('\n');
      const variables = Object.fromEntries(batch.map((s, i) => [`s${i}`, { id: s.id, password: s.password }]));
      await post(api, `mutation Provision(${vars}) {\n${fields}\n}`, variables);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, runner));
}

const GET_VARIABLES = `mutation BenchGetVariables($stationId: ID!) {
  getVariables(stationId: $stationId, input: { getVariableData: [{ component: { name: "OCPPCommCtrlr" }, variable: { name: "HeartbeatInterval" } }] }) {
    getVariableResult { attributeStatus attributeValue }
    error { code message }
  }
}`;

export interface CommandResult {
  latencies: Record<string, Float64Array>;
  sent: number;
  ok: number;
  errors: Record<string, number>;
  lost: number;
}

/** Open loop: a getVariables every 1/rate s to the next station, whatever the previous ones do. */
export async function runCommands(api: Api, stationIds: string[], rate: number, durationMs: number, graceMs: number): Promise<CommandResult> {
  const book = new LatencyBook();
  const errors: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let settled = 0;
  const one = async (stationId: string) => {
    const t0 = performance.now();
    try {
      const data = await post(api, GET_VARIABLES, { stationId });
      const payload = data.getVariables;
      if (payload.error) errors[payload.error.code] = (errors[payload.error.code] ?? 0) + 1;
      else if (payload.getVariableResult?.[0]?.attributeStatus !== 'Accepted') errors.unexpected = (errors.unexpected ?? 0) + 1;
      else {
        ok += 1;
        book.add('getVariables', performance.now() - t0);
      }
    } catch (err) {
      const key = (err as Error).message.slice(0, 40);
      errors[key] = (errors[key] ?? 0) + 1;
    } finally {
      settled += 1;
    }
  };
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(Math.floor(((performance.now() - start) / 1000) * rate), Math.floor((durationMs / 1000) * rate));
      while (sent < due) void one(stationIds[sent++ % stationIds.length]!);
      if (performance.now() - start >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const stoppedAt = performance.now();
  while (settled < sent && performance.now() - stoppedAt < graceMs) await new Promise((r) => setTimeout(r, 50));
  return { latencies: book.export(), sent, ok, errors, lost: sent - settled };
}
