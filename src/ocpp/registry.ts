// Connected stations: the session each outgoing call uses. The newest authenticated connection
// wins; a stale connection's cleanup never removes its successor (SPEC-NOTES §1.9).
import type { RpcSession } from './rpc/session';

export class StationRegistry {
  private readonly sessions = new Map<string, RpcSession<any>>();
  private readonly lastSeen = new Map<string, Date>();
  private readonly unsaved = new Set<string>();

  get size(): number {
    return this.sessions.size;
  }

  /** Registers the session and returns the one it replaces, if any. */
  add(session: RpcSession<any>): RpcSession<any> | undefined {
    const key = session.stationId;
    const previous = this.sessions.get(key);
    this.sessions.set(key, session);
    this.touch(key);
    return previous;
  }

  /** Removes the session only if it is still the current one for its station. */
  remove(session: RpcSession<any>): boolean {
    if (this.sessions.get(session.stationId) !== session) return false;
    this.sessions.delete(session.stationId);
    this.touch(session.stationId);
    return true;
  }

  forget(stationId: string): void {
    this.lastSeen.delete(stationId);
    this.unsaved.delete(stationId);
  }

  get(stationId: string): RpcSession<any> | undefined {
    return this.sessions.get(stationId);
  }

  isOnline(stationId: string): boolean {
    return this.sessions.has(stationId);
  }

  touch(stationId: string, at = new Date()): void {
    this.lastSeen.set(stationId, at);
    this.unsaved.add(stationId);
  }

  lastSeenAt(stationId: string): Date | undefined {
    return this.lastSeen.get(stationId);
  }

  /** Last-seen times recorded since the previous drain, for one batched write. */
  drainLastSeen(): Array<[string, Date]> {
    const entries = [...this.unsaved].map((id) => [id, this.lastSeen.get(id)!] as [string, Date]);
    this.unsaved.clear();
    return entries;
  }

  all(): IterableIterator<RpcSession<any>> {
    return this.sessions.values();
  }
}
