// Upgrade rate limit per client address: a token bucket of failed attempts (wrong password, unknown
// identity, refused certificate). While an address has no token left, its upgrades are answered 429
// before any database lookup or password hash, so a password-guessing flood costs almost nothing and
// does not slow other stations. Memory is bounded: at most `maxAddresses` buckets, oldest dropped.
import { isIPv6 } from 'node:net';

export interface RateLimitOptions {
  /** Failed attempts allowed in a row (0 turns the limit off). */
  burst: number;
  /** Tokens given back per minute. */
  refillPerMinute: number;
  maxAddresses?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface UpgradeRateLimiter {
  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterS(address: string | undefined): number;
  /** Counts a refused attempt against the address. */
  recordFailure(address: string | undefined): void;
  readonly trackedAddresses: number;
}

const DEFAULT_MAX_ADDRESSES = 10_000;

/** One key per IPv4 address and per IPv6 /64 (one customer's prefix); IPv4-mapped IPv6 as IPv4. */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export function createUpgradeRateLimiter(options: RateLimitOptions): UpgradeRateLimiter {
  const { burst, refillPerMinute } = options;
  const maxAddresses = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
  const now = options.now ?? Date.now;
  const perMs = refillPerMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  /** The bucket brought up to date; a full bucket is forgotten (it says nothing a fresh one would not). */
  const current = (key: string): Bucket | undefined => {
    const bucket = buckets.get(key);
    if (!bucket) return undefined;
    const t = now();
    bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.updatedAt) * perMs);
    bucket.updatedAt = t;
    if (bucket.tokens >= burst) {
      buckets.delete(key);
      return undefined;
    }
    return bucket;
  };

  return {
    retryAfterS(address) {
      if (burst <= 0) return 0;
      const bucket = current(addressKey(address));
      if (!bucket || bucket.tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    recordFailure(address) {
      if (burst <= 0) return;
      const key = addressKey(address);
      const bucket = current(key) ?? { tokens: burst, updatedAt: now() };
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      // Re-insert so the Map's order is least recently failed first; evict from the front.
      buckets.delete(key);
      buckets.set(key, bucket);
      while (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value!);
    },
    get trackedAddresses() {
      return buckets.size;
    },
  };
}
