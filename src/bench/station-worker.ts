// A load generator thread: holds a share of the benchmark stations on real websockets, boots
// them, drives the message mix at a rate (or as fast as answers come) and answers the CSMS's calls.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { LatencyBook, nowMs } from './latency';
import { bootNotification, decodeFrame, replyToCsmsCall, heartbeat, newScriptState, nextMessage, type OutgoingMessage, type ScriptState } from './station-script';
import type { ConnectResult, LoadResult, WorkerRequest } from './worker-protocol';

interface Station {
  id: string;
  password: string;
  ws?: WebSocket;
  script: ScriptState;
  nextId: number;
  pending?: { id: string; action: string; t0: number };
  accepted: boolean;
}

const { compress } = workerData as { compress: boolean };
const stations: Station[] = [];
let onAnswer: (st: Station, action: string, ms: number, error: string | undefined, payload: any) => void = () => {};
let disconnects = 0;
let csmsCalls = 0;
/** CALLs whose socket closed before the answer came. */
let droppedByClose = 0;

function send(st: Station, message: OutgoingMessage): void {
  const id = String(++st.nextId);
  st.pending = { id, action: message.action, t0: performance.now() };
  st.ws!.send(JSON.stringify([2, id, message.action, message.payload]));
}

function onFrame(st: Station, raw: string): void {
  const frame = decodeFrame(raw);
  if (!frame) return;
  if (frame[0] === 2) {
    csmsCalls += 1;
    st.ws?.send(replyToCsmsCall(frame, st.script));
    return;
  }
  const p = st.pending;
  if (!p || frame[1] !== p.id) return;
  st.pending = undefined;
  onAnswer(st, p.action, performance.now() - p.t0, frame[0] === 4 ? String(frame[2]) : undefined, frame[2]);
}

