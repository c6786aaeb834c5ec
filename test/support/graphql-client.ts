// A small GraphQL client for tests: `gql` over HTTP (status + parsed body) and `subscribe` over
// graphql-ws (pull results one at a time with a timeout; see the close code when refused).
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GqlError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlBody<T = any> {
  data?: T;
  errors?: GqlError[];
}

export interface GqlResponse<T = any> {
  status: number;
  body: GqlBody<T>;
}

export interface GqlOptions {
  headers?: Record<string, string>;
  /** Send this string as the body instead of the JSON of { query, variables }. */
  rawBody?: string;
}

export async function gql<T = any>(
  httpUrl: string,
  key: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
  options: GqlOptions = {},
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${httpUrl}/graphql`, {
    method: 'POST',
    headers,
    body: options.rawBody ?? JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: GqlBody<T>;
  try {
    body = JSON.parse(text) as GqlBody<T>;
  } catch {
    body = { errors: [{ message: `non-JSON body: ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, body };
}

/** Like gql, but fails unless HTTP 200 without errors; returns `data`. */
export async function gqlData<T = any>(
  httpUrl: string,
  key: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const { status, body } = await gql<T>(httpUrl, key, query, variables);
  if (status !== 200 || body.errors?.length || body.data === undefined) {
    throw new Error(`GraphQL request failed (HTTP ${status}): ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** What a subscription delivered: a result, the errors the server refused it with, or the socket's close. */
export type SubscriptionItem<T> =
  | { kind: 'next'; data?: T; errors?: GqlError[] }
  | { kind: 'error'; errors: GqlError[] }
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'complete' };

export interface TestSubscription<T = any> {
  /** The next item, or a rejection after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SubscriptionItem<T>>;
  /** The data of the next result; fails on anything else. */
  nextData(timeoutMs?: number): Promise<T>;
  /** Resolves when nothing arrives within `ms`; rejects with what arrived otherwise. */
  expectNothing(ms?: number): Promise<void>;
  /** Settles with the close code of the socket once it closed. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

export interface TestClient {
  /** Starts one operation (subscription, query or mutation) on this connection. */
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): TestSubscription<T>;
  /** Settles with the close code of the socket once it closed. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

/** One graphql-ws connection (opened on the first operation) that can carry many operations. */
export function openClient(httpUrl: string, key: string | undefined): TestClient {
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key === undefined ? {} : { authorization: `Bearer ${key}` },
    lazy: true,
    retryAttempts: 0,
    on: { closed: (event) => resolveClosed((event as { code?: number }).code ?? -1) },
  });
  return {
    subscribe: (query, variables) => operation(client, closed, query, variables),
    closed,
    dispose: () => Promise.resolve(client.dispose()),
  };
}

function operation<T>(client: Client, closed: Promise<number>, query: string, variables?: Record<string, unknown>): TestSubscription<T> {
  const items: Array<SubscriptionItem<T>> = [];
  const waiters: Array<(item: SubscriptionItem<T>) => void> = [];
  const push = (item: SubscriptionItem<T>) => {
    const waiter = waiters.shift();
    if (waiter) waiter(item);
    else items.push(item);
  };
  const unsubscribe = client.subscribe<T>(
    { query, ...(variables && { variables }) },
    {
      next: (result) => push({ kind: 'next', ...(result as { data?: T; errors?: GqlError[] }) }),
      error: (err) => {
        if (Array.isArray(err)) push({ kind: 'error', errors: err as GqlError[] });
        else {
          const e = err as { code?: number; reason?: string; message?: string };
          if (typeof e.code === 'number') push({ kind: 'closed', code: e.code, reason: e.reason ?? '' });
          else push({ kind: 'error', errors: [{ message: e.message ?? String(err) }] });
        }
      },
      complete: () => push({ kind: 'complete' }),
    },
  );

  const next = (timeoutMs = 10_000) =>
    new Promise<SubscriptionItem<T>>((resolve, reject) => {
      const ready = items.shift();
      if (ready) return resolve(ready);
      const waiter = (item: SubscriptionItem<T>) => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no subscription item within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });

  return {
    next,
    async nextData(timeoutMs) {
      const item = await next(timeoutMs);
      if (item.kind !== 'next' || item.errors?.length || item.data === undefined) {
        throw new Error(`expected subscription data, got ${JSON.stringify(item)}`);
      }
      return item.data;
    },
    async expectNothing(ms = 300) {
      const item = await next(ms).catch(() => undefined);
      if (item !== undefined) throw new Error(`expected no subscription item, got ${JSON.stringify(item)}`);
    },
    closed,
    async dispose() {
      unsubscribe();
    },
  };
}

/** One operation on its own graphql-ws connection; dispose() closes the connection. */
export function subscribe<T = any>(
  httpUrl: string,
  key: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): TestSubscription<T> {
  const client = openClient(httpUrl, key);
  const sub = client.subscribe<T>(query, variables);
  return {
    ...sub,
    async dispose() {
      await sub.dispose();
      await client.dispose();
    },
  };
}

/** Polls `predicate` until it holds; rejects after `timeoutMs`. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Subscribes and waits until the server registered the subscription on its bus, so that events
 * published right after this resolves are delivered (graphql-ws has no "subscribed" ack).
 */
export async function subscribeReady<T = any>(
  server: { httpUrl: string; app: { services: { bus: { subscriberCount: number } } } },
  key: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<TestSubscription<T>> {
  const bus = server.app.services.bus;
  const before = bus.subscriberCount;
  const subscription = subscribe<T>(server.httpUrl, key, query, variables);
  try {
    await waitUntil(() => bus.subscriberCount > before, 10_000, 'the subscription to reach the bus');
  } catch (err) {
    await subscription.dispose();
    throw err;
  }
  return subscription;
}
