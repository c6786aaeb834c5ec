// Part 4 §5.2: WebSocket pings to every station, and a station that did not answer its last ping
// by its next turn (one interval later) is dropped. The pings are spread over the interval: the
// stations are dealt into one group per second of it, and each tick pings one group. Pinging
// 5,000 sockets at once held the event loop for a burst every interval.

export interface Pingable {
  ping(): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): unknown;
}

export const KEEPALIVE_TICK_MS = 1000;

export class Keepalive<S extends Pingable> {
  private readonly groups: Array<Set<S>>;
  private readonly groupOf = new Map<S, Set<S>>();
  private readonly answered = new WeakMap<S, boolean>();
  private nextGroup = 0;
  private ticks = 0;

  constructor(intervalS: number) {
    const groups = Math.max(1, Math.round((intervalS * 1000) / KEEPALIVE_TICK_MS));
    this.groups = Array.from({ length: groups }, () => new Set<S>());
  }

  add(socket: S): void {
    const group = this.groups[this.nextGroup++ % this.groups.length]!;
    group.add(socket);
    this.groupOf.set(socket, group);
    this.answered.set(socket, true);
    socket.on('pong', () => this.answered.set(socket, true));
  }

  delete(socket: S): void {
    this.groupOf.get(socket)?.delete(socket);
    this.groupOf.delete(socket);
  }

  /** Pings the next group; a station in it that did not answer its previous ping is dropped. */
  tick(): void {
    const group = this.groups[this.ticks++ % this.groups.length]!;
    for (const socket of group) {
      if (this.answered.get(socket) === false) {
        socket.terminate();
        continue;
      }
      this.answered.set(socket, false);
      socket.ping();
    }
  }

  /** Starts ticking; returns the stop function. */
  start(): () => void {
    const timer = setInterval(() => this.tick(), KEEPALIVE_TICK_MS);
    timer.unref();
    return () => clearInterval(timer);
  }
}