function connectAll(url: string, list: Array<{ id: string; password: string }>, startAt: number, timeoutMs: number): Promise<ConnectResult> {
  const result: ConnectResult = { accepted: 0, notAccepted: {}, refused: {}, failed: {}, timedOut: 0, bootMs: new Float64Array(0), lastAcceptedAt: 0 };
  const bootMs: number[] = [];
  let remaining = list.length;
  return new Promise((resolve) => {
    const done = () => {
      if (--remaining === 0) finish();
    };
    const countFailure = (cause: string) => {
      result.failed[cause] = (result.failed[cause] ?? 0) + 1;
    };
    const timer = setTimeout(() => {
      result.timedOut = remaining;
      remaining = 0;
      finish();
    }, timeoutMs);
    function finish() {
      clearTimeout(timer);
      result.bootMs = Float64Array.from(bootMs);
      onAnswer = () => {};
      resolve(result);
    }
    if (remaining === 0) return finish();
    const byStation = new Map<Station, boolean>();
    onAnswer = (st, action, _ms, error, payload) => {
      if (action !== 'BootNotification' || byStation.get(st)) return;
      byStation.set(st, true);
      if (error === 'closed') {
        countFailure('closed');
      } else if (!error && payload?.status === 'Accepted') {
        st.accepted = true;
        result.accepted += 1;
        result.lastAcceptedAt = nowMs();
        bootMs.push(result.lastAcceptedAt - startAt);
      } else {
        const key = error ?? String(payload?.status);
        result.notAccepted[key] = (result.notAccepted[key] ?? 0) + 1;
      }
      done();
    };
    for (const { id, password } of list) {
      const st: Station = { id, password, script: newScriptState(stations.length), nextId: 0, accepted: false };
      stations.push(st);
      const ws = new WebSocket(`${url.replace(/\/$/, '')}/${encodeURIComponent(id)}`, 'ocpp2.0.1', {
        perMessageDeflate: compress,
        headers: { authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` },
        handshakeTimeout: timeoutMs,
      });
      st.ws = ws;
      let settled = false;
      ws.on('open', () => send(st, bootNotification()));
      ws.on('message', (data) => onFrame(st, data.toString()));
      ws.on('unexpected-response', (_req, res) => {
        settled = true;
        result.refused[res.statusCode ?? 0] = (result.refused[res.statusCode ?? 0] ?? 0) + 1;
        ws.terminate();
        done();
      });
      ws.on('error', (err: Error & { code?: string }) => {
        if (settled || ws.readyState === ws.OPEN) return;
        settled = true;
        countFailure(err.code ?? err.message.slice(0, 60));
        done();
      });
      ws.on('close', () => {
        if (st.accepted) disconnects += 1;
        st.accepted = false;
        const p = st.pending;
        st.pending = undefined;
        if (p) {
          droppedByClose += 1;
          onAnswer(st, p.action, performance.now() - p.t0, 'closed', undefined);
        }
      });
    }
  });
}

function runLoad(mode: 'mix' | 'heartbeat', rate: number, durationMs: number, graceMs: number, runId: string): Promise<LoadResult> {
  const book = new LatencyBook();
  const errors: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let stopping = false;
  const live = stations.filter((s) => s.accepted && s.ws?.readyState === WebSocket.OPEN && !s.pending);
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const disconnectsBefore = disconnects;
  const next = (st: Station) => (mode === 'mix' ? nextMessage(st.id, st.script, runId) : heartbeat());
  const fire = (st: Station) => {
    if (stopping || st.pending || st.ws?.readyState !== WebSocket.OPEN) return false;
    send(st, next(st));
    sent += 1;
    return true;
  };
  const droppedBefore = droppedByClose;
  onAnswer = (st, action, ms, error) => {
    if (error === 'closed') return; // counted as lost below
    answered += 1;
    book.add(action, ms);
    if (error) errors[`${action}:${error}`] = (errors[`${action}:${error}`] ?? 0) + 1;
    if (rate === 0) fire(st);
  };
  return new Promise((resolve) => {
    let ticker: NodeJS.Timeout | undefined;
    if (rate === 0) for (const st of live) fire(st);
    else {
      let cursor = 0;
      let tokens = 0;
      let last = performance.now();
      ticker = setInterval(() => {
        const now = performance.now();
        tokens = Math.min(tokens + ((now - last) / 1000) * rate, Math.max(1, rate * 0.05));
        last = now;
        let scanned = 0;
        while (tokens >= 1 && scanned < live.length) {
          const st = live[cursor]!;
          cursor = (cursor + 1) % live.length;
          scanned += 1;
          if (fire(st)) {
            tokens -= 1;
            scanned = 0;
          }
        }
      }, 5);
    }
    setTimeout(() => {
      stopping = true;
      if (ticker) clearInterval(ticker);
      const stoppedAt = performance.now();
      const waitForAnswers = setInterval(() => {
        const inFlight = live.filter((s) => s.pending).length;
        if (inFlight > 0 && performance.now() - stoppedAt < graceMs) return;
        clearInterval(waitForAnswers);
        for (const s of live) s.pending = undefined;
        onAnswer = () => {};
        loopDelay.disable();
        resolve({
          latencies: book.export(), sent, answered, errors, lost: inFlight + droppedByClose - droppedBefore, stations: live.length,
          disconnects: disconnects - disconnectsBefore, csmsCalls,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6,
        });
      }, 50);
    }, durationMs);
  });
}

parentPort!.on('message', async (request: WorkerRequest) => {
  let result: unknown;
  if (request.op === 'connect') result = await connectAll(request.url, request.stations, request.startAt, request.timeoutMs);
  else if (request.op === 'load') result = await runLoad(request.mode, request.rate, request.durationMs, request.graceMs, request.runId);
  else {
    for (const st of stations.splice(0)) st.ws?.terminate();
    result = { closed: true };
  }
  parentPort!.postMessage({ requestId: request.requestId, result });
});
