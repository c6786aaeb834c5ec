// Checks on metering data that the JSON schema cannot express, run before anything is written,
// so a bad value gets a clean CALLERROR instead of a database error (issue 3 §3).
import { checkTimestamp } from '../../ocpp/rpc/date-time';
import { OcppError } from '../../ocpp/rpc/errors';
import type { MeterValueType } from '../../ocpp/generated/types';

/** |value × 10^multiplier| above this is not a meter reading (also keeps kWh→Wh and sums finite). */
export const MAX_SCALED_VALUE = 1e18;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const violation = (message: string, path: string) => new OcppError('PropertyConstraintViolation', `${path} ${message}`, { path });


export function checkNonNegative(value: number | undefined, path: string): void {
  if (value !== undefined && value < 0) throw violation('must not be negative', path);
}

/** Strings that PostgreSQL cannot store (lone UTF-16 surrogates; NUL is refused by the validator). */
export function checkStrings(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw violation('contains an invalid Unicode character', path);
  } else if (Array.isArray(value)) value.forEach((v, i) => checkStrings(v, `${path}/${i}`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkStrings(v, `${path}/${k}`);
}

/** J01–J03: every sampled value finite and sane after its multiplier; every timestamp storable. */
export function checkMeterValues(meterValues: MeterValueType[] | undefined, path: string): void {
  (meterValues ?? []).forEach((meterValue, i) => {
    const at = `${path}/${i}`;
    checkTimestamp(meterValue.timestamp, `${at}/timestamp`);
    meterValue.sampledValue.forEach((s, j) => {
      const scaled = s.value * 10 ** (s.unitOfMeasure?.multiplier ?? 0);
      if (!Number.isFinite(s.value) || !Number.isFinite(scaled) || Math.abs(scaled) > MAX_SCALED_VALUE) {
        throw violation(`value × 10^multiplier must be finite and within ±${MAX_SCALED_VALUE}`, `${at}/sampledValue/${j}`);
      }
    });
    checkStrings(meterValue.sampledValue, `${at}/sampledValue`);
  });
}
