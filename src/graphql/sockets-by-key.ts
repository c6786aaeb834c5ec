// The open graphql-ws sockets of each API key, so revoking a key can close them.
import type { WebSocket } from 'ws';

export class SocketsByKey {
  private readonly sockets = new Map<string, Set<WebSocket>>();

  add(keyId: string, socket: WebSocket): void {
    let set = this.sockets.get(keyId);
    if (!set) this.sockets.set(keyId, (set = new Set()));
    set.add(socket);
  }

  remove(keyId: string, socket: WebSocket): void {
    const set = this.sockets.get(keyId);
    set?.delete(socket);
    if (set?.size === 0) this.sockets.delete(keyId);
  }

  closeAll(keyId: string, code: number, reason: string): void {
    for (const socket of this.sockets.get(keyId) ?? []) socket.close(code, reason);
    this.sockets.delete(keyId);
  }
}
