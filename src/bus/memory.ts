// The in-process bus: one Node process, listeners per event type, bounded per-subscriber buffers.
import type { Bus } from './bus';
import type { BusEvent, BusEventType, EventOf } from './events';

const MAX_BUFFERED = 1000;

export function createMemoryBus(): Bus {
  const listeners = new Map<BusEventType, Set<(event: BusEvent) => void>>();

  const on = <T extends BusEventType>(type: T, listener: (event: EventOf<T>) => void) => {
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    const entry = listener as (event: BusEvent) => void;
    set.add(entry);
    return () => void set.delete(entry);
  };

  return {
    publish(event) {
      for (const listener of listeners.get(event.type) ?? []) {
        try {
          listener(event);
        } catch {
          // a failing listener must not stop the others
        }
      }
    },
    on,
    get subscriberCount() {
      let n = 0;
      for (const set of listeners.values()) n += set.size;
      return n;
    },
    subscribe<T extends BusEventType>(type: T, filter?: (event: EventOf<T>) => boolean) {
      const buffer: EventOf<T>[] = [];
      let wake: ((r: IteratorResult<EventOf<T>>) => void) | undefined;
      let done = false;
      const off = on(type, (event) => {
        if (done || (filter && !filter(event))) return;
        if (wake) {
          const w = wake;
          wake = undefined;
          w({ value: event, done: false });
        } else if (buffer.length < MAX_BUFFERED) buffer.push(event);
      });
      const finish = (): Promise<IteratorResult<EventOf<T>>> => {
        done = true;
        off();
        buffer.length = 0;
        if (wake) wake({ value: undefined, done: true });
        wake = undefined;
        return Promise.resolve({ value: undefined, done: true });
      };
      const iterator: AsyncIterableIterator<EventOf<T>> = {
        next: () => {
          if (done) return Promise.resolve({ value: undefined, done: true });
          const value = buffer.shift();
          if (value !== undefined) return Promise.resolve({ value, done: false });
          return new Promise((resolve) => (wake = resolve));
        },
        return: finish,
        throw: (err) => finish().then(() => Promise.reject(err)),
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
  };
}
