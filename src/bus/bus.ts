import type { BusEvent, BusEventType, EventOf } from './events';

export interface Bus {
  publish(event: BusEvent): void;
  /** Async iterator of events of one type that pass the filter; return() unsubscribes. */
  subscribe<T extends BusEventType>(type: T, filter?: (event: EventOf<T>) => boolean): AsyncIterableIterator<EventOf<T>>;
  /** Callback form for in-process listeners; returns the unsubscribe function. */
  on<T extends BusEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  readonly subscriberCount: number;
}
