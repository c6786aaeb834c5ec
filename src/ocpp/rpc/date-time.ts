// OCPP dateTime values (RFC 3339) as Dates the database can hold. The schema checks the syntax;
// what it cannot express is checked here, before anything is written, so a station gets a clean
// CALLERROR instead of an InternalError from the database.
import { OcppError } from './errors';

const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A date-time as a Date; a leap second (…:60) counts as the next second. NaN when unreadable. */
export function parseOcppTime(text: string): Date {
  const ms = Date.parse(text);
  if (!Number.isNaN(ms)) return new Date(ms);
  const leap = /^(.*T\d\d:\d\d:)60(\.\d+)?(.*)$/i.exec(text);
  return new Date(leap ? Date.parse(`${leap[1]}59${leap[2] ?? ''}${leap[3]}`) + 1000 : NaN);
}

/** A storable date-time: readable (else FormatViolation) and within years 1–9999 (else PropertyConstraintViolation). */
export function checkTimestamp(text: string, path: string): Date {
  const date = parseOcppTime(text);
  if (Number.isNaN(date.getTime())) throw new OcppError('FormatViolation', `${path} is not a valid date-time`, { path });
  if (date.getTime() < EARLIEST || date.getTime() > LATEST) {
    throw new OcppError('PropertyConstraintViolation', `${path} is outside years 1–9999`, { path });
  }
  return date;
}
