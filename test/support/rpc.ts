// Raw OCPP-J exchanges for RPC tests: send a frame as-is, read what the CSMS answers, and check
// that every CALLERROR is well-formed (Part 4 §4.2.3, SPEC-NOTES §1.6).
import assert from 'node:assert/strict';
import type { SimulatedStation } from '../../src/cli/simulator/station';

export type Frame = unknown[];

/** Sends `frame` (verbatim when a string) and resolves with the next frame the CSMS sends. */
export async function exchange(station: SimulatedStation, frame: string | Frame, timeoutMs = 2000): Promise<Frame> {
  const reply = station.nextFrame(timeoutMs);
  station.sendRaw(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return reply;
}

/** Resolves with the next `count` frames the CSMS sends, in arrival order. */
export function collectFrames(station: SimulatedStation, count: number, timeoutMs = 2000): Promise<Frame[]> {
  return new Promise((resolve, reject) => {
    const frames: Frame[] = [];
    const onFrame = (frame: Frame) => {
      frames.push(frame);
      if (frames.length === count) done(() => resolve(frames));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`got ${frames.length} of ${count} frames: ${JSON.stringify(frames)}`))),
      timeoutMs,
    );
    const done = (finish: () => void) => {
      clearTimeout(timer);
      station.off('frame', onFrame);
      finish();
    };
    station.on('frame', onFrame);
  });
}

/** Fails if the CSMS sends any frame within `ms`. */
export async function assertSilence(station: SimulatedStation, ms = 300): Promise<void> {
  const frame = await station.nextFrame(ms).catch(() => undefined);
  assert.equal(frame, undefined, `expected no frame, got ${JSON.stringify(frame)}`);
}

/** A well-formed CALLERROR with this id and code: 5 elements, description ≤ 255, details an object. */
export function assertCallError(frame: Frame, id: string, code: string): void {
  assert.equal(frame[0], 4, `expected a CALLERROR, got ${JSON.stringify(frame).slice(0, 300)}`);
  assert.equal(frame.length, 5, 'a CALLERROR has exactly 5 elements');
  assert.equal(frame[1], id, 'CALLERROR id');
  assert.equal(frame[2], code, `error code (description: ${String(frame[3])})`);
  assert.equal(typeof frame[3], 'string', 'errorDescription is a string');
  assert.ok((frame[3] as string).length <= 255, 'errorDescription is at most 255 characters');
  const details = frame[4];
  assert.ok(typeof details === 'object' && details !== null && !Array.isArray(details), 'errorDetails is an object');
}

export function assertCallResult(frame: Frame, id: string): Record<string, unknown> {
  assert.equal(frame[0], 3, `expected a CALLRESULT, got ${JSON.stringify(frame).slice(0, 300)}`);
  assert.equal(frame.length, 3);
  assert.equal(frame[1], id);
  return frame[2] as Record<string, unknown>;
}

// Payloads that are valid as they stand; tests break exactly one thing in a copy.
export const now = () => new Date().toISOString();

export const validStatusNotification = () => ({
  timestamp: now(),
  connectorStatus: 'Available',
  evseId: 1,
  connectorId: 1,
});

export const validNotifyEvent = () => ({
  generatedAt: now(),
  seqNo: 0,
  eventData: [
    {
      eventId: 1,
      timestamp: now(),
      trigger: 'Alerting',
      actualValue: 'true',
      eventNotificationType: 'HardWiredNotification',
      component: { name: 'EVSE', evse: { id: 1 } },
      variable: { name: 'Problem' },
    },
  ],
});

export const validBoot = () => ({ reason: 'PowerUp', chargingStation: { model: 'M1', vendorName: 'V1' } });

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
