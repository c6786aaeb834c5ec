// The one structured logger. Secrets are redacted by path as a second line of defence;
// code must still never pass a password, key or token to the logger.
import { pino, type Logger } from 'pino';

export type Log = Logger;

export function createLog(level: string): Log {
  return pino({
    level,
    base: { service: 'chargegraph' },
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'key', '*.key'],
      censor: '[redacted]',
    },
  });
}
