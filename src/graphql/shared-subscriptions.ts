// One graphql subscription execution per distinct (operation, variables, access scope), its results
// fanned out to every graphql-ws subscriber of it: 1,000 subscribers of the same document must not
// mean 1,000 identical executions per event.
import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { apiError } from './errors';

export const MAX_UNDELIVERED_RESULTS = 1000;

type Started = Awaited<ReturnType<typeof createSourceEventStream>>;

const backlogExceeded = () =>
  apiError('SUBSCRIPTION_BACKLOG_EXCEEDED', `Subscription ended: more than ${MAX_UNDELIVERED_RESULTS} results were waiting for this client`);

/** One subscriber's view of a shared execution: its own queue, ended on its own. */
class Consumer implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: { resolve(r: IteratorResult<ExecutionResult>): void; reject(err: unknown): void } | undefined;
  private ended = false;
  private failure: unknown;

  constructor(private readonly detach: (consumer: Consumer) => void) {}

  push(result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: result, done: false });
    } else if (this.queue.length >= MAX_UNDELIVERED_RESULTS) {
      this.end(backlogExceeded());
    } else {
      this.queue.push(result);
    }
  }

  /** Ends after what is queued (the source completed), or with `error` at once, dropping what is queued. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.detach(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (error === undefined) return waiting?.resolve({ value: undefined, done: true });
    this.queue.length = 0;
    if (waiting) waiting.reject(error);
    else this.failure = error;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.queue.length = 0;
    this.failure = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

class SharedExecution {
  private readonly consumers = new Set<Consumer>();
  private source: AsyncIterator<unknown> | undefined;
  readonly started: Promise<Started>;

  constructor(private readonly args: ExecutionArgs, private readonly freshContext: (context: unknown) => unknown, private readonly onIdle: () => void) {
    this.started = Promise.resolve(createSourceEventStream(args));
    this.started.then((started) => {
      if (!isAsyncIterable(started)) return this.onIdle();
      this.source = started[Symbol.asyncIterator]();
      if (this.consumers.size === 0) return this.stop();
      void this.pump(this.source);
    }, () => this.onIdle());
  }

  attach(): Consumer {
    const consumer = new Consumer((c) => {
      if (this.consumers.delete(c) && this.consumers.size === 0) this.stop();
    });
    this.consumers.add(consumer);
    return consumer;
  }

  private stop(): void {
    this.onIdle();
    Promise.resolve(this.source?.return?.()).catch(() => {});
  }

  /** What graphql's own `subscribe` does per source event, with a fresh context for each. */
  private async pump(source: AsyncIterator<unknown>): Promise<void> {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        // Per-request caches (batch loaders) must not carry one event's reads into the next.
        const result = await execute({ ...this.args, rootValue: step.value, contextValue: this.freshContext(this.args.contextValue) });
        for (const consumer of this.consumers) consumer.push(result);
      }
      for (const consumer of [...this.consumers]) consumer.end();
    } catch (err) {
      for (const consumer of [...this.consumers]) consumer.end(err ?? new Error('Subscription failed'));
    }
  }
}

function isAsyncIterable(value: Started): value is AsyncIterable<unknown> {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/**
 * A replacement for graphql's `subscribe` (graphql-ws's `subscribe` option). `scopeOf` says who may
 * share: results must depend on nothing it does not capture. `freshContext` gives each event's
 * execution its own per-request state. A subscriber joining a running execution gets the results
 * produced after it joined. When graphql answers with errors instead of an iterator, every
 * subscriber waiting on that attempt gets them and nothing is kept.
 */
export function sharedSubscriptions(scopeOf: (args: ExecutionArgs) => string, freshContext: (context: unknown) => unknown) {
  const executions = new Map<string, SharedExecution>();

  return async function subscribeShared(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const key = JSON.stringify([
      scopeOf(args), args.operationName ?? null, args.variableValues ?? {}, args.document.loc?.source.body ?? print(args.document),
    ]);
    let execution = executions.get(key);
    if (!execution) {
      const created: SharedExecution = new SharedExecution(args, freshContext, () => {
        if (executions.get(key) === created) executions.delete(key);
      });
      executions.set(key, (execution = created));
    }
    const consumer = execution.attach();
    const started = await execution.started;
    if (isAsyncIterable(started)) return consumer;
    void consumer.return();
    return started as ExecutionResult;
  };
}
