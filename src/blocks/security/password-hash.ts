// Station Basic-auth passwords are kept only as salted hashes (A01.FR.08). They are machine
// generated with high entropy, so a cheap scrypt keeps a flood of wrong guesses from costing CPU.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 1024;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Verified credentials, so a reconnect storm does not pay scrypt per station again: keyed by the
 * stored hash (a new password has a new hash), holding HMAC-SHA256 under a per-process random key
 * of the password, never the password itself. Bounded; the oldest entry goes first.
 */
const VERIFIED_MAX = 100_000;
const verifiedKey = randomBytes(32);
const verified = new Map<string, Buffer>();
const tagOf = (password: string, stored: string) =>
  createHmac('sha256', verifiedKey).update(stored).update('\0').update(password.normalize('NFC')).digest();

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const known = verified.get(stored);
  if (known && timingSafeEqual(known, tagOf(password, stored))) return true;
  const [scheme, , saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await derive(password, Buffer.from(saltB64, 'base64'));
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(stored, tagOf(password, stored));
  }
  return ok;
}

/** A00.FR.205 (errata 2025-01): 16 to 64 characters, any UTF-8. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < 16 || length > 64) return 'password must be 16 to 64 characters long';
  return undefined;
}
