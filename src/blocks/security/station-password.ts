// Station Basic-auth passwords: generating a new one (A01.FR.06/07, A00.FR.205) and checking a
// login against the current hash and the hashes whose rotation outcome is still open (A01 [BP]).
import { randomInt } from 'node:crypto';
import { promotePendingPassword } from '../../db/queries/station-security';
import type { StationRow } from '../../db/queries/stations';
import type { Services } from '../services';
import { verifyPassword } from './password-hash';

/**
 * The original OCPP passwordString characters without ':' (errata 2025-01 allows any UTF-8, but
 * older stations and Basic-auth parsers cope best with these): 70 symbols, ~6.1 bits each.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_=+|@.';

export const MIN_PASSWORD_LENGTH = 16;
export const MAX_PASSWORD_LENGTH = 64;

/** A01.FR.07: a fresh random password from the CSPRNG, unbiased per character. */
export function generateStationPassword(length: number): string {
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new RangeError(`password length must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH}`);
  }
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

/** The configured length, capped by the BasicAuthPassword maxLimit the station reported (A00.FR.205). */
export function passwordLength(configured: number, reportedMaxLimit: number | undefined): number {
  if (reportedMaxLimit === undefined || reportedMaxLimit < MIN_PASSWORD_LENGTH) return configured;
  return Math.min(configured, reportedMaxLimit);
}

/**
 * Whether `password` is valid for the station. A match with a pending password (sent while the
 * outcome was open) is the station's first login with it: it becomes the only password (A01 [BP]).
 */
export async function checkStationPassword(
  services: Pick<Services, 'db' | 'log'>, station: StationRow, password: string,
): Promise<boolean> {
  if (station.passwordHash && (await verifyPassword(password, station.passwordHash))) return true;
  for (const hash of station.pendingPasswordHashes ?? []) {
    if (!(await verifyPassword(password, hash))) continue;
    // False when a rotation the station confirmed meanwhile retired this password.
    const promoted = await promotePendingPassword(services.db, station.id, hash);
    if (promoted) services.log.info({ stationId: station.id }, 'station logged in with its new password; the old one is retired');
    return promoted;
  }
  return false;
}
