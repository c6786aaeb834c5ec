// The OCPP-J side of the station: socket, CALL queue, answers to the CSMS, frame capture.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { answerFrame } from './answer-call';
import { CallErrorResponse } from './call-error';
import { CallQueue } from './call-queue';
import { FrameInbox, type ReceivedCall } from './frame-inbox';
import { loggableFrame } from './frame-log';
import { classifyFrame, encodeError, parseJsonArray, type IncomingFrame } from './ocpp-frames';
import { createSocket, whenOpen, type SocketOptions } from './open-socket';
import type { CallHandler } from './station-context';

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface OcppClientOptions extends SocketOptions {
  callTimeoutMs: number;
  log: (msg: string, data?: unknown) => void;
}

const RAW_FRAME_LIMIT = 1000;
const DEFAULT_WAIT_MS = 5000;

export class OcppClient extends EventEmitter {
  /** Text of every frame received, oldest first (the last 1000). */
  readonly rawFrames: string[] = [];
  protected readonly defaults = new Map<string, CallHandler>();
  private readonly overrides = new Map<string, CallHandler>();
  private readonly queue: CallQueue;
  private readonly inbox = new FrameInbox();
  private socket: WebSocket | undefined;
  private closedPromise: Promise<CloseInfo> = Promise.resolve({ code: 1006, reason: 'never connected' });
  private afterResponseTasks: Array<() => unknown> | undefined;

  constructor(protected readonly options: OcppClientOptions) {
    super();
    this.queue = new CallQueue((text) => this.sendText(text), options.callTimeoutMs);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Settles when the current (or last) connection closes. */
  get closed(): Promise<CloseInfo> {
    return this.closedPromise;
  }

  get receivedCalls(): readonly ReceivedCall[] {
    return this.inbox.unclaimedCalls;
  }

  async connect(): Promise<void> {
    if (this.isOpen) return;
    const ws = createSocket(this.options);
    this.socket = ws;
    let wasOpen = false;
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        const info = { code, reason: reason.toString() };
        resolve(info);
        if (this.socket === ws) this.connectionClosed(info, wasOpen);
      });
    });
    // Handshake failures surface as connect()'s rejection instead.
    ws.on('error', (error) => wasOpen && this.options.log(`socket error: ${error.message}`));
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    await whenOpen(ws);
    wasOpen = true;
    this.options.log(`connected (${ws.protocol || 'no subprotocol'})`);
  }

  close(code = 1000): Promise<CloseInfo> {
    const ws = this.socket;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      try {
        ws.close(code);
      } catch {
        ws.terminate();
      }
    }
    return this.closedPromise;
  }

  /** Drops the connection without a closing handshake, as a network loss would. */
  protected dropConnection(): Promise<CloseInfo> {
    this.socket?.terminate();
    return this.closedPromise;
  }

  call(action: string, payload: unknown): Promise<any> {
    return this.queue.enqueue(action, payload);
  }

  sendRaw(data: string | Buffer, binary = false): void {
    if (!this.socket || !this.isOpen) throw new Error('not connected');
    this.socket.send(data, { binary });
    this.options.log(`>> raw ${binary ? 'binary ' : ''}${typeof data === 'string' ? data : `${data.length} bytes`}`);
  }

  /** Next frame received after this call that is not an answer to our own CALLs. */
  nextFrame(timeoutMs = DEFAULT_WAIT_MS): Promise<unknown[]> {
    return this.inbox.nextFrame(timeoutMs);
  }

  /** Payload of the oldest CALL of `action` not yet claimed, waiting for one if needed; resolves after it was answered. */
  waitForCall(action: string, timeoutMs = DEFAULT_WAIT_MS): Promise<any> {
    return this.inbox.waitForCall(action, timeoutMs);
  }

  clearReceivedCalls(): void {
    this.inbox.clearCalls();
  }

  /** Overrides the answer to a CSMS CALL; without a handler the default answer is restored. */
  handle(action: string, handler?: CallHandler): void {
    if (handler) this.overrides.set(action, handler);
    else this.overrides.delete(action);
  }

  /** Runs `task` after the CALLRESULT of the CALL whose handler is running has been sent. */
  afterResponse(task: () => unknown): void {
    if (this.afterResponseTasks) this.afterResponseTasks.push(task);
    else this.runLater([task]);
  }

  protected connectionClosed(info: CloseInfo, wasOpen: boolean): void {
    this.queue.failAll(new Error(`connection closed (${info.code})`));
    if (wasOpen) this.options.log(`closed ${info.code}${info.reason ? ` ${info.reason}` : ''}`);
    this.emit('close', info);
  }

  protected secrets(): Array<string | undefined> {
    return [this.options.password];
  }

  private sendText(text: string): void {
    if (!this.socket || !this.isOpen) throw new Error('not connected');
    this.socket.send(text);
    this.options.log(`>> ${loggableFrame(text, this.secrets())}`);
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.options.log('<< binary frame ignored');
      return;
    }
    const text = data.toString();
    this.rawFrames.push(text);
    if (this.rawFrames.length > RAW_FRAME_LIMIT) this.rawFrames.shift();
    this.options.log(`<< ${loggableFrame(text, this.secrets())}`);
    const frame = parseJsonArray(text);
    if (!frame) return;
    this.dispatch(frame, classifyFrame(frame));
  }

  private dispatch(frame: unknown[], parsed: IncomingFrame): void {
    if (parsed.kind === 'call') {
      void this.answer(frame, parsed.id, parsed.action, parsed.payload);
      return;
    }
    if (parsed.kind === 'result' && this.queue.answer(parsed.id, { payload: parsed.payload })) return;
    if (parsed.kind === 'error') {
      const error = new CallErrorResponse(parsed.code, parsed.description, parsed.details);
      if (this.queue.answer(parsed.id, { error })) return;
    }
    if (parsed.kind === 'malformed' && parsed.id !== undefined && frame[0] === 2) {
      this.trySend(encodeError(parsed.id, 'FormatViolation', parsed.reason));
    }
    this.unsolicited(frame);
  }

  private async answer(frame: unknown[], id: string, action: string, payload: unknown): Promise<void> {
    const handler = this.overrides.get(action) ?? this.defaults.get(action);
    const tasks: Array<() => unknown> = [];
    this.afterResponseTasks = tasks;
    // An async function runs synchronously up to its first await: this captures the handler's afterResponse calls.
    const reply = answerFrame(handler, id, action, payload);
    this.afterResponseTasks = undefined;
    this.trySend(await reply);
    this.unsolicited(frame);
    this.inbox.pushCall({ action, payload });
    this.emit('call', action, payload);
    if (tasks.length > 0) this.runLater(tasks);
  }

  private unsolicited(frame: unknown[]): void {
    this.inbox.pushFrame(frame);
    this.emit('frame', frame);
  }

  private trySend(text: string): void {
    try {
      this.sendText(text);
    } catch (error) {
      this.options.log(`could not send: ${(error as Error).message}`);
    }
  }

  private runLater(tasks: Array<() => unknown>): void {
    setImmediate(async () => {
      for (const task of tasks) {
        try {
          await task();
        } catch (error) {
          this.options.log(`follow-up failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
  }
}

