// fast-check generators of hostile OCPP-J input: odd unicode (lone surrogates, RTL, zero-width,
// NUL), huge strings and numbers, deep nesting, prototype-pollution keys, wrong shapes and types,
// and valid station messages with one part broken. Used by the rpc-fuzz tests.
import fc from 'fast-check';
import { OCPP_ACTIONS } from '../../src/ocpp/generated/actions';

const ODD_CHARS = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202E', '\u202B', '\u200B', '\u200D', '\uFEFF', '\u2028', '\u0301', '"', '\\', '\n', '\u007F', '\u0085'];
export const ODD_STRINGS = [
  '', 'a\u0000b', '\uD83D', 'x\uDE00y', '\u202Eabc', '\u200B', '🔌⚡', 'e\u0301', '__proto__', 'constructor', 'prototype',
  'toString', 'hasOwnProperty', '-1', '\\u0000', "'; drop table stations; --", 'null', 'NaN', 'Infinity', ' ', '\t\r\n',
];
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf'];

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARS) },
);

const repeated = (min: number, max: number) =>
  fc.tuple(fc.constantFrom('x', '\u0000', 'é', '\uD800', '🔌'), fc.integer({ min, max })).map(([c, n]) => c.repeat(n));

/** Mostly short strings of odd characters; some just past the schema lengths; rarely up to 70,000 characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 70, arbitrary: fc.string({ unit, maxLength: 24 }) },
  { weight: 20, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 9, arbitrary: repeated(20, 600) },
  { weight: 1, arbitrary: repeated(10_000, 70_000) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e15, 1e15 + 2, 1e-7, Infinity, -Infinity, NaN),
  fc.integer(),
  fc.double(),
);

const key = fc.oneof({ weight: 3, arbitrary: fc.string({ unit, maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS) });

/** Any JSON-ish value of small depth with hostile leaves and keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    hostileString, hostileNumber, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const now = '2026-11-24T07:00:00.000Z';
/** One valid request of each station-initiated action the fuzzed routers answer. */
export const VALID_REQUESTS: Record<string, Record<string, unknown>> = {
  Heartbeat: {},
  BootNotification: { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } },
  StatusNotification: { timestamp: now, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  Authorize: { idToken: { idToken: 'TOKEN-1', type: 'ISO14443' } },
  MeterValues: { evseId: 1, meterValue: [{ timestamp: now, sampledValue: [{ value: 12.5, measurand: 'Energy.Active.Import.Register' }] }] },
  TransactionEvent: {
    eventType: 'Started', timestamp: now, triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: { transactionId: 'tx-1' }, evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'TOKEN-1', type: 'ISO14443' },
  },
  NotifyEvent: {
    generatedAt: now, seqNo: 0,
    eventData: [{ eventId: 1, timestamp: now, trigger: 'Alerting', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Problem' } }],
  },
  DataTransfer: { vendorId: 'Vendor', messageId: 'Msg', data: { a: [1, 'b'] } },
  SecurityEventNotification: { type: 'FirmwareUpdated', timestamp: now },
  FirmwareStatusNotification: { status: 'Installed', requestId: 1 },
  NotifyReport: { requestId: 1, generatedAt: now, seqNo: 0, tbc: false },
};

type Path = Array<string | number>;

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

/** A deep copy of `value` with the node at path index `pick` replaced, deleted, or given an extra key. */
function mutate(value: unknown, pick: number, how: 'replace' | 'delete' | 'add', extraKey: string, replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const all = paths(copy);
  const path = all[pick % all.length]!;
  if (path.length === 0) return how === 'replace' ? replacement : copy;
  const parent = path.slice(0, -1).reduce<any>((node, k) => node[k], copy);
  const last = path.at(-1)!;
  if (how === 'replace') parent[last] = replacement;
  else if (how === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
    Object.defineProperty(parent[last], extraKey, { value: replacement, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** A valid request of `action` with one part broken (or none). */
export const brokenRequest = (action: string): fc.Arbitrary<unknown> =>
  fc.tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'add', 'keep') as fc.Arbitrary<'replace' | 'delete' | 'add' | 'keep'>, key, hostileJson)
    .map(([pick, how, extra, replacement]) =>
      how === 'keep' ? VALID_REQUESTS[action] : mutate(VALID_REQUESTS[action], pick, how, extra, replacement));

const anyAction = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.keys(VALID_REQUESTS)) },
  { weight: 2, arbitrary: fc.constantFrom(...OCPP_ACTIONS) },
  { weight: 1, arbitrary: fc.constantFrom('heartbeat', 'HeartbeatRequest', 'StartTransaction', 'Heartbeat-Signed', ' Heartbeat', ...POLLUTION_KEYS) },
  { weight: 1, arbitrary: hostileString },
);

/** A CALL whose action, id and payload are mostly plausible: exercises validation and dispatch. */
export const plausibleCall: fc.Arbitrary<unknown[]> = fc
  .tuple(anyAction, fc.oneof({ weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 36 }) }, { weight: 1, arbitrary: hostileString }))
  .chain(([action, id]) =>
    (action in VALID_REQUESTS && Object.hasOwn(VALID_REQUESTS, action) ? brokenRequest(action) : hostileJson).map((payload) => [2, id, action, payload]));

const messageType = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(2, 3, 4) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 5, 6, -2, 2.5, 1e400) }, { weight: 1, arbitrary: hostileJson });

