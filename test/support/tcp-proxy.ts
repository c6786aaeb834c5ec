// A TCP proxy between the server and PostgreSQL that a test can cut: `reset` closes every
// connection and refuses new ones (the database restarts or crashes), `blackhole` keeps connections
// open but forwards nothing and accepts new ones that never reach the database (a network cut).
import { connect, createServer, type Server, type Socket } from 'node:net';

export type CutMode = 'reset' | 'blackhole';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlThrough(url: string): string;
  cut(mode: CutMode): void;
  /** Forwards again; connections held during a black hole are closed (they were lost). */
  restore(): void;
  /** Client connections currently open through the proxy. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const pairs = new Set<Pair>();
  let mode: 'open' | CutMode = 'open';

  const forward = (pair: Pair) => {
    const upstream = connect(targetPort, target.hostname);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  };

  const server: Server = createServer((client) => {
    if (mode === 'reset') return void client.destroy();
    const pair: Pair = { client };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === 'blackhole') client.pause();
    else forward(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    urlThrough(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut(next) {
      mode = next;
      for (const pair of pairs) {
        if (next === 'reset') {
          pair.client.destroy();
          pair.upstream?.destroy();
        } else {
          pair.client.unpipe();
          pair.upstream?.unpipe();
          pair.client.pause();
          pair.upstream?.pause();
        }
      }
    },
    restore() {
      if (mode === 'blackhole') for (const pair of pairs) pair.client.destroy();
      mode = 'open';
    },
    get connections() {
      return pairs.size;
    },
    async close() {
      for (const pair of pairs) pair.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