/** Arrays of the right and wrong lengths, with plausible and hostile elements in every position. */
export const shapedFrame: fc.Arbitrary<unknown[]> = fc
  .tuple(messageType, fc.oneof(fc.string({ minLength: 1, maxLength: 36 }), hostileJson), fc.array(hostileJson, { maxLength: 4 }))
  .map(([type, id, rest]) => [type, id, ...rest]);

/** Texts that are not JSON, JSON that is not an array, literal edge cases, and deep nesting. */
export const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit, maxLength: 60 }),
  hostileJson.map((v) => JSON.stringify(v) ?? 'undefined'),
  fc.constantFrom(
    '', '[', ']', '[]', '{}', 'null', '2', '"[2]"', '[2,"a","Heartbeat",{}', '[2,"a","Heartbeat",{}]]', '\uFEFF[2,"a","Heartbeat",{}]',
    '[2,"big","Heartbeat",{"n":1e400}]', '[2e0,"e0","Heartbeat",{}]', '[3e0,"e0",{}]', '[2,"int","MeterValues",{"evseId":123456789012345678901234567890,"meterValue":[]}]',
    '[2,"dup","Heartbeat",{"a":1,"a":2}]', '[2,"proto","Heartbeat",{"__proto__":{"polluted":true}}]', '[4,"x","GenericError","d",{}]',
  ),
  fc.tuple(fc.constantFrom('[', '{"a":', '[2,"deep","DataTransfer",{"vendorId":"V","data":', '[3,"deep-answer",{"a":'), fc.integer({ min: 1, max: 20_000 }))
    .map(([open, depth]) => `${open}${'['.repeat(depth)}${']'.repeat(depth)}${open.startsWith('[') && open.length > 1 ? '}]' : open === '[' ? ']' : '}'}`),
);

/** Every kind of frame text, structured ones serialised as a station would. */
export const anyFrameText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: plausibleCall.map((f) => JSON.stringify(f)) },
  { weight: 2, arbitrary: shapedFrame.map((f) => JSON.stringify(f)) },
  { weight: 2, arbitrary: rawText },
);

// ---- schema-valid but odd: what reaches the real handlers and the database ----------------------
const oddText = (max: number) => fc.string({ unit, minLength: 1, maxLength: max }).filter((s) => !s.includes('\u0000'));
const oddTime = fc.constantFrom('0001-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2016-12-31T23:59:60Z',
  '2026-11-24T07:00:00+14:00', '2026-11-24T07:00:00.123456789Z', '2026-11-24t07:00:00z', now);
const oddDecimal = fc.oneof(fc.constantFrom(0, -0, 1e15, -1e15, 0.1, 1e-300), fc.double({ min: -1e15, max: 1e15, noNaN: true }));
const oddId = fc.constantFrom(0, 1, 2, 2147483647);
const token = oddText(36).map((idToken) => ({ idToken, type: 'ISO14443' }));
const meterValue = fc.record({ timestamp: oddTime, sampledValue: fc.array(oddDecimal.map((value) => ({ value })), { minLength: 1, maxLength: 3 }) });

/** Requests that mostly pass the schema but carry odd text, times, numbers and ids. */
export const oddValidCall: fc.Arbitrary<unknown[]> = fc.oneof(
  fc.record({ model: oddText(20), vendorName: oddText(50), serialNumber: oddText(25) })
    .map((cs) => ['BootNotification', { reason: 'PowerUp', chargingStation: cs }]),
  token.map((idToken) => ['Authorize', { idToken }]),
  fc.record({ vendorId: oddText(255), messageId: oddText(50), data: hostileJson }).map((p) => ['DataTransfer', p]),
  fc.record({
    eventType: fc.constantFrom('Started', 'Updated', 'Ended'), timestamp: oddTime, triggerReason: fc.constantFrom('Authorized', 'MeterValuePeriodic', 'StopAuthorized'),
    seqNo: oddId, transactionInfo: oddText(36).map((transactionId) => ({ transactionId })), evse: oddId.map((id) => ({ id, connectorId: 1 })),
    idToken: token, meterValue: fc.array(meterValue, { minLength: 1, maxLength: 2 }),
  }).map((p) => ['TransactionEvent', p]),
  fc.record({ timestamp: oddTime, connectorStatus: fc.constantFrom('Available', 'Faulted'), evseId: oddId, connectorId: oddId }).map((p) => ['StatusNotification', p]),
  fc.record({ evseId: oddId, meterValue: fc.array(meterValue, { minLength: 1, maxLength: 2 }) }).map((p) => ['MeterValues', p]),
  fc.record({ type: oddText(50), timestamp: oddTime, techInfo: oddText(255) }).map((p) => ['SecurityEventNotification', p]),
  fc.record({ actualValue: oddText(2500), component: oddText(50), variable: oddText(50), timestamp: oddTime }).map(({ actualValue, component, variable, timestamp }) => ['NotifyEvent', {
    generatedAt: timestamp, seqNo: 0,
    eventData: [{ eventId: 1, timestamp, trigger: 'Alerting', actualValue, eventNotificationType: 'HardWiredNotification', component: { name: component }, variable: { name: variable } }],
  }]),
).chain(([action, payload]) => fc.string({ minLength: 1, maxLength: 36 }).map((id) => [2, id, action, payload]));
